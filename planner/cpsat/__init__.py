"""The CP-SAT core shared by the shift plan (:mod:`planner.shiftplan`) and the roster
(:mod:`planner.roster`). The two models are separate problems on this one thin core; each keeps
its own instance, variables and rules.

- :mod:`~planner.cpsat.terms`: the hard-rule sink (constraints tagged by rule and scope) and
  soft rules' penalty terms;
- :mod:`~planner.cpsat.assemble`: a model built in one order: variables, hard rules, soft rules,
  objective;
- :mod:`~planner.cpsat.solve`: solver settings, the solve loop with progress and stop, the gap;
- :mod:`~planner.cpsat.clock`: the deterministic clock the roster's many solves share;
- :mod:`~planner.cpsat.explain`: the hard rules in conflict when a model is infeasible;
- :mod:`~planner.cpsat.report`: the solve report both models return.
"""
