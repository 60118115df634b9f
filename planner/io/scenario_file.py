"""Scenario files: read (strict YAML, typed schema, cross-field rules, the files they name) and
written back.

Validation happens once, here, at the boundary. Structure and types are checked by pydantic
(unknown keys are errors, numbers are not silently converted from strings); the rules that
connect fields are :func:`planner.domain.checks.check_scenario`. Every problem found is reported
together in one :class:`~planner.errors.ScenarioError` naming the file, the field path, the value
and the rule.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ValidationError

from planner.domain import limits
from planner.domain.checks import check_scenario, horizon_issues
from planner.domain.national import compile_sites, national_issues
from planner.domain.scenario import SCHEMA_VERSION, Scenario
from planner.errors import MISSING, InputIssue, ScenarioError, format_path
from planner.io.files import FileTooLarge, read_named_file, read_regular_file, write_atomic
from planner.io.forecasts import load_forecasts
from planner.io.history import load_histories
from planner.io.operators_file import parse_operators
from planner.io.yaml_strict import read_yaml
from planner.messages import Message, msg

__all__ = ["dump_scenario_yaml", "load_scenario", "parse_scenario", "save_scenario"]


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario file (and the forecast files it refers to).

    Raises
    ------
    ScenarioError
        Listing every problem found, each with the file, the field path, the value and the rule.
    """
    path = Path(path)
    source = str(path)
    try:
        text = read_regular_file(path, max_bytes=limits.MAX_SCENARIO_BYTES).decode("utf-8")
    except FileTooLarge as exc:
        raise ScenarioError.single(
            source, "(file)", f"{exc.size:,} bytes", f"is too large: at most {exc.limit:,} bytes"
        ) from None
    except OSError as exc:
        raise ScenarioError.single(
            source, "(file)", MISSING, f"cannot be read: {exc.strerror}"
        ) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError.single(
            source,
            "(file)",
            MISSING,
            f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position {exc.start}); "
            "save it as UTF-8",
        ) from None
    return parse_scenario(read_yaml(text, source), source=source, base_dir=path.parent)


