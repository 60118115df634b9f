"""Editing a scenario as tables and back: the pure half of the app's Scenario page.

Three modules, one job each:

- :mod:`planner.editing.draft`: a scenario being edited (a :class:`Draft`: plain data, possibly
  invalid, and its files), opened, given files, cut to a day, keyed for caching and saved;
- :mod:`planner.editing.tables`: its lists as tables to edit, and edited tables written back;
- :mod:`planner.editing.issues`: its issues sorted to the page's sections and said in the
  user's words, and its changes since it was opened;
- :mod:`planner.editing.roster_edits`: a shift manager's edits to a roster (lock, move, swap,
  add, remove), each checked at once against the labour rules;
- :mod:`planner.editing.plan_edits`: a shift manager's edits to a plan's shift groups (agents,
  move, lock), each checked at once against the plan's hard rules.

The public names of them all are re-exported here: ``from planner.editing import X`` works.
"""

from planner.editing import draft, issues, plan_edits, roster_edits, tables
from planner.editing.draft import *  # noqa: F403
from planner.editing.issues import *  # noqa: F403
from planner.editing.plan_edits import *  # noqa: F403
from planner.editing.roster_edits import *  # noqa: F403
from planner.editing.tables import *  # noqa: F403

__all__ = [
    *draft.__all__,
    *tables.__all__,
    *issues.__all__,
    *roster_edits.__all__,
    *plan_edits.__all__,
]
