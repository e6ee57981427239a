// Halftone: see the README's architecture section.
