"""Raqib serve layer."""
