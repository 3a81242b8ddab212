"""Which module-level names each cell binds and reads, with Python's scoping rules.

A cell is cut into top-level statements. For each one we record the names it
binds at module level and the module-level names it reads, each read marked
*deferred* when it sits in a function or lambda body (it is only evaluated
when called, so cell order does not matter for it). Reads and binds are
compared per top-level statement: a ``for`` loop that reads ``total`` and
binds it is not a read before definition, whatever the order inside it.

Scopes follow the language: function and lambda locals (arguments, any
assignment, ``for``/``with``/``except`` targets, imports), ``global`` and
``nonlocal``, class bodies (not visible from methods), comprehensions (their
targets are local; their first iterable is evaluated outside; ``:=`` binds
in the enclosing scope), ``del``, and ``from m import *``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, NamedTuple

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


# Fields that never hold a node (identifiers, numbers, flags) and ``ctx``, whose
# Load/Store singletons no check looks at: skipping them shortens every walk.
_NOT_NODES = frozenset(
    {"ctx", "id", "attr", "arg", "name", "asname", "module", "level", "kind", "type_comment"}
    | {"conversion", "rest", "kwd_attrs", "is_async"}
)
_LEAVES = (ast.Constant, ast.Global, ast.Nonlocal)
_ONE, _MANY, _SOME = 0, 1, 2
"""Field kinds: one node or ``None``; a list of nodes; a list that may also hold ``None``."""
_MAY_HOLD_NONE = frozenset({(ast.Dict, "keys"), (ast.arguments, "kw_defaults")})
_FIELDS: dict[type[ast.AST], tuple[tuple[str, int], ...]] = {}


def _fields(node: ast.AST) -> tuple[tuple[str, int], ...]:
    """The node-holding fields of ``node``'s class and their kinds, learnt from its first node.

    A list field holds a list in every node the parser builds, even an empty one.
    """
    cls = type(node)
    names = () if cls in _LEAVES else tuple(n for n in cls._fields if n not in _NOT_NODES)
    fields = tuple(
        (
            name,
            _SOME
            if (cls, name) in _MAY_HOLD_NONE
            else _MANY
            if type(getattr(node, name, None)) is list
            else _ONE,
        )
        for name in names
    )
    _FIELDS[cls] = fields
    return fields


def children(node: ast.AST) -> list[ast.AST]:
    """The child nodes that can matter (no ``ctx``), without ``ast.iter_child_nodes``' layers."""
    found: list[ast.AST] = []
    _add_children(node, found)
    return found


def _add_children(node: ast.AST, found: list[ast.AST]) -> None:
    fields = _FIELDS.get(type(node))
    for name, kind in _fields(node) if fields is None else fields:
        value: Any = getattr(node, name, None)
        if kind == _MANY:
            found.extend(value or ())
        elif kind == _ONE:
            if isinstance(value, ast.AST):
                found.append(value)
        else:
            found.extend(item for item in value or () if item is not None)


def walk(node: ast.AST) -> list[ast.AST]:
    """Every node under ``node`` (itself included, ``ctx`` left out), in no particular order."""
    nodes = [node]
    for current in nodes:  # grows while iterated: a breadth-first walk without a queue
        _add_children(current, nodes)
    return nodes


class Read(NamedTuple):
    """A module-level name read; a tuple because a long cell makes thousands of them."""

    name: str
    line: int
    column: int
    deferred: bool


@dataclass
class Step:
    """One top-level statement of a cell."""

    binds: set[str] = field(default_factory=set)
    reads: list[Read] = field(default_factory=list)
    deletes: set[str] = field(default_factory=set)
    star: bool = False


@dataclass
class _Scope:
    kind: str
    local: set[str]
    declared_global: set[str]


def _target_names(node: ast.AST, out: set[str]) -> None:
    """Names bound by an assignment target (``a, (b, *c) = ...``)."""
    if isinstance(node, ast.Name):
        out.add(node.id)
    elif isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            _target_names(element, out)
    elif isinstance(node, ast.Starred):
        _target_names(node.value, out)


def _bound_in(
    body: list[ast.stmt] | list[ast.AST], descend: bool = True
) -> tuple[set[str], set[str], set[str]]:
    """(bound, global, nonlocal) names of one scope's body, nested scopes excluded.

    ``descend=False`` takes ``body`` as every node already (from ``ast.walk``).
    """
    bound: set[str] = set()
    declared: set[str] = set()
    nonlocal_: set[str] = set()
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
            continue
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            bound.add(node.name)
            stack.extend(node.decorator_list)
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, _COMPREHENSIONS):
            # Only ``:=`` inside a comprehension reaches this scope.
            bound.update(
                n.target.id
                for n in ast.walk(node)
                if isinstance(n, ast.NamedExpr) and isinstance(n.target, ast.Name)
            )
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    bound.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif isinstance(node, ast.Global):
            declared.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            nonlocal_.update(node.names)
        if descend:
            stack.extend(children(node))
    return bound, declared, nonlocal_


