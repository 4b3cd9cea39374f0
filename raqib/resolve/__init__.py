"""Raqib resolve layer."""
