"""Raqib extract layer."""
