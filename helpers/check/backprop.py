"""Checks for the notebook backprop (written with that notebook)."""
