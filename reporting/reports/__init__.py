"""Report computations: the monthly settlement report and the goal-achievement report.

Both are read-only and work from dates, not current statuses, so a past month computes to the
same figures later. Each runs a fixed number of aggregate queries, whatever the number of
municipalities or persons; the roll-up to county, region and nation is done in Python.

- `common`: the thresholds, groups and waiting-time histogram both reports share;
- `monthly`: the monthly settlement report (månedlig bosettingsrapport), built from
  `places` (settled, assigned, requested and decided per municipality, rolled up) and
  `waiting` (who waits at the month's end) and `targets` (the allocation letter's targets);
- `goals`: goal achievement (måloppnåelse) for D1–D8.
"""

from .goals import goal_report
from .monthly import monthly_report

__all__ = ["goal_report", "monthly_report"]
