"""The typed objects that cross module boundaries: the scenario, operators, plans, rosters.

No I/O and no solver: these modules only describe data (see :mod:`planner.io` for reading and
writing it).
"""
