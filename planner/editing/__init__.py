"""Editing a scenario as tables and back: the pure half of the app's Scenario page.

Three modules, one job each:

- :mod:`planner.editing.draft`: a scenario being edited (a :class:`Draft`: plain data, possibly
  invalid, and its files), opened, given files, cut to a day, keyed for caching and saved;
- :mod:`planner.editing.tables`: its lists as tables to edit, and edited tables written back;
- :mod:`planner.editing.issues`: its issues sorted to the page's sections and said in the
  user's words, and its changes since it was opened.

The public names of all three are re-exported here: ``from planner.editing import X`` works.
"""

from planner.editing.draft import (
    Draft,
    ScenarioKey,
    attached_files,
    draft_from_upload,
    forecast_names,
    load_draft,
    restrict_to_day,
    save_draft,
    scenario_data,
    scenario_file_name,
    scenario_from_key,
    scenario_key,
    set_forecast,
    set_operators,
    use_daily_volumes,
    use_generated_operators,
)
from planner.editing.issues import SECTIONS, differences, issue_section, issue_text
from planner.editing.tables import (
    BREAKS,
    CUSTOM_PROFILE,
    HEADCOUNT_CHANGES,
    OPERATING_MODES,
    POOLS,
    QUEUES,
    ROW,
    SHIFT_TEMPLATES,
    SURGES,
    Column,
    TableSpec,
    apply_breaks,
    apply_by_day,
    apply_headcounts,
    apply_table,
    apply_volumes,
    breaks_table,
    by_day_table,
    number_list,
    set_value,
    table,
    volumes_table,
)

__all__ = [
    "BREAKS",
    "CUSTOM_PROFILE",
    "HEADCOUNT_CHANGES",
    "OPERATING_MODES",
    "POOLS",
    "QUEUES",
    "ROW",
    "SECTIONS",
    "SHIFT_TEMPLATES",
    "SURGES",
    "Column",
    "Draft",
    "ScenarioKey",
    "TableSpec",
    "apply_breaks",
    "apply_by_day",
    "apply_headcounts",
    "apply_table",
    "apply_volumes",
    "attached_files",
    "breaks_table",
    "by_day_table",
    "differences",
    "draft_from_upload",
    "forecast_names",
    "issue_section",
    "issue_text",
    "load_draft",
    "number_list",
    "restrict_to_day",
    "save_draft",
    "scenario_data",
    "scenario_file_name",
    "scenario_from_key",
    "scenario_key",
    "set_forecast",
    "set_operators",
    "set_value",
    "table",
    "use_daily_volumes",
    "use_generated_operators",
    "volumes_table",
]
