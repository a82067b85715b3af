"""Exercise checks: ``check.<exercise>(your_object)`` prints ✓ or explains what is off.

One module per notebook; every check any of them registers is available here by its
exercise id (see CURRICULUM.md): ``check.sigmoid``, ``check.linear``, ...
"""

from importlib import import_module

from ._core import REGISTRY, CheckFailed, NotWrittenYet, install_notebook_display
from ._hints import hint  # check.hint("<id>"): the next hint tier for an exercise
from ._summary import summary  # check.summary(): every check of a notebook, one table

# Notebook order. Each module registers its checks with ``@exercise`` when imported
# (value_training holds 03's last exercise, the training loop on the student's Value).
_NOTEBOOK_MODULES = ("neuron", "descent", "backprop", "value_training", "mlp", "sgd", "softmax")

for _module in _NOTEBOOK_MODULES:
    import_module(f"{__name__}.{_module}")

globals().update(REGISTRY)
__all__ = ["CheckFailed", "NotWrittenYet", "hint", "summary", *REGISTRY]

# In a notebook, an unfilled exercise's NotImplementedError reads "not written yet".
install_notebook_display()