def parse_scenario(
    data: Any,
    *,
    source: str = "scenario",
    base_dir: str | os.PathLike[str] | None = None,
    forecast_files: Mapping[str, bytes | str] | None = None,
    operator_files: Mapping[str, bytes | str] | None = None,
) -> Scenario:
    """Validate scenario data (already parsed from YAML or built in code).

    Parameters
    ----------
    data : mapping
        The scenario as plain data (``yaml.safe_load`` output, or ``Scenario.model_dump()``).
    source : str
        Shown in error messages as the origin of the data (a file name or ``"upload"``).
    base_dir : path, optional
        The scenario's folder: the files it names (``forecast_csv``, ``operators_file``) are
        read from inside it only (or from ``$PLANNER_DATA_DIR``), never an absolute path, a
        ``..`` or anything but a regular file (:func:`planner.io.files.read_named_file`).
        Without it (an upload) nothing is read from disk: only the files given below.
    forecast_files : mapping of str to bytes or str, optional
        Contents of forecast files by the name used in ``forecast_csv``, for uploads; looked up
        before the file system.
    operator_files : mapping of str to bytes or str, optional
        The same for ``operators_file``.

    Raises
    ------
    ScenarioError
        Listing every problem found.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError.single(
            source, "(top level)", MISSING, "must be a mapping of fields (key: value)"
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(source, [_issue_from_pydantic(e) for e in exc.errors()]) from None
    scenario._source = source
    issues = list(check_scenario(scenario))
    if not issues:  # several centres: checked as written, then compiled to one-centre structures
        issues = list(national_issues(scenario))
        if not issues and scenario.sites:
            scenario = compile_sites(scenario)
            issues = list(check_scenario(scenario))
    forecasts, forecast_issues = load_forecasts(scenario, base_dir, forecast_files or {})
    issues += forecast_issues
    histories, history_issues = load_histories(scenario, base_dir, forecast_files or {})
    issues += history_issues
    operators, operator_issues = _load_operators(scenario, base_dir, operator_files or {})
    issues += operator_issues
    if issues:
        raise ScenarioError(source, issues)
    scenario._forecasts = forecasts
    scenario._histories = histories
    scenario._operators = operators
    return scenario


_PYDANTIC_RULES = {
    "missing": msg("is required"),
    "extra_forbidden": msg("unknown field"),
    "int_type": msg("must be a whole number"),
    "float_type": msg("must be a number"),
    "string_type": msg("must be text"),
    "bool_type": msg("must be true or false"),
    "list_type": msg("must be a list"),
    "dict_type": msg("must be a mapping (key: value)"),
    "model_type": msg("must be a mapping of fields (key: value)"),
    "model_attributes_type": msg("must be a mapping of fields (key: value)"),
    "date_from_datetime_parsing": msg("must be a date (YYYY-MM-DD)"),
    "date_parsing": msg("must be a date (YYYY-MM-DD)"),
    "date_type": msg("must be a date (YYYY-MM-DD)"),
    "string_pattern_mismatch": msg(
        "must be a name: a letter, then letters, digits, '_', '.' or '-' "
        "(and, for a name made for one site, '@' and the site's name)"
    ),
}
"""pydantic's error kinds in the planner's words (messages a page translates)."""


def _issue_from_pydantic(error: Mapping[str, Any]) -> InputIssue:
    loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    kind, ctx = error["type"], error.get("ctx", {})
    rule = _PYDANTIC_RULES.get(kind) or _range_rule(kind, ctx)
    if kind == "literal_error":  # the allowed values, as pydantic lists them
        rule = msg("input should be {expected}", expected=str(ctx.get("expected")))
    if rule is None:
        rule = _lower_first(str(error["msg"]).removeprefix("Value error, "))
    if kind == "extra_forbidden":
        rule = _unknown_field(str(loc[-1]), _allowed_fields(loc[:-1]))
    value = MISSING if kind == "missing" else error.get("input", MISSING)
    return InputIssue(format_path(loc), value, rule)


def _unknown_field(name: str, allowed: list[str]) -> Message:
    close = difflib.get_close_matches(name, allowed, n=1)
    fields = ", ".join(allowed)
    if close and allowed:
        return msg(
            "unknown field (did you mean '{close}'?); allowed here: {fields}",
            close=close[0],
            fields=fields,
        )
    if allowed:
        return msg("unknown field; allowed here: {fields}", fields=fields)
    return _PYDANTIC_RULES["extra_forbidden"]


_RANGE_RULES = {  # pydantic's range error kinds: the context key of the limit, and the rule
    "greater_than": ("gt", lambda limit: msg("must be > {limit}", limit=limit)),
    "greater_than_equal": ("ge", lambda limit: msg("must be >= {limit}", limit=limit)),
    "less_than": ("lt", lambda limit: msg("must be < {limit}", limit=limit)),
    "less_than_equal": ("le", lambda limit: msg("must be <= {limit}", limit=limit)),
    "too_short": (
        "min_length",
        lambda limit: msg("must have at least {limit} item(s)", limit=limit),
    ),
    "too_long": ("max_length", lambda limit: msg("must have at most {limit} item(s)", limit=limit)),
}


def _range_rule(kind: str, ctx: Mapping[str, Any]) -> Message | None:
    if kind not in _RANGE_RULES:
        return None
    key, rule = _RANGE_RULES[kind]
    limit = ctx.get(key)
    return rule(
        limit if isinstance(limit, int | float) and not isinstance(limit, bool) else str(limit)
    )


def _is_union_tag(part: str | int) -> bool:
    # pydantic inserts the union member tried into the location (e.g. 'list[float]', 'str').
    return isinstance(part, str) and (
        "[" in part or part in {"str", "int", "float", "bool", "none", "date"}
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _allowed_fields(loc: tuple[str | int, ...]) -> list[str]:
    """Field names of the schema object at ``loc`` (for 'unknown field' messages)."""
    current: Any = Scenario
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] to reach a model or list type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            annotation = models[0] if models else members[0]
        else:
            return annotation


def _load_operators(
    s: Scenario, base_dir: str | os.PathLike[str] | None, provided: Mapping[str, bytes | str]
) -> tuple[tuple | None, list[InputIssue]]:
    """Read and check the operators file, if the scenario names one (rules in
    :mod:`planner.io.operators_file`)."""
    name = s.operators_file
    if name is None or any(True for _ in horizon_issues(s)):
        return None, []
    raw, problem = read_named_file(name, base_dir, provided, max_bytes=limits.MAX_OPERATOR_BYTES)
    if problem:
        return None, [InputIssue("operators_file", name, problem)]
    try:
        operators, issues = parse_operators(raw, name, s)
    except UnicodeDecodeError as exc:
        return None, [InputIssue("operators_file", name, f"is not UTF-8 text ({exc.reason})")]
    return operators, [
        InputIssue(f"operators_file ({name}) {i.path}", i.value, i.rule) for i in issues
    ]


def dump_scenario_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text that :func:`load_scenario` reads back to an equal scenario."""
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    data = {"schema_version": SCHEMA_VERSION, **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_scenario(scenario: Scenario, path: str | os.PathLike[str], *, overwrite: bool = False):
    """Write a scenario file atomically (temporary file, then rename).

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is not set: a user's file is never replaced without
        an explicit request.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; choose another name or confirm overwriting it")
    write_atomic(path, dump_scenario_yaml(scenario).encode("utf-8"))
