import os

# figures render off-screen in tests
os.environ.setdefault("MPLBACKEND", "Agg")
