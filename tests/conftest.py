import os
import sys
from pathlib import Path

# figures render off-screen in tests
os.environ.setdefault("MPLBACKEND", "Agg")

# tests import their shared assertions (tests/checking.py) as a plain module
sys.path.insert(0, str(Path(__file__).parent))
