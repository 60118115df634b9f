"""Named rosters with CP-SAT: which operator works which planned shift, legally and fairly.

The shift plan (:func:`planner.shiftplan.plan_shifts`) says how many agents of each pool start
which shift; the roster gives every planned shift to a named operator of the pool, under the
Labour Code rules of ``scenario.labour`` and each operator's contract, balancing hours,
weekends and late shifts, and keeping wishes where it can. A shift nobody can legally take is
reported unassigned, with the reason; a rule is never broken to place it. Planning and then
rostering in one call is :func:`planner.chain.roster_scenario`.

Layout (as in :mod:`planner.shiftplan`, after the CP-SAT Primer's coding patterns):

- :mod:`~planner.roster.instance`: the plan's shifts, the operators and the limits as
  integers; no solver;
- :mod:`~planner.roster.variables`: the decision variables and named queries;
- :mod:`~planner.roster.rules`: one function per rule, under ``HARD_RULES`` and ``SOFT_RULES``;
- :mod:`~planner.roster.heuristic`: a greedy roster, where the search starts;
- :mod:`~planner.roster.model`: the model (its objective the soft rules' sum), assembled by
  :mod:`planner.cpsat.assemble`;
- :mod:`~planner.roster.relaxation`: the counting model over whole pools: how few shifts can
  stay unassigned, and which rules are in conflict when some must;
- :mod:`~planner.roster.search`: neighbourhood search with CP-SAT on parts of the roster;
- :mod:`~planner.roster.blocks`: a large roster solved block by block (each pool alone, a
  large pool week by week with the days before each week fixed as context);
- :mod:`~planner.roster.patterns`: a week's fewest unassigned shifts over weekly patterns of
  alike operators, and a bound from them;
- :mod:`~planner.roster.reasons`, :mod:`~planner.roster.report`: why shifts are unassigned,
  the week view, fairness and capacity tables, the penalty breakdown (no solver);
- :mod:`~planner.roster.assign`: :func:`roster_plan`;
- :mod:`~planner.roster.export`: ``roster.csv`` and the other files, and an Excel workbook.

Operators are :mod:`planner.domain.operators` (their file format :mod:`planner.io.operators_file`),
the result :class:`planner.domain.roster.RosterResult`, the solver-free check of every hard rule
:mod:`planner.validate.roster`. Solver settings are the scenario's, set in one place
(:mod:`planner.cpsat.solve`).
"""

from planner.roster.assign import roster_plan
from planner.roster.export import (
    ROSTER_FILE_NAMES,
    roster_archive,
    roster_files,
    roster_to_excel,
)
from planner.roster.instance import RosterWeights

__all__ = [
    "ROSTER_FILE_NAMES",
    "RosterWeights",
    "roster_archive",
    "roster_files",
    "roster_plan",
    "roster_to_excel",
]
