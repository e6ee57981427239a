// HalftoneServer: see the README's architecture section.
