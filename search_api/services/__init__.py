"""What the routes and pages do, free of HTTP: search orchestration, enrichment, logging."""
