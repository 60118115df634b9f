"""Strict YAML: duplicate keys are errors; "12:00" stays a string, not 720 minutes; hostile
files (a "billion laughs" of nested aliases, deep nesting, megabytes of text) are refused before
they are expanded, with the limits of :mod:`planner.domain.limits`."""

from __future__ import annotations

import re
from typing import Any

import yaml

from planner.domain import limits
from planner.errors import MISSING, ScenarioError

__all__ = ["read_yaml"]


class _StrictYamlLoader(yaml.SafeLoader):
    """YAML 1.1 safe loader without its surprises.

    PyYAML reads an unquoted ``12:00`` as the base-60 integer 720 and ``010`` as octal 8, and keeps
    the last of two duplicate keys silently. Here clock times stay strings, integers are decimal,
    and a duplicate key is an error.
    """


_StrictYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":int", ":float"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_StrictYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


def _construct_mapping(loader: _StrictYamlLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictYamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


class _TooLarge(Exception):
    """The document breaks a size limit: ``where`` and ``rule`` say how."""

    def __init__(self, where: str, rule: str):
        super().__init__(rule)
        self.where, self.rule = where, rule


def _check_size(root: yaml.Node | None) -> None:
    """Refuse a document whose aliases would repeat too much of it, or that nests too deeply.

    Aliases (``*name``) make a node appear again wherever they are used; a few nested aliases
    in a 2 KB file can stand for billions of nodes ("billion laughs"). The walk counts the
    nodes of the document as it would be expanded, each distinct node once per appearance but
    each computed once (memoised), so it takes time linear in the file however large the
    expansion would be, and stops as soon as a limit is passed.
    """
    if root is None:
        return
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded nodes, levels below)
    distinct = 0

    def too_deep(node: yaml.Node) -> _TooLarge:
        mark = node.start_mark
        return _TooLarge(
            f"line {mark.line + 1}, column {mark.column + 1}",
            f"nested more than {limits.MAX_YAML_DEPTH} levels deep (aliases expanded)",
        )

    def expanded(node: yaml.Node, depth: int, path: tuple[int, ...]) -> tuple[int, int]:
        nonlocal distinct
        if depth > limits.MAX_YAML_DEPTH:
            raise too_deep(node)
        if id(node) in sizes:
            size, height = sizes[id(node)]
            if depth + height > limits.MAX_YAML_DEPTH:
                raise too_deep(node)
            return size, height
        if id(node) in path:
            mark = node.start_mark
            raise _TooLarge(
                f"line {mark.line + 1}, column {mark.column + 1}", "an alias refers to itself"
            )
        distinct += 1
        inner = (*path, id(node))
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        size, height = 1, 0
        for child in children:
            child_size, child_height = expanded(child, depth + 1, inner)
            size += child_size
            height = max(height, child_height + 1)
            # size - distinct never exceeds the whole document's repeated values: no false alarm
            if size - distinct > limits.MAX_YAML_ALIAS_NODES:
                raise _TooLarge(
                    "(file)",
                    f"its aliases (*name) would repeat more than {limits.MAX_YAML_ALIAS_NODES:,} "
                    "values (a 'billion laughs' file?); write the values out instead",
                )
        sizes[id(node)] = (size, height)
        return size, height

    expanded(root, 0, ())


class _LimitedLoader(_StrictYamlLoader):
    """The strict loader, counting alias uses as it composes (``*name`` beyond the limit is
    refused before anything is expanded)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.alias_count = getattr(self, "alias_count", 0) + 1
            if self.alias_count > limits.MAX_YAML_ALIASES:
                mark = self.peek_event().start_mark
                raise _TooLarge(
                    f"line {mark.line + 1}, column {mark.column + 1}",
                    f"uses aliases (*name) more than {limits.MAX_YAML_ALIASES} times; write the "
                    "values out instead",
                )
        self.compose_depth = getattr(self, "compose_depth", 0) + 1
        try:
            if self.compose_depth > limits.MAX_YAML_DEPTH + 1:
                mark = self.peek_event().start_mark
                raise _TooLarge(
                    f"line {mark.line + 1}, column {mark.column + 1}",
                    f"nested more than {limits.MAX_YAML_DEPTH} levels deep",
                )
            return super().compose_node(parent, index)
        finally:
            self.compose_depth -= 1


def read_yaml(text: str, source: str, *, max_bytes: int = limits.MAX_SCENARIO_BYTES) -> Any:
    """Parse YAML text strictly; syntax errors become a ScenarioError with the line number.

    Refused before parsing: text longer than ``max_bytes`` (UTF-8). Refused before building any
    object: more than ``MAX_YAML_ALIASES`` alias uses, aliases that would repeat more than
    ``MAX_YAML_ALIAS_NODES`` values, nesting deeper than ``MAX_YAML_DEPTH``.
    """
    if len(text) > max_bytes or len(text.encode("utf-8")) > max_bytes:
        raise ScenarioError.single(
            source,
            "(file)",
            f"{len(text.encode('utf-8')):,} bytes",
            f"is too large: at most {max_bytes:,} bytes",
        )
    loader = None
    try:
        loader = _LimitedLoader(text)  # a SafeLoader subclass; its reader refuses NUL and such
        root = loader.get_single_node()
        _check_size(root)
        return None if root is None else loader.construct_document(root)
    except _TooLarge as exc:
        raise ScenarioError.single(source, exc.where, MISSING, exc.rule) from None
    except RecursionError:
        raise ScenarioError.single(
            source, "(file)", MISSING, f"nested more than {limits.MAX_YAML_DEPTH} levels deep"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError.single(source, where, MISSING, f"not valid YAML: {problem}") from None
    finally:
        if loader is not None:
            loader.dispose()
