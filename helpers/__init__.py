"""Neural networks from scratch: the helper package of the workbook."""

__version__ = "0.1.0"
