"""Presenting KPIs: one catalogue of what each KPI is called and how it is shown
(:mod:`planner.present.catalogue`), and one set of number formatters
(:mod:`planner.present.formats`), for the command line, the app, the study tables and exports."""
