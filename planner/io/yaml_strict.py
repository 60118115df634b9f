"""Strict YAML: duplicate keys are errors; "12:00" stays a string, not 720 minutes."""

from __future__ import annotations

import re
from typing import Any

import yaml

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


def read_yaml(text: str, source: str) -> Any:
    """Parse YAML text strictly; syntax errors become a ScenarioError with the line number."""
    try:
        return yaml.load(
            text, Loader=_StrictYamlLoader
        )  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError.single(source, where, MISSING, f"not valid YAML: {problem}") from None
