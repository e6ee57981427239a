// HalftoneFetch: see the README's architecture section.
