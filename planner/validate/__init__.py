"""Solver-free checks of plans and rosters: the specification of the two CP-SAT models.

Nothing here imports ortools: every optimiser test runs these checks on what the solver returns.
"""
