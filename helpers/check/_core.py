"""The check contract: what every ``check.<name>(student_object)`` does.

A check either prints one line, ``✓ <name> looks right.``, or raises :class:`CheckFailed`
with one fact and one hint. A right answer whose computation made numpy warn passes: its ✓
line carries a note naming the warning (only a specification that forbids warnings, such as
sigmoid at ±1000, fails for one). Checks are written as plain functions that receive a
:class:`Check` (the student's object plus helpers to call it safely and compare results)
and are registered with :func:`exercise`::

    @exercise("sigmoid")
    def sigmoid(ex):
        out = ex.call(np.array([-2.0, 0.0, 2.0]))
        ...

Order of expectations inside a check, cheapest first: type and shape, values a student can
check by hand, properties, diagnosis of known mistakes, gradient check.

Every hint names its mistake with a stable id listed in :mod:`helpers.check.mistakes`:
write it as ``mistake("sigmoid/sign-inside-exp", "check the sign inside np.exp ...")``.
The failure carries the id as ``CheckFailed.mistake`` (None when the check failed without a
known mistake), which the grader records and the class report counts.

Every check also asks whether the answer is the student's own work (:mod:`.own_work`): the
package's reference for the exercise under the student's name, a subclass of it or a thin
wrapper around it fails with ``general/borrowed-reference``.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
import sysconfig
import textwrap
import traceback
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from . import own_work
from .mistakes import GENERIC, NOT_WRITTEN, mistake

__all__ = ["CheckFailed", "NotWrittenYet", "Check", "exercise", "fmt", "REGISTRY"]

#: Every registered check, by exercise id. Filled by :func:`exercise`.
REGISTRY: dict[str, Callable[..., None]] = {}

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple(
    os.path.realpath(p)
    for p in {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
)
_STUB_PREFIX = "exercise: "
_WIDTH = 88  # columns of a verdict as shown


class CheckFailed(AssertionError):
    """A check's verdict that the student's answer is not right yet.

    Jupyter shows only the message (``_render_traceback_``); the exception that caused it,
    if any, stays chained for ``%tb``.
    """

    def __init__(self, exercise: str, message: str, hint: str | None = None,
                 mistake: str | None = None):
        self.exercise = exercise
        self.message = message
        self.hint = hint
        #: the id of the mistake the hint names (helpers.check.mistakes), or None
        self.mistake = mistake or getattr(hint, "mistake", None)
        super().__init__(self.text)

    @property
    def plain(self) -> str:
        """The verdict unwrapped: a line for the message (and its code line), one for the hint."""
        text = f"✗ {self.exercise}: {self.message}"
        if self.hint:
            text += f"\n  Hint: {self.hint}"
        return text

    @property
    def text(self) -> str:
        """The verdict as shown: wrapped between words, since Jupyter wraps mid-word."""
        lines = []
        for line in self.plain.split("\n"):
            if line.startswith("  Your line:"):  # code: never broken
                lines.append(line)
                continue
            indent = "        " if line.startswith("  Hint: ") else "  "
            lines.extend(textwrap.wrap(line, _WIDTH, subsequent_indent=indent,
                                       break_long_words=False, break_on_hyphens=False))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text

    def _render_traceback_(self) -> list[str]:
        from ._hints import more_help  # "Stuck? check.hint(...)": in Jupyter only

        return (self.text + more_help(self.exercise)).splitlines()


class NotWrittenYet(CheckFailed):
    """The verdict for an exercise that is still its stub: "not written yet".

    Raised for the generator's ``raise NotImplementedError("exercise: <id>")`` and for
    nbgrader's bare ``raise NotImplementedError()``. The grader scores it as "not written"
    by its type, never by comparing message strings.
    """

    def __init__(self, exercise: str, message: str, hint: str | None = None,
                 mistake: str | None = None):
        super().__init__(exercise, message, hint, mistake or NOT_WRITTEN)


def fmt(value: Any, digits: int = 4) -> str:
    """A short, readable rendering of a number or array for messages."""
    if isinstance(value, np.ndarray) or np.isscalar(value) and not isinstance(value, str):
        arr = np.asarray(value)
        if arr.dtype.kind in "biuf":
            with np.printoptions(precision=digits, suppress=True, threshold=8, edgeitems=2):
                text = np.array2string(arr, separator=", ", max_line_width=10**6)
            # one line: a (4, 3) array as [[...], [...], ...], never wrapped over many lines
            return re.sub(r",?\n\s*", ", ", text) if arr.ndim else (
                text.strip())
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_library_file(filename: str) -> bool:
    path = os.path.realpath(filename)
    return path.startswith(_PACKAGE_DIR) or path.startswith(_LIBRARY_DIRS)


def student_line(tb) -> str | None:
    """The innermost line of a traceback that belongs to the student, not to a library."""
    for frame in reversed(traceback.extract_tb(tb)):
        if not _is_library_file(frame.filename) and frame.line:
            return frame.line.strip()
    return None


def is_stub_error(err: BaseException) -> bool:
    """True for an unfilled exercise's stub.

    That is the generator's ``raise NotImplementedError("exercise: ...")``, or nbgrader's
    bare ``raise NotImplementedError()`` raised in the student's own code (a bare one
    raised inside a library, such as an abstract ``Module.forward``, is not a stub).
    """
    if not isinstance(err, NotImplementedError):
        return False
    text = str(err)
    if text.startswith(_STUB_PREFIX):
        return True
    if text.strip():
        return False
    frames = traceback.extract_tb(err.__traceback__)
    return not frames or not _is_library_file(frames[-1].filename)


def not_written_message(err: NotImplementedError) -> tuple[str, str]:
    """Message and hint for an exercise that is still the generated stub."""
    text = str(err)
    if text.startswith(_STUB_PREFIX):
        line = f'raise NotImplementedError("{_STUB_PREFIX}{text[len(_STUB_PREFIX):].strip()}")'
    else:
        line = "raise NotImplementedError()"
    return "not written yet.", f"replace the line `{line}` with your code, then run the cell."


class Check:
    """What a check function gets: the student's object and safe ways to probe it.

    ``strict`` (instructor mode) asks for more trials; checks read ``trials`` for that.
    """

    def __init__(self, name: str, obj: Any, *, strict: bool = False, seed: int = 20240917):
        self.name = name
        self.obj = obj
        self.strict = strict
        self.trials = 12 if strict else 3
        self.rng = np.random.default_rng(seed)
        #: the numpy warnings the student's code raised so far, each "<call>: <message>";
        #: a right answer passes with a note naming the first (see :meth:`call`)
        self.warned: list[str] = []
        self._warning_hint: str | None = None
        self._notes: list[str] = []

    # -- verdicts ---------------------------------------------------------------------------
    def fail(self, message: str, hint: str | None = None) -> None:
        """Fail with ``message`` and ``hint``.

        Where the student's code also made numpy warn, the message says so, and the hint
        given with that warning (``warning_hint`` of :meth:`call`) names the mistake: the
        overflow or the 0/0 is then the likely cause of the wrong value. Without one, a hint
        that names no mistake becomes the general one about numpy's warnings.
        """
        if self.warned:
            message = f"{message} It also raised a warning: {self.warned[0]}."
            if self._warning_hint is not None:
                hint = self._warning_hint
            elif _names_no_mistake(hint):
                hint = _NUMPY_WARNING_HINT
        raise CheckFailed(self.name, message, hint)

    def add_note(self, text: str) -> None:
        """Say ``text`` on the ✓ line if the check passes (a fact the student should know
        about code the exercise did not ask for, say)."""
        self._notes.append(text)

    def note(self) -> str:
        """What a passing check adds to its ✓ line: its notes, then the first warning."""
        notes = [f" Note: {text}" for text in self._notes]
        if self.warned:
            notes.append(f" Note: numpy warned in {self.warned[0]}. The result is right; the "
                         "warning means a number went out of range on the way.")
        return "".join(notes)

    # -- calling the student's code ---------------------------------------------------------
    def call(
        self,
        *args: Any,
        fn: Callable | None = None,
        label: str | None = None,
        allow_warnings: bool = False,
        forbid_warnings: bool = False,
        warning_hint: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Call the student's function (or ``fn``) and translate whatever goes wrong.

        - the generated stub's NotImplementedError becomes "not written yet";
        - any other exception becomes its type and message, with the student's line;
        - an argument array changed in place fails the check;
        - a RuntimeWarning (overflow, division by zero, invalid value) is remembered, not
          failed on: a right value passes, its ✓ carrying a note that names the warning,
          and a wrong one fails with the check's diagnosis, where ``warning_hint`` names the
          mistake if the diagnosis names none. Only where the exercise's specification
          forbids warnings (sigmoid at ±1000) does ``forbid_warnings`` fail at once, with
          ``warning_hint``. ``allow_warnings`` ignores them (the check expects one).
        """
        out, runtime = self.call_warnings(*args, fn=fn, label=label, **kwargs)
        if not runtime or allow_warnings:
            return out
        label = label or self._label(fn)
        if forbid_warnings:
            self.fail(f"{label} raised a warning: {runtime[0]}.",
                      warning_hint or _NUMPY_WARNING_HINT)
        if not self.warned:
            self._warning_hint = warning_hint
        self.warned.append(f"{label}: {runtime[0]}")
        return out

    def _label(self, fn: Callable | None) -> str:
        fn = self.obj if fn is None else fn
        return f"{getattr(fn, '__name__', self.name)}(...)"

    def call_warnings(
        self, *args: Any, fn: Callable | None = None, label: str | None = None, **kwargs: Any
    ) -> tuple[Any, list[str]]:
        """Like :meth:`call`, but the RuntimeWarnings' messages are returned, not failed on:
        a check that sees a warning can then look at the output to name the mistake."""
        label = label or self._label(fn)
        fn = self.obj if fn is None else fn
        snapshots = [(i, a, a.copy()) for i, a in enumerate(args) if isinstance(a, np.ndarray)]
        snapshots += [(k, a, a.copy()) for k, a in kwargs.items() if isinstance(a, np.ndarray)]
        # underflow (e^-1000 -> 0) is harmless; overflow, 0/0 and x/0 are what go wrong
        errstate = np.errstate(over="warn", divide="warn", invalid="warn", under="ignore")
        with warnings.catch_warnings(record=True) as caught, errstate:
            warnings.simplefilter("always")
            try:
                out = fn(*args, **kwargs)
            except CheckFailed:
                raise
            except Exception as err:  # the student's code may raise anything
                self._explain_exception(err, label)
        for where, arr, before in snapshots:
            if arr.shape != before.shape or not np.array_equal(arr, before, equal_nan=True):
                argname = f"argument {where + 1}" if isinstance(where, int) else f"`{where}`"
                self.fail(
                    f"{label} changed its input ({argname}) in place.",
                    mistake("general/input-changed-in-place",
                        "the array you were given belongs to the caller: an expression that "
                        "makes a new array leaves it alone, while assigning into it "
                        "(`z[...] = ...`) or an augmented assignment (`z *= ...`) overwrites "
                        "it."),
                )
        return out, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]

    def _explain_exception(self, err: Exception, label: str) -> None:
        if is_stub_error(err):
            message, hint = not_written_message(err)
            raise NotWrittenYet(self.name, message, hint) from err
        line = student_line(err.__traceback__)
        message = f"{label} raised {type(err).__name__}: {err}"
        if line:
            message += f"\n  Your line: `{line}`"
        raise CheckFailed(self.name, message, _error_hint(err)) from err

    # -- expectations ------------------------------------------------------------------------
    def array(
        self, out: Any, label: str, shape: tuple[int, ...] | None = None, *, integer: bool = False
    ) -> np.ndarray:
        """``out`` as a numeric array of the expected shape, or a failed check saying why."""
        if out is None:
            self.fail(
                f"{label} returned None.", mistake("general/returned-none",
                                               "did you forget the `return` statement at the end?")
            )
        if isinstance(out, tuple) and shape is not None:
            self.fail(
                f"{label} returned a tuple of {len(out)} items; expected one array.",
                mistake("general/tuple-not-array",
                    "return a single array (look for a stray comma after your return value)."),
            )
        try:
            arr = np.asarray(out)
        except Exception:  # ragged lists and exotic objects
            arr = np.asarray(out, dtype=object)
        if arr.dtype.kind not in "biuf":
            self.fail(
                f"{label} returned {type(out).__name__} {fmt(out)}; expected numbers.",
                mistake("general/not-numbers", "return a number or a numpy array of numbers."),
            )
        shape = None if shape is None else tuple(int(n) for n in shape)
        if shape is not None and arr.shape != shape:
            self.fail(
                f"{label} returned shape {arr.shape}; expected shape {shape}.",
                _shape_hint(arr.shape, shape),
            )
        if integer and arr.dtype.kind not in "biu" and not np.all(arr == np.round(arr)):
            self.fail(f"{label} returned {fmt(arr)}; expected whole numbers.")
        return arr

    def finite(self, arr: np.ndarray, label: str, hint: str | None = None) -> None:
        if not np.all(np.isfinite(arr)):
            self.fail(
                f"{label} gave {fmt(arr)}: not every value is finite.",
                hint or mistake("general/not-finite",
                                "an inf or nan usually comes from np.exp of a large number."),
            )

    def close(
        self,
        got: Any,
        want: Any,
        message: str,
        *,
        mistakes: Iterable[tuple[Any, str]] = (),
        hint: str | None = None,
        rtol: float = 1e-5,
        atol: float = 1e-7,
    ) -> None:
        """Fail with ``message`` unless ``got`` matches ``want``.

        ``mistakes`` pairs what a known bug would output with the hint that names that bug;
        the first one that matches ``got`` supplies the hint.
        """
        if _allclose(got, want, rtol, atol):
            return
        mistakes = [(wrong, h) for wrong, h in mistakes if not _allclose(wrong, want, rtol, atol)]
        self.diagnose(got, message, mistakes=mistakes, hint=hint, rtol=rtol, atol=atol)

    def diagnose(
        self,
        got: Any,
        message: str,
        *,
        mistakes: Iterable[tuple[Any, str]] = (),
        hint: str | None = None,
        rtol: float = 1e-5,
        atol: float = 1e-7,
    ) -> None:
        """Fail with ``message``; the hint names the first known mistake that gives ``got``."""
        for wrong, mistake_hint in mistakes:
            if _allclose(got, wrong, rtol, atol):
                self.fail(message, mistake_hint)
        self.fail(message, hint)


