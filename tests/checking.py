"""Assertions for testing checks: a right answer passes, a wrong one fails with its hint.

With ``NN_WORKBOOK_PARITY=1`` in the environment, every answer that goes through
:func:`assert_passes` or :func:`assert_fails` also goes through the batch grader's
per-exercise path (:func:`grader_verdict`), and the grader must give the same verdict and
the same text as the notebook. ``tests/test_parity.py`` runs every ``test_check_*.py``
file that way, so every table of known-right and known-wrong variants is covered.
"""

from __future__ import annotations

import contextlib
import inspect
import linecache
import os
import socket
import sys
import time

import numpy as np
import pytest
from answer_lines import fixes_in

from helpers.check import REGISTRY, CheckFailed
from helpers.check._core import NotWrittenYet
from helpers.check.mistakes import MISTAKES, mistake_id

PARITY = os.environ.get("NN_WORKBOOK_PARITY") == "1"
# the grader runs the checks in strict mode (more trials); the notebook does not
STRICT = os.environ.get("NN_WORKBOOK_PARITY_STRICT", "1") == "1"

# Differences that come from the grader's machinery (helpers/grading), not from a check.
# Each is a known bug to fix there; the parity run marks it xfail, naming the fix, and
# passes by itself once the grader gives the notebook's verdict.
# The grader lends the check's objects read-only, so a wrong answer that overwrites one of
# their attributes fails there with this refusal rather than with the notebook's hint.
_GRADER_REFUSAL = "the grader's objects are read-only"
_GRADER_FAULTS: tuple[tuple[str, str], ...] = ()  # (fragment of the feedback, why)


def assert_passes(check, answer, capsys=None, *, warned: str | None = None,
                  cell: tuple[str, tuple[str, ...]] | None = None) -> None:
    """The check accepts ``answer`` and prints exactly its one ✓ line.

    ``warned``: the answer is right but makes numpy warn; the ✓ line must carry a note that
    names this warning (a fragment of numpy's message). Needs ``capsys``.
    ``cell``: the source the answer was defined by and the course cells above it, which the
    grader reads for what the answer borrows (helpers.check.own_work_cell).
    """
    try:
        check(answer)
    except CheckFailed as failure:
        pytest.fail(f"a correct answer was rejected:\n{failure}")
    if capsys is not None:
        out = capsys.readouterr().out
        assert out.count("\n") == 1 and out.startswith("✓ "), out
        if warned is None:
            assert out.endswith(" looks right.\n"), out
        else:
            assert " looks right. Note: numpy warned in " in out and warned in out, out
    if PARITY:
        status, text = grader_verdict(check, answer, strict=STRICT, cell=cell)
        if status != "passed":
            _known_grader_fault(text)
        assert status == "passed", f"the grader rejected a correct answer:\n{text}"


def assert_fails(check, answer, *fragments: str, mistake: str | None = None,
                 cell: tuple[str, tuple[str, ...]] | None = None) -> CheckFailed:
    """The check rejects ``answer``; every fragment appears in what the student reads.

    Every hint carries a listed mistake id (helpers/check/mistakes.py), which the grader
    records; ``mistake``, when given, is the id the failure must carry.
    """
    with pytest.raises(CheckFailed) as info:
        check(answer)
    text = info.value.plain  # hints are matched unwrapped; what Jupyter shows is wrapped
    for fragment in fragments:
        assert fragment in text, f"expected {fragment!r} in the feedback:\n{text}"
    failure = info.value
    # a failure names the mistake, never writes the fix (PEDAGOGY.md §5)
    written = fixes_in(text, failure.exercise)
    assert not written, f"the feedback writes the solution's code {written}:\n{text}"
    if failure.hint is not None:
        assert failure.mistake in MISTAKES, (
            f"this hint has no listed mistake id ({failure.mistake!r}):\n{text}")
    if mistake is not None:  # UNNAMED: a failure that names no known mistake
        assert mistake_id(failure) == mistake, (
            f"expected the mistake {mistake!r}, got {mistake_id(failure)!r}:\n{text}")
    if PARITY:
        result = grader_result(check, answer, strict=STRICT, cell=cell)
        status, graded = result.status, result.feedback
        want = "not written" if isinstance(info.value, NotWrittenYet) else "failed"
        if status == want == "failed" and _GRADER_REFUSAL in graded:
            return info.value  # the grader refused the write the notebook let through: both fail
        if (status, graded) != (want, str(info.value)):
            _known_grader_fault(graded + "\n" + str(info.value))
        assert (status, graded) == (want, str(info.value)), (
            f"the grader ({status}) says:\n{graded}\nthe notebook says:\n{info.value}"
        )
        # the mistake the grader records (results.json), once its result carries one
        recorded = getattr(result, "mistake", None)
        if status == "failed" and recorded is not None:
            assert recorded == mistake_id(failure), (
                f"the grader records the mistake {recorded!r}, the notebook names "
                f"{mistake_id(failure)!r}:\n{graded}")
    return info.value


def _known_grader_fault(text: str) -> None:
    text = " ".join(text.split())  # the feedback is wrapped
    for fragment, reason in _GRADER_FAULTS:
        if fragment in text:
            pytest.xfail(f"grader-side difference (helpers/grading): {reason}")


def _exercise_id(check) -> str:
    for name, registered in REGISTRY.items():
        if registered is check:
            return name
    raise LookupError(f"{check!r} is not a registered check")


