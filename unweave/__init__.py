"""Unweave: joint investigation of human-trafficking networks across police agencies."""

__version__ = "0.1.0"
