// HalftoneRecords: see the README's architecture section.