#: The hint for a numpy warning where the exercise forbids one and names no cause.
_NUMPY_WARNING_HINT = mistake(
    "general/numpy-warning",
    "a warning from numpy means a number went out of range (inf, nan, 0/0); look for np.exp "
    "of a large number or a division by zero.")


def _names_no_mistake(hint: str | None) -> bool:
    """True for no hint, or one that says how to read an error rather than which mistake."""
    mistake_id = getattr(hint, "mistake", None)
    return hint is None or mistake_id is None or mistake_id in GENERIC or mistake_id in (
        "general/not-finite", "general/numpy-warning")


# Messages of errors beginners meet often, and what each usually means.
_ERROR_HINTS = (
    (
        "truth value of an array",
        mistake("error/array-truth-value",
            "`if`, `and`, `or` and `max()` decide for one number, not a whole array: use "
            "elementwise tools such as `z >= 0`, `np.where` or `np.maximum`."),
    ),
    (
        "matmul",
        mistake("error/matmul-shapes",
            "in a matrix product the inner sizes must match: (N, D) @ (D,) gives (N,). "
            "Print the shapes of both operands."),
    ),
    (
        "not aligned",
        mistake("error/matmul-shapes",
            "in a matrix product the inner sizes must match: (N, D) @ (D,) gives (N,). "
            "Print the shapes of both operands."),
    ),
    (
        "could not be broadcast",
        mistake("error/broadcast-shapes",
            "two arrays of incompatible shapes met in an elementwise operation: print their "
            "shapes."),
    ),
    ("is not defined", mistake("error/name-not-defined",
                           "run the cells above this one first, or check the spelling of the "
                           "name.")),
)


