"""The grader's side of :mod:`.own_work`: what a student's cell borrows, read from its source.

The grader's check gets a proxy for the sandbox's object, which cannot say what it is; the
judge has the cell's source and the course's cells above it, and sets them around the check
(:func:`graded_cell`). The cell is never run here: its names are resolved statically, the
course's and the cell's imports from the ``helpers`` package imported for real (the package
is trusted and already loaded), the cell's own definitions followed as syntax trees, with
the scanner the notebook's side uses (:class:`.own_work.Scanner`), for the same verdict.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import contextvars
import inspect
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from .own_work import Borrowed, Code, References, Scanner, display, references

__all__ = ["borrowed_in_cell", "graded_cell", "current_cell"]

#: Calls that return the function they are given, wrapped (the notebook's side unwraps them).
_WRAPPERS = ("partial", "staticmethod", "classmethod")

_CELL: contextvars.ContextVar[tuple[str, tuple[str, ...]] | None] = contextvars.ContextVar(
    "graded_cell", default=None)


@contextlib.contextmanager
def graded_cell(source: str, context: Iterable[str] = ()) -> Iterator[None]:
    """While the grader checks a submission: the cell's ``source`` and the course cells
    that run before it (``context``, whose imports say what ``optim`` or ``Adam`` is)."""
    token = _CELL.set((source, tuple(context)))
    try:
        yield
    finally:
        _CELL.reset(token)


def current_cell() -> tuple[str, tuple[str, ...]] | None:
    return _CELL.get()


def _parse(source: str) -> list[ast.stmt]:
    try:
        return ast.parse(source).body
    except (SyntaxError, ValueError):
        return []


def _imported(node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, Any]]:
    """(name, object) for what an import statement binds, for the package's modules only."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] == "helpers":
                module = _module(alias.name if alias.asname else "helpers")
                yield (alias.asname or alias.name.split(".")[0]), module
        return
    if node.level or (node.module or "").split(".")[0] != "helpers":
        return
    module = _module(node.module)
    for alias in node.names:
        try:
            value = inspect.getattr_static(module, alias.name) if module else None
        except AttributeError:
            value = None
        yield alias.asname or alias.name, value or _module(f"{node.module}.{alias.name}")


def _module(name: str) -> Any:
    """The package's module ``name`` if it is loaded; never imported here, since importing
    a module a submission names would run it in the grader (``helpers.grading.__main__``).
    A module the check has not loaded holds no reference of its exercise."""
    return sys.modules.get(name)


class _Cell:
    """A cell's top-level bindings, in order, after the course's imports."""

    def __init__(self, source: str, context: Iterable[str]):
        self.namespace: dict[str, Any] = {}
        for cell in context:
            for node in _parse(cell):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    self.namespace.update(_imported(node))
                elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Assign)):
                    for name in _names(node):  # the course's own definitions: not the package
                        self.namespace[name] = None
        self.bindings: dict[str, ast.stmt] = {}
        for node in _parse(source):
            for name in _names(node):
                self.bindings[name] = node

    def resolve(self, name: str) -> Any:
        node = self.bindings.get(name)
        if node is None:
            if name in self.namespace:
                return self.namespace[name]
            return vars(builtins).get(name)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return Code(node, self.resolve, node.name, node)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return dict(_imported(node)).get(name)
        value = getattr(node, "value", None)
        if value is None:
            return None
        found = self.value(value, before=name)
        return Code(value, self.resolve, name, node) if found is None else found

    def value(self, node: ast.AST, before: str | None = None) -> Any:
        """What an expression of the cell stands for: a dotted name, a method of a made
        object (``Tanh().forward``, as the notebook's side reads a bound method), or
        ``functools.partial(<dotted name>, ...)`` (the function it wraps); None otherwise.
        ``before``: the name being defined, which the expression reads as it was before
        (``class Linear(Linear)`` subclasses the notebook's Linear)."""
        chain = _chain(node)
        if chain is not None and chain[0] == before:
            found = self.namespace.get(before)
            return self._attrs(found, chain[1:])
        if chain is not None:
            return self.follow(chain)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call):
            made = self.value(node.value.func, before)  # `Tanh().forward`: Tanh's forward
            return self._attrs(made, [node.attr]) if isinstance(made, type) else None
        if isinstance(node, ast.Call) and node.args:
            func = _chain(node.func)
            if func and func[-1] in _WRAPPERS:
                return self.value(node.args[0], before)
        return None

    def _attrs(self, found: Any, attrs: list[str]) -> Any:
        for attr in attrs:
            if found is None or isinstance(found, Code):
                return None
            try:
                found = inspect.getattr_static(found, attr)
            except AttributeError:
                return None
        return found

    def follow(self, chain: list[str]) -> Any:
        return self._attrs(self.resolve(chain[0]), chain[1:])


def _names(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _chain(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else None


def borrowed_in_cell(exercise: str, source: str, context: Iterable[str] = (),
                     kind: str = "function") -> Borrowed | None:
    """What the object the cell ``source`` defines for ``exercise`` borrows, or None."""
    refs = references(exercise)
    if refs is None:
        return None
    cell = _Cell(source, context)
    found = cell.resolve(refs.name)
    if found is None:
        return None
    if not isinstance(found, Code):
        ref = refs.match(found)
        return Borrowed(refs.name, display(ref), "is", None, kind) if ref is not None else None
    scanner = Scanner(refs, kind)
    if isinstance(found.tree, ast.ClassDef):
        return _class(found.tree, cell, refs, scanner, kind, set())
    return scanner.code(Code(found.tree, cell.resolve, refs.name, found.key))


def _class(node: ast.ClassDef, cell: _Cell, refs: References, scanner: Scanner, kind: str,
           seen: set[int]) -> Borrowed | None:
    """A class of the cell: the reference among its bases, then its body and its own
    bases' bodies (Python's method resolution order, for single inheritance)."""
    base = _reference_base(node, cell, refs, set())
    if base is not None:
        return Borrowed(refs.name, display(base), "subclasses", None, kind)
    seen.add(id(node))
    for stmt in node.body:
        where = f"{refs.name}.{_names(stmt)[0]}" if _names(stmt) else refs.name
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            value = cell.value(stmt.value)
            ref = refs.match(value) if value is not None and not isinstance(value, Code) else None
            if ref is not None:
                return Borrowed(refs.name, display(ref), "is", where, kind)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found = scanner.code(Code(stmt, cell.resolve, where, stmt))
            if found is not None:
                return found
    for tree in _own_bases(node, cell):
        if id(tree) not in seen:
            found = _class(tree, cell, refs, scanner, kind, seen)
            if found is not None:
                return found
    return None


def _own_bases(node: ast.ClassDef, cell: _Cell) -> list[ast.ClassDef]:
    bases = [cell.value(b, before=node.name) for b in node.bases]
    return [b.tree for b in bases if isinstance(b, Code) and isinstance(b.tree, ast.ClassDef)]


def _reference_base(node: ast.ClassDef, cell: _Cell, refs: References,
                    seen: set[int]) -> Any | None:
    """The reference class a class of the cell subclasses, directly or through its own."""
    seen.add(id(node))
    for base in (cell.value(b, before=node.name) for b in node.bases):
        if isinstance(base, type) and base not in refs.allowed:
            ref = refs.match(base) or refs.base(base)
            if ref is not None:
                return ref
    for tree in _own_bases(node, cell):
        if id(tree) not in seen and (ref := _reference_base(tree, cell, refs, seen)):
            return ref
    return None
