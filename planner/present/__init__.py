"""Presenting KPIs: one catalogue of what each KPI is called and how it is shown
(:mod:`planner.present.catalogue`), one set of number formatters (:mod:`planner.present.formats`),
table columns' headers and units (:mod:`planner.present.columns`) and the notes that say what a
typed figure does not change (:mod:`planner.present.notes`), for the command line, the app, the
study tables and exports."""
