"""Raqib export layer."""
