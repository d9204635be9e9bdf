"""Ingestion: agency files in, statements with provenance out (see docs/formats.md)."""
