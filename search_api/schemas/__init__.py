"""Response and request schemas of the HTTP API (``*Public`` are what clients receive)."""