class _Collector:
    """Walks one top-level statement, resolving each name read to its scope."""

    def __init__(self, step: Step) -> None:
        self.step = step
        self.scopes: list[_Scope] = []
        self.functions = 0

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                self._read(node)
        elif isinstance(node, _FUNCTIONS):
            self._function(node)
        elif isinstance(node, ast.Lambda):
            self._visit_all([*node.args.defaults, *filter(None, node.args.kw_defaults)])
            self._enter("function", [node.body], node.args, [node.body])
        elif isinstance(node, ast.ClassDef):
            self._visit_all([*node.decorator_list, *node.bases, *node.keywords])
            self._enter("class", node.body, None, node.body)
        elif isinstance(node, _COMPREHENSIONS):
            self._comprehension(node)
        else:
            for child in children(node):
                self.visit(child)

    def _visit_all(self, nodes: list[ast.AST] | list[ast.expr] | list[ast.keyword]) -> None:
        for node in nodes:
            self.visit(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = node.args
        annotations = [a.annotation for a in _all_args(args) if a.annotation is not None]
        self._visit_all(
            [*node.decorator_list, *args.defaults, *filter(None, args.kw_defaults), *annotations]
        )
        if node.returns is not None:
            self.visit(node.returns)
        self._enter("function", node.body, args, node.body)

    def _comprehension(self, node: ast.AST) -> None:
        generators: list[ast.comprehension] = getattr(node, "generators", [])
        self.visit(generators[0].iter)
        targets: set[str] = set()
        for generator in generators:
            _target_names(generator.target, targets)
        self.scopes.append(_Scope("comprehension", targets, set()))
        try:
            for index, generator in enumerate(generators):
                if index:
                    self.visit(generator.iter)
                self._visit_all(generator.ifs)
            for name in ("elt", "key", "value"):
                child = getattr(node, name, None)
                if child is not None:
                    self.visit(child)
        finally:
            self.scopes.pop()

    def _enter(
        self, kind: str, scan: list[ast.stmt] | list[ast.expr], args: ast.arguments | None,
        body: list[ast.stmt] | list[ast.expr],
    ) -> None:  # fmt: skip
        bound, declared, nonlocal_ = _bound_in(list(scan))
        if args is not None:
            bound.update(a.arg for a in _all_args(args))
        if kind == "function":
            # ``global x`` plus ``x = ...`` in a function binds the module's ``x`` when called.
            self.step.binds.update(declared & bound)
        self.scopes.append(_Scope(kind, bound - declared - nonlocal_, declared))
        self.functions += kind == "function"
        try:
            self._visit_all(list(body))
        finally:
            self.scopes.pop()
            self.functions -= kind == "function"

    def _read(self, node: ast.Name) -> None:
        innermost = len(self.scopes) - 1
        for depth in range(innermost, -1, -1):
            scope = self.scopes[depth]
            if scope.kind == "class" and depth != innermost:
                continue
            if node.id in scope.declared_global:
                break
            if node.id in scope.local:
                return
        deferred = self.functions > 0
        self.step.reads.append(Read(node.id, node.lineno, node.col_offset + 1, deferred))


def _all_args(args: ast.arguments) -> list[ast.arg]:
    extra = [a for a in (args.vararg, args.kwarg) if a is not None]
    return [*args.posonlyargs, *args.args, *args.kwonlyargs, *extra]


_SCOPE_NODES = (*_FUNCTIONS, ast.Lambda, ast.ClassDef, *_COMPREHENSIONS)
_SCOPE_TYPES = frozenset(_SCOPE_NODES)
_OTHER_BINDERS = frozenset(
    {ast.Import, ast.ImportFrom, ast.ExceptHandler, ast.MatchAs, ast.MatchStar, ast.MatchMapping}
)


def _step(statement: ast.stmt) -> Step:
    step = Step()
    if isinstance(statement, ast.ImportFrom) and any(a.name == "*" for a in statement.names):
        step.star = True
    if isinstance(statement, ast.Delete):
        for target in statement.targets:
            _target_names(target, step.deletes)
        return step
    nodes = walk(statement)
    names: list[ast.Name] = []
    others: list[ast.AST] = []
    for node in nodes:
        kind = type(node)
        if isinstance(node, ast.Name):
            names.append(node)
        elif kind in _SCOPE_TYPES:
            step.binds, _, _ = _bound_in([statement])
            _Collector(step).visit(statement)
            step.reads.sort(key=_position)
            return step
        elif kind in _OTHER_BINDERS:
            others.append(node)
    # No scope opened: every name is a module-level read or bind.
    for name in names:
        if type(name.ctx) is ast.Load:
            step.reads.append(Read(name.id, name.lineno, name.col_offset + 1, False))
        else:
            step.binds.add(name.id)
    if others:
        step.binds |= _bound_in(others, descend=False)[0]
    step.reads.sort(key=_position)
    return step


def _position(read: Read) -> tuple[int, int]:
    return read.line, read.column


def steps(tree: ast.Module) -> tuple[Step, ...]:
    """The steps of a parsed cell, one per top-level statement."""
    return tuple(_step(statement) for statement in tree.body)
