"""Exercise checks: ``check.<exercise>(your_object)`` prints ✓ or explains what is off.

One module per notebook; every check any of them registers is available here by its
exercise id (see CURRICULUM.md): ``check.sigmoid``, ``check.linear``, ...
"""

from importlib import import_module

from ._core import REGISTRY, CheckFailed, install_notebook_display

# Notebook order. Each module registers its checks with ``@exercise`` when imported.
_NOTEBOOK_MODULES = ("neuron", "descent", "backprop", "mlp", "sgd", "softmax")

for _module in _NOTEBOOK_MODULES:
    import_module(f"{__name__}.{_module}")

globals().update(REGISTRY)
__all__ = ["CheckFailed", *REGISTRY]
from ._summary import summary as summary  # noqa: E402  (check.summary(): the self-check)

# In a notebook, an unfilled exercise's NotImplementedError reads "not written yet".
install_notebook_display()
