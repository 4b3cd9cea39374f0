"""Raqib: reads news on arms trafficking and records who says what about whom."""

__version__ = "0.1.0"