def _error_hint(err: Exception) -> str | None:
    if isinstance(err, NotImplementedError):
        return mistake("error/part-not-written",
                   "a part of your code still raises NotImplementedError: write it first.")
    text = str(err)
    undefined = re.fullmatch(r"name '(\w+)' is not defined", text)
    if undefined and hasattr(np, undefined.group(1)) and not undefined.group(1).startswith("_"):
        name = undefined.group(1)
        return (mistake("error/name-from-another-notebook",
                    f"`{name}` is not defined here (a function you wrote in another notebook "
                    f"stays there): use numpy's np.{name}."))
    for fragment, hint in _ERROR_HINTS:
        if fragment in text:
            return hint
    return mistake("error/generic",
               "read the error message and the line it points to; print the shapes involved.")


def _allclose(a: Any, b: Any, rtol: float, atol: float) -> bool:
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


#: The hint for a training loop that passes the loss value to model.backward.
BACKWARD_FROM_LOSS_HINT = (
    mistake("train/backward-from-loss-value",
        "model.backward was given the loss's value, one number: backward starts from the "
        "loss's gradient for the prediction, which the loss's own backward returns. The "
        "value is only for reporting.")
)

#: The hint for an array of shape (1,) where one number belongs.
NUMBER_HINT = (
    mistake("shape/number-expected",
        "a number was expected and you returned an array of shape (1,) holding one (it comes "
        "from np.zeros(1), keepdims=True or a (1,)-shaped bias, say). Return the number "
        "itself: start from a plain number (b = 0.0, not np.zeros(1)), or convert at the end "
        "with float(b) or b.item(); .ravel() would keep the shape (1,).")
)


