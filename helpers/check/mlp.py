"""Checks for the notebook mlp (written with that notebook)."""
