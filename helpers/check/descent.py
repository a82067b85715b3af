"""Checks for the notebook descent (written with that notebook)."""
