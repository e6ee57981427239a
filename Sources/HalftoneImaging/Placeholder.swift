// HalftoneImaging: see the README's architecture section.
