"""The crawler: polite fetching, retries decided by error type, incremental state, the crawl runner."""
