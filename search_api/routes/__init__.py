"""HTTP routes; each module exposes ``router`` (listed in search_api.routers)."""
