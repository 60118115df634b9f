"""The command-line commands, one module per group; each module has ``register(commands)``.

:mod:`planner.cli` lists the modules; adding a command is adding a module and one line there.
"""
