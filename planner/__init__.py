"""Contact-centre capacity planner: demand, Erlang staffing, CP-SAT shift sizing, rostering.

The package is a library with no user interface; the CLI (``python -m planner``) and the
Streamlit app (``app.py``) are thin clients of it.
"""

__version__ = "0.1.0"
