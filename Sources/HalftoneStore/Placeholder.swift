// HalftoneStore: see the README's architecture section.
