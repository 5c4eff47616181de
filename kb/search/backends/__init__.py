"""Search backends; each module ends with ``SearchBackend = ...``."""
