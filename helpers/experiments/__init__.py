"""The computations behind the notebooks' figures and claims, one module per notebook.

A notebook states a number, an ordering or a trend about a run; the run is a function here,
the notebook's cell prints its result, and ``tests/`` assert the claim on the same function.
"""
