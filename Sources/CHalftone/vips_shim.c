#include "CHalftone.h"
