"""Queueing formulas for staffing an inbound line: Erlang B, Erlang C and Erlang A (M/M/n+M).

Every public function broadcasts over numpy arrays of any shape (scalars give 0-d arrays) and
works in log space, so that offered loads from 1e-9 to many thousands of Erlangs give finite,
non-negative probabilities without overflow, NaN or warnings.

Units and conventions (``shared/DOMAIN.md``)
--------------------------------------------
- Times are in seconds. The offered load is ``A = calls x aht_seconds / interval_seconds``
  Erlangs; the AHT includes wrap-up.
- ``agents`` are agents on the phones: whole numbers >= 0 (floats holding whole numbers are
  accepted).
- No calls (``A = 0``): nobody waits or abandons; service level 1, ASA 0, occupancy 0, whatever
  the agents (0 agents included).
- Erlang C with calls and ``agents <= A``: the queue grows without bound, so P(wait) = 1, service
  level 0, ASA infinite, occupancy 1 (0 with no agents: no agent time to be busy in).
- Erlang A service level counts abandons as failures: calls answered within T over ALL offered
  calls. ``service_level_answered`` is the same over answered calls only. ASA is the mean wait of
  answered calls, including those answered at once. Occupancy is the carried load (answered calls)
  per agent. With no agents and calls everybody abandons: P(abandon) = 1, both service levels 0,
  ASA infinite (no call is answered), occupancy 0. Infinite patience gives Erlang C, with its
  conventions for ``agents <= A``.

Bad input raises ``ValueError`` naming the parameter, the index of the first offending element,
its value and the rule, e.g. ``calls[3] = -2.0: must be >= 0 and finite``.

References
----------
.. [1] C. Palm, "Intensitätsschwankungen im Fernsprechverkehr", Ericsson Technics 44, 1943.
.. [2] A. Mandelbaum and S. Zeltyn, "Service Engineering in Action: The Palm/Erlang-A Queue,
   with Applications to Call Centers", in Advances in Services Innovations, Springer, 2007.
.. [3] O. Garnett, A. Mandelbaum and M. Reiman, "Designing a call center with impatient
   customers", Manufacturing & Service Operations Management 4(3):208-227, 2002.
.. [4] N. Gans, G. Koole and A. Mandelbaum, "Telephone call centers: tutorial, review and
   research prospects", Manufacturing & Service Operations Management 5(2):79-141, 2003.
"""

from planner.queueing.core import ErlangAMetrics, ErlangCMetrics
from planner.queueing.erlang import erlang_b, erlang_c, erlang_c_metrics
from planner.queueing.erlang_a import erlang_a_metrics
from planner.queueing.required import required_agents

__all__ = [
    "ErlangAMetrics",
    "ErlangCMetrics",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "required_agents",
]
