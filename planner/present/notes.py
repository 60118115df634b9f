"""Notes that keep a reader from being misled: what a figure the user typed does not change.

Shared by the command line (a ``note:`` line) and the app (an ``st.info`` or ``st.warning``
next to the field), so that both say the same thing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from planner.domain.operators import Operator

__all__ = ["HeadcountNote", "headcount_notes"]


@dataclass(frozen=True)
class HeadcountNote:
    """What sets one pool's headcount when the scenario has named operators.

    Attributes
    ----------
    pool : str
    named : int
        The pool's named operators (from the operators file).
    headcount : int
        The pool's headcount in the scenario (before headcount changes).
    source : str
        Where the operators come from (the operators file's name), for the text.
    """

    pool: str
    named: int
    headcount: int
    source: str

    @property
    def ignored(self) -> bool:
        """The headcount is above the named operators: the extra people do not exist."""
        return self.headcount > self.named

    @property
    def text(self) -> str:
        """The note in words, for the app and the command line."""
        people = f"{self.named} named operator{'' if self.named == 1 else 's'}"
        said = f"The operators file ({self.source}) sets the headcount of {self.pool}: {people}."
        if self.headcount > self.named:
            return (
                f"{said} The headcount of {self.headcount} is not used: plans and rosters "
                f"count the {people}, so change the operators file (or use operators made "
                "from the headcounts) to change the staff."
            )
        if self.headcount < self.named:
            return (
                f"{said} The headcount of {self.headcount} still caps the agents on duty a day, "
                f"so at most {self.headcount} of them work each day."
            )
        return said


def headcount_notes(
    pools: Sequence[tuple[str, int]], operators: Sequence[Operator] | None, source: str
) -> list[HeadcountNote]:
    """One note per pool when there are named ``operators`` (none without them).

    Parameters
    ----------
    pools : sequence of (name, headcount)
        The scenario's pools as typed.
    operators : sequence of Operator or None
        The named operators (``Scenario.operators``); None: generated from the headcounts,
        which then set the staff and need no note.
    source : str
        The operators file's name.
    """
    if operators is None:
        return []
    named = Counter(op.pool for op in operators)
    return [HeadcountNote(pool, named[pool], int(headcount), source) for pool, headcount in pools]
