"""Write ``emergency_operators.csv``: the 71 named operators of ``emergency.yaml``.

25 consulting-team and 25 emergency-team operators of the centre (48-hour emergency contracts,
a few on the reduced 36-hour week of the Labour Code), and 21 staff borrowed from
public-service centres (40 hours, both lines). The emergency-team operator seconded to the
operational headquarters is unavailable from Wednesday 12 January. A few wishes (days off,
start windows) are set so that a roster shows how they are kept. Names are invented.

Run from the repository root: ``python scenarios/data/make_emergency_operators.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

FIRST = [
    "Aigerim",
    "Aliya",
    "Asel",
    "Ainur",
    "Dana",
    "Dinara",
    "Gulnara",
    "Kamila",
    "Madina",
    "Saule",
    "Zhanar",
    "Aruzhan",
    "Symbat",
    "Togzhan",
    "Ayana",
    "Nurlan",
    "Yerlan",
    "Daniyar",
    "Arman",
    "Askar",
    "Bauyrzhan",
    "Yerzhan",
    "Marat",
    "Timur",
    "Olzhas",
    "Azamat",
    "Ruslan",
    "Dauren",
    "Serik",
    "Aidos",
    "Sanzhar",
    "Miras",
]
LAST = [
    "Abenov",
    "Akhmetov",
    "Baimukhanov",
    "Dzhaksybekov",
    "Ermekov",
    "Iskakov",
    "Kairatov",
    "Kassymov",
    "Mukanov",
    "Nurpeisov",
    "Omarov",
    "Sadykov",
    "Seitkali",
    "Serikbayev",
    "Suleimenov",
    "Tokayev",
    "Utegenov",
    "Zhakupov",
    "Zhumabayev",
]

OUT = Path(__file__).with_name("emergency_operators.csv")
COLUMNS = (
    "id",
    "name",
    "pool",
    "skills",
    "contract_hours_per_week",
    "max_shift_hours",
    "days_unavailable",
    "preferred_days_off",
    "preferred_start_window",
)


def name(k: int) -> str:
    """The k-th name: first and last names are combined without repeats (32 and 19 are
    coprime, so k mod 32 and 11 k mod 19 identify k below 608)."""
    first = FIRST[k % len(FIRST)]
    last = LAST[(11 * k) % len(LAST)]
    female = k % len(FIRST) < 15  # the first 15 first names are women's
    return f"{first} {last}{'a' if female else ''}"


def main() -> None:
    rows = []
    k = 0
    for prefix, pool, count, skills, contract in (
        ("C", "consulting_team", 25, "consulting", 48),
        ("E", "emergency_team", 25, "emergency", 48),
        ("B", "borrowed", 21, "consulting;emergency", 40),
    ):
        for j in range(1, count + 1):
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                id=f"{prefix}{j:02d}",
                name=name(k),
                pool=pool,
                skills=skills,
                contract_hours_per_week=contract,
            )
            if pool != "borrowed" and j in (3, 17):
                row["contract_hours_per_week"] = 36  # reduced working week
            if j % 6 == 1:
                row["preferred_days_off"] = "sat;sun" if pool != "consulting_team" else "fri"
            if j % 7 == 2:
                row["preferred_start_window"] = "09:00-10:00"
            if pool == "emergency_team" and j == 25:
                row["days_unavailable"] = "2022-01-12..2022-01-16"  # seconded to the HQ
            rows.append(row)
            k += 1
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} operators)")


if __name__ == "__main__":
    main()
