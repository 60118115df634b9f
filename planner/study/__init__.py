"""Studies of many solves: compare scenarios, sweep what-ifs, search capacity, on local processes
or a Dask cluster.

A capacity planner asks "what does a 4x surge cost with and without the 21 borrowed staff? how
big a surge can today's staff absorb at 80/20? is it better to pool the two lines?". Each answer
is a few solves side by side. The modules, one job each:

- :mod:`~planner.study.compare`: several scenarios -> one KPI table, the differences against a
  reference and each one's per-interval coverage;
- :mod:`~planner.study.sweeps`: a base scenario and a grid of field-path overrides, every
  combination a point;
- :mod:`~planner.study.capacity`: capacity questions answered by a search along one sweep axis;
- :mod:`~planner.study.tables`: a plan's KPI row and the tables of many rows;
- :mod:`~planner.study.points`: running points on an executor (the workers' function);
- :mod:`~planner.study.executors`: in process, local processes (the default, one per core) or a
  ``dask.distributed`` cluster.
"""

from planner.study.capacity import (
    CapacityAnswer,
    capacity_search,
    largest_absorbable_surge,
    smallest_headcount_meeting_target,
)
from planner.study.compare import Comparison, compare_scenarios
from planner.study.executors import (
    DaskCluster,
    Executor,
    ExecutorError,
    InProcess,
    LocalProcesses,
    PointStopped,
    WorkerDied,
    available_cores,
    make_executor,
)
from planner.study.sweeps import SweepProgress, SweepResult, grid_points, iter_sweep, sweep
from planner.study.tables import (
    STOPPED,
    TIMING_COLUMNS,
    PointResult,
    differences,
    kpi_row,
    meets_target,
    queue_meets_target,
    results_coverage,
    results_table,
)

__all__ = [
    "STOPPED",
    "TIMING_COLUMNS",
    "CapacityAnswer",
    "Comparison",
    "DaskCluster",
    "Executor",
    "ExecutorError",
    "InProcess",
    "LocalProcesses",
    "PointResult",
    "PointStopped",
    "SweepProgress",
    "SweepResult",
    "WorkerDied",
    "available_cores",
    "capacity_search",
    "compare_scenarios",
    "differences",
    "grid_points",
    "iter_sweep",
    "kpi_row",
    "largest_absorbable_surge",
    "make_executor",
    "meets_target",
    "queue_meets_target",
    "results_coverage",
    "results_table",
    "smallest_headcount_meeting_target",
    "sweep",
]
