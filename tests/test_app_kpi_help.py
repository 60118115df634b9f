"""Every KPI card says what it means on hover, from the one catalogue
(planner.present.catalogue), and tables list the definitions of their KPIs."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app_pages.tables import definitions
from planner.present.catalogue import CATALOGUE, DEMAND, kpi
from tests.test_app_pages import (  # noqa: F401 (saved_dir: autouse)
    REPO,
    errors,
    make_roster,
    saved_dir,
    solve,
)

DEFINITIONS = {entry.help for entry in CATALOGUE.values()}


def _cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.help for m in at.metric}


def test_every_catalogue_entry_has_a_one_line_definition():
    for entry in CATALOGUE.values():
        assert entry.help.endswith(".") and "\n" not in entry.help and len(entry.help) > 15


def test_demand_cards_carry_their_definitions():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/demand.py").run()
    assert not at.exception and not at.error, errors(at)
    cards = _cards(at)
    assert set(cards) == {entry.title for entry in DEMAND}
    assert all(cards[entry.title] == entry.help for entry in DEMAND)


def test_every_plan_card_carries_a_catalogue_definition():
    at = solve(AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run())
    assert not at.error, errors(at)
    cards = _cards(at)
    assert len(cards) >= 10
    missing = {label: text for label, text in cards.items() if text not in DEFINITIONS}
    assert not missing, missing
    assert cards["emergency: service level"] == kpi("service_level", "queue").help


def test_definitions_list_each_kpi_once():
    level = kpi("service_level", "queue")
    text = definitions([level, kpi("cost"), level])
    assert text.splitlines() == [
        f"- **Service level**: {level.help}",
        f"- **Cost**: {kpi('cost').help}",
    ]


def test_every_roster_card_carries_a_catalogue_definition():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    make_roster(at)  # a few shifts may stay unassigned in its 3 s: an st.error, not a failure
    assert not at.exception
    cards = _cards(at)
    assert {kpi(k, "roster").title for k in ("assigned_shifts", "weekend_shifts_range")} <= set(
        cards
    )
    missing = {label: text for label, text in cards.items() if text not in DEFINITIONS}
    assert not missing, missing
