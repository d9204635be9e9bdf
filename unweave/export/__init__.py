"""Exports: what a reader may see, in formats other tools read, with handling codes kept."""