def _shape_hint(got: tuple[int, ...], want: tuple[int, ...]) -> str:
    if want == () and got == (1,):
        return NUMBER_HINT
    if want == () and got and all(n == 1 for n in got):
        return mistake("shape/number-expected", NUMBER_HINT.replace("shape (1,)", f"shape {got}"))
    if got == want[::-1] and len(want) == 2:
        return mistake("shape/transposed",
                   "the axes are swapped: a transposed matrix somewhere? Rows are samples.")
    if len(got) == len(want) + 1 and got[-1] == 1:
        return mistake("shape/extra-trailing-axis",
                   "there is an extra axis of length 1: flatten it, e.g. with `.ravel()`.")
    if len(got) == len(want) + 1 and got[0] == 1:
        return (
            mistake("shape/extra-leading-axis",
                f"there is an extra leading axis of length 1: an array made with shape {got} "
                f"where {want} is meant (np.zeros({want[0] if len(want) == 1 else want}) makes "
                f"{want}), or a result wrapped in a list. Drop the axis, e.g. with [0].")
        )
    if len(got) + 1 == len(want) or got == ():
        return mistake("shape/axis-missing",
                   "an axis went missing: did you sum or average over an axis you should keep?")
    if len(got) == 2 and len(want) == 1 and got[0] == got[1] == want[0]:
        return (
            mistake("shape/n-n-broadcast",
                "an (N,) array met an (N, 1) array and numpy broadcast them to (N, N): "
                "make both one-dimensional with `.ravel()`.")
        )
    return mistake("shape/generic",
               "compare the shapes of your intermediate arrays with the ones in the docstring.")