def _source_file(answer) -> str | None:
    """The file the answer's code lives in: the grader quotes its lines as the student's."""
    code = getattr(answer, "__code__", None)
    if code is not None:
        return code.co_filename
    cls = answer if inspect.isclass(answer) else type(answer)
    module = sys.modules.get(getattr(cls, "__module__", ""), None)
    return getattr(module, "__file__", None)


def grader_verdict(check, answer, *, strict: bool = False, seconds: float = 120.0,
                   cell: tuple[str, tuple[str, ...]] | None = None):
    """(status, feedback) from the grader's per-exercise path for ``answer``."""
    result = grader_result(check, answer, strict=strict, seconds=seconds, cell=cell)
    return result.status, result.feedback


def grader_result(check, answer, *, strict: bool = False, seconds: float = 120.0,
                  cell: tuple[str, tuple[str, ...]] | None = None):
    """The grader's ExerciseResult for ``answer``, from its per-exercise path.

    The answer is served from a forked copy of this process (a sandbox that already holds
    the answer, so no source code is needed), through the grader's RPC connection, and
    judged by ``helpers.grading.judge``'s per-exercise code, as a submission would be.
    The notebook path runs the check with ``strict=False``; so does this, by default, so
    that both see the same trials. ``cell`` (source, course cells) is what the judge reads
    for what the answer borrows, as it reads a submission's cell; without it, nothing.
    """
    from helpers.check.own_work_cell import graded_cell
    from helpers.grading import judge, sandbox
    from helpers.grading.course import Exercise
    from helpers.grading.rpc import Connection

    exercise_id = _exercise_id(check)
    log = os.environ.get("NN_WORKBOOK_PARITY_LOG")
    if log:  # test_parity counts the comparisons, so that a parity run cannot pass empty
        with open(log, "a", encoding="utf-8") as file:
            file.write(exercise_id + "\n")
    exercise = Exercise(id=exercise_id, name=exercise_id, points=1.0, cell=0)
    student_file = _source_file(answer)
    if student_file:  # the student's line, quoted as the notebook quotes it
        lines = linecache.getlines(student_file)
        linecache.cache[judge.STUDENT_FILE] = (0, None, lines, judge.STUDENT_FILE)
    ours, theirs = socket.socketpair()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the sandbox: serves the answer until the judge hangs up
        try:
            ours.close()
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            Connection(
                theirs, side="s", guarded=False, rebuild_error=sandbox._judge_error,
                student_file=student_file, extra_ops={"define": lambda: ("ok", answer)},
            ).serve_forever()
        finally:
            os._exit(0)
    theirs.close()
    try:
        connection = Connection(ours, side="j", guarded=True, rebuild_error=judge._student_error)
        connection.deadline = time.monotonic() + seconds
        with graded_cell(*cell) if cell else contextlib.nullcontext():
            result = judge._run(connection, exercise, cell[0] if cell else "",
                                judge.Limits(seconds=seconds), strict)
    finally:
        ours.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    return result


class OneParameter:
    """A model with a single parameter vector whose gradient a test sets by hand."""

    def __init__(self):
        self.theta = np.array([1.0, -2.0])
        self.grad = np.zeros(2)

    def parameters(self):
        yield self.theta, self.grad


def own_copy(obj, module: str = "__main__"):
    """The package's ``obj`` as a student who typed it out in their notebook would have it.

    A check fails the package's own object under the student's name (general/borrowed-
    reference); a test that uses a reference as a known-right answer passes this copy: new
    function objects over the same code, whose globals name the copy where they named the
    original, and for a class its whole body (its package bases' too, but ``nn.Module``,
    the base the notebooks ask for) in one new class.
    """
    if inspect.isfunction(obj):
        return _copy_function(obj, module, {})
    from helpers.nn import Module

    bases = tuple(b for b in obj.__mro__[1:] if b is Module) or (object,)
    body = {}
    for klass in reversed(obj.__mro__):
        if klass is object or klass is Module:
            continue
        body.update({k: v for k, v in vars(klass).items() if k not in ("__dict__", "__weakref__")})
    body["__module__"] = module
    copy = type(obj.__name__, bases, {})
    renames = {klass.__name__: copy for klass in obj.__mro__ if klass not in (object, Module)}
    for key, value in body.items():
        if isinstance(value, (staticmethod, classmethod)):
            value = type(value)(_copy_function(value.__func__, module, renames, copy))
        elif inspect.isfunction(value):
            value = _copy_function(value, module, renames, copy)
        elif isinstance(value, property):
            value = property(*(f and _copy_function(f, module, renames, copy)
                               for f in (value.fget, value.fset, value.fdel)))
        setattr(copy, key, value)
    return copy


def _copy_function(fn, module, renames, owner=None):
    import types

    namespace = {**fn.__globals__, **renames}
    closure = fn.__closure__
    if closure is not None and "__class__" in fn.__code__.co_freevars and owner is not None:
        closure = tuple(types.CellType(owner) if name == "__class__" else cell
                        for name, cell in zip(fn.__code__.co_freevars, closure, strict=True))
    copy = types.FunctionType(fn.__code__, namespace, fn.__name__, fn.__defaults__, closure)
    copy.__kwdefaults__, copy.__qualname__ = fn.__kwdefaults__, fn.__qualname__
    copy.__module__, copy.__doc__ = module, fn.__doc__
    return copy
