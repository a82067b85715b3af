"""Before grading anyone: can this grader grade fairly here?

A grader whose own environment is broken (a Python without matplotlib, a half-installed
package, limits too tight for this machine) would give every student a 0 for its own fault.
So before it grades anyone, :func:`check_environment` makes sure of two things, and raises
:class:`EnvironmentProblem` (a message for the instructor; nothing is written) when either
fails:

1. **Imports.** The Python that runs the students' code (the same interpreter, with the
   sandbox's environment) imports the package's runtime dependencies, the package, and
   every module the course notebook imports.
2. **Reference answers.** Each exercise's own answer from the course notebook, graded
   exactly as a student's cell is (one fresh sandbox per exercise, the strict check, the
   instructor's time and memory limits), gets full marks.

It also validates the course notebook with nbformat (a maintainer's problem:
:class:`~helpers.course.CourseError`).

This module imports only the standard library at the top, so it can report a missing numpy
instead of failing with a traceback.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from .confine import sandbox_env

__all__ = ["CACHE_NAME", "RUNTIME_DEPENDENCIES", "EnvironmentProblem", "check_environment",
           "check_imports", "check_reference_answers", "fingerprint"]

#: What every course notebook needs at run time (pyproject.toml's dependencies).
RUNTIME_DEPENDENCIES = ("numpy", "matplotlib", "ipywidgets", "tqdm")
#: The package itself, as the grader and the sandbox use it.
PACKAGE_MODULES = ("helpers", "helpers.check", "helpers.grading.sandbox")
#: Where a passed check is remembered, in ``<out>/<notebook>/``: the next run there skips
#: the check while nothing it depends on (see :func:`fingerprint`) has changed.
CACHE_NAME = ".preflight.json"

_PROBE = """\
import importlib, json, sys
failed = {}
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as err:
        parent, _, attr = name.rpartition(".")
        if err.name == name and parent:  # `from parent import attr`: a name, not a module
            try:
                if hasattr(importlib.import_module(parent), attr):
                    continue
            except BaseException:
                pass  # the parent is in the list too and reports its own failure
        failed[name] = f"{type(err).__name__}: {err}"
    except BaseException as err:  # a module may exit or raise anything while importing
        failed[name] = f"{type(err).__name__}: {err}"
print(json.dumps(failed))
"""


class EnvironmentProblem(RuntimeError):
    """The grader cannot grade fairly here; the message says why and what to do."""


def _fix(python: str) -> str:
    return (
        "Install the workbook into this Python (in the workbook folder: "
        f"`{python} -m pip install -e .`), or run the grader from the environment the "
        "README sets up: `.venv/bin/nn-workbook-grade submissions/ --out grades/`."
    )


def check_imports(modules: tuple[str, ...] = ()) -> None:
    """The runtime dependencies, the package and ``modules`` import in the sandbox's Python."""
    wanted = list(dict.fromkeys((*RUNTIME_DEPENDENCIES, *PACKAGE_MODULES, *modules)))
    python = sys.executable
    try:
        done = subprocess.run(
            [python, "-c", _PROBE, json.dumps(wanted)], env=sandbox_env(),
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
        )
        failed = json.loads(done.stdout.strip().splitlines()[-1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError) as err:
        raise EnvironmentProblem(
            f"the grader could not start {python} to check its imports ({err})."
        ) from err
    if failed:
        lines = "\n".join(f"  {name}: {why}" for name, why in failed.items())
        missing = [n for n in failed if n.split(".")[0] != "helpers"]
        what = ("the package looks half-installed" if not missing
                else "the course's dependencies are missing")
        raise EnvironmentProblem(
            f"{python} cannot import what the course notebooks need ({what}):\n{lines}\n"
            + _fix(python)
        )


def check_reference_answers(course, limits) -> None:
    """Every exercise's reference answer passes its check through the sandbox, as a student's
    cell would be graded."""
    from .judge import grade_exercise  # imported here: it needs numpy and the checks

    failures = []
    for exercise in course.exercises:
        source = _cell_source(course.cells[exercise.cell])
        try:
            result = grade_exercise(course, exercise, source, limits)
        except Exception as err:  # the sandbox did not start, or the judge broke
            raise EnvironmentProblem(
                f"the grader's sandbox could not grade the course's own answer to "
                f"{exercise.id} ({type(err).__name__}: {err})."
            ) from err
        if result.status != "passed":
            failures.append(f"  {exercise.id} ({result.status}): "
                            + result.feedback.replace("\n", "\n    "))
    if failures:
        raise EnvironmentProblem(
            f"the course's own answers in {course.path.name} do not all pass in the grader's "
            "sandbox, so students would lose points for the grader's fault:\n"
            + "\n".join(failures) + "\n"
            f"If a time or memory limit was hit, raise --timeout (now {limits.seconds:g} s) or "
            f"--memory (now {limits.memory_mb} MB); otherwise {_fix(sys.executable)}"
        )


def _cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def check_environment(course_path: Path, limits, cache: Path | None = None) -> bool:
    """Both checks (see the module docstring) for the course notebook at ``course_path``.

    ``cache``: a file (``<out>/<notebook>/.preflight.json``) that remembers a passed check;
    while its fingerprint matches, the checks are skipped. True when they were skipped.
    """
    key = fingerprint(course_path, limits) if cache is not None else ""
    if cache is not None and _remembered(cache) == key:
        return True
    check_imports()  # before anything here imports numpy or the checks
    from helpers.course import load_course

    course = load_course(course_path, schema=True)  # a valid notebook, too
    check_imports(course.preload())
    check_reference_answers(course, limits)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps({"fingerprint": key}) + "\n", encoding="utf-8")
        except OSError:  # only a cache: the next run checks again
            pass
    return False


def fingerprint(course_path: Path, limits) -> str:
    """All the check's verdict depends on: this Python, every installed package's version,
    the helpers package's source, the course notebook, the limits and the sandbox's
    environment. A change to any of them checks again."""
    import helpers

    digest = hashlib.sha256()
    for part in (sys.version, sys.executable, platform.platform(),
                 f"{limits.seconds}|{limits.memory_mb}", json.dumps(sorted(sandbox_env().items()))):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(versions).encode() + b"\0")
    package = Path(helpers.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    digest.update(Path(course_path).read_bytes())
    return digest.hexdigest()


def _remembered(cache: Path) -> str | None:
    try:
        return json.loads(cache.read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return None