def describe(obj: Any) -> str:
    """The name of ``obj``'s type, also for the grader's stand-in of a submission's object
    (``helpers.grading.rpc``), which carries the name of what it stands for."""
    if type(obj).__module__.startswith("helpers.grading."):  # rpc's proxies (proxy.py)
        try:
            return str(object.__getattribute__(obj, "_name"))
        except AttributeError:
            pass
    return type(obj).__name__


def _validate(name: str, obj: Any, kind: str) -> None:
    if kind == "function" and not callable(obj):
        raise CheckFailed(
            name,
            f"expected a function, got {describe(obj)} {fmt(obj)}.",
            mistake("general/called-not-passed",
                f"pass the function itself, without calling it: `check.{name}({name})`."),
        )
    if kind == "class" and not inspect.isclass(obj):
        raise CheckFailed(
            name,
            f"expected a class, got {describe(obj)}.",
            mistake("general/instance-not-class", "pass the class itself, not an instance of it."),
        )


def exercise(name: str, kind: str = "function") -> Callable:
    """Register ``fn(ex: Check)`` as the check ``check.<name>(student_object)``.

    ``kind`` says what the student hands in: a "function", a "class" or a "value".
    """

    def register(fn: Callable[[Check], None]) -> Callable[..., None]:
        @functools.wraps(fn)
        def run(student_object: Any, *, strict: bool = False) -> None:
            __tracebackhide__ = True  # pytest: show the verdict, not this frame
            _validate(name, student_object, kind)
            # strict mode (the grader) first runs the notebook's check, then the one with
            # more trials: an answer the notebook rejects gets the notebook's very message
            # the package's own answer under the student's name fails before the check runs
            # it; a subclass of it fails after, so that the methods it does write get the
            # check's diagnosis first
            borrowed = own_work.verdict(name, student_object, kind) if kind != "value" else None
            if borrowed is not None and borrowed.how != "subclasses":
                raise CheckFailed(name, borrowed.message, borrowed.hint)
            ex = Check(name, student_object)
            fn(ex)
            if strict:
                fn(Check(name, student_object, strict=True))
            if borrowed is not None:
                raise CheckFailed(name, borrowed.message, borrowed.hint)
            print(f"✓ {name} looks right.{ex.note()}")

        run.__doc__ = f"Check the exercise `{name}`: prints ✓ or raises CheckFailed.\n\n" + (
            fn.__doc__ or ""
        )
        run.__wrapped__ = fn
        run.kind = kind  # what the exercise defines: a value is an UPPER_CASE constant
        if name in REGISTRY:
            raise RuntimeError(f"two checks are registered as {name!r}")
        REGISTRY[name] = run
        return run

    return register


def _show_stub_error(shell, etype, value, tb, tb_offset=None):
    """IPython handler: an unfilled exercise says "not written yet", not a traceback.

    IPython ignores a handler's return value, so the handler shows the error itself.
    """
    if not is_stub_error(value):
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    message, hint = not_written_message(value)
    name = str(value)[len(_STUB_PREFIX) :].strip() or "this exercise"
    lines = NotWrittenYet(name, message, hint)._render_traceback_()
    shell._showtraceback(etype, value, lines)
    return lines


def install_notebook_display() -> None:
    """In IPython, show the generated stubs' NotImplementedError as one clear message."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if shell is not None and hasattr(shell, "set_custom_exc"):
        shell.set_custom_exc((NotImplementedError,), _show_stub_error)
