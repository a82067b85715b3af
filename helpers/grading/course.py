"""The course reader's old address: it moved to :mod:`helpers.course`, below both the
grader and the checks (``helpers.check`` must not import ``helpers.grading``). Kept so
that code written against ``helpers.grading.course`` still imports."""

from helpers.course import *  # noqa: F403
from helpers.course import __all__  # noqa: F401
