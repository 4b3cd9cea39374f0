"""Raqib ingest layer."""
