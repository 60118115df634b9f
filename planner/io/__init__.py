"""Text in and out: every file the planner reads or writes, with precise errors.

Readers turn text into the typed objects of :mod:`planner.domain` and report every problem as an
:class:`~planner.errors.InputIssue` naming the file, the field, the value and the rule; writers
write atomically. Nothing here imports a solver.
"""
