"""Benchmarks of policykb: segmentation bound, indexing, API and engine latency, scale, memory (issue 9)."""
