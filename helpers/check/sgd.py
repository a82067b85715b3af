"""Checks for the notebook sgd (written with that notebook)."""
