"""Normalisers shared by ingest, search, resolution and linkage.

Each returns the normalised value or None; the caller keeps the original as written.
"""
