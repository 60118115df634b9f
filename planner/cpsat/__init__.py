"""The CP-SAT core shared by the shift plan (:mod:`planner.shiftplan`) and the roster
(:mod:`planner.roster`): rule terms, solver configuration, progress and stop, the deterministic
clock. The two models are separate problems on this one thin core.
"""
