"""Raqib text layer."""
