"""Checks for the notebook softmax (written with that notebook)."""
