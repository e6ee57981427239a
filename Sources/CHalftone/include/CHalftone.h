// Umbrella header of the C shim: non-variadic wrappers and macros that Swift cannot call.
// One header per library; only HalftoneImaging/Vips.swift and HalftoneFetch/Curl.swift use them.
#pragma once
#include "vips_shim.h"
#include "curl_shim.h"
