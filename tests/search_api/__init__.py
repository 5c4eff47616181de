"""Tests of the HTTP API (a package: test_reads.py also exists under tests/kb/store)."""
