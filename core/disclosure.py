"""Disclosure policy: small-count suppression (prikking) for what ministry viewers and agencies see.

Two steps, as in official statistics:

1. Primary suppression: a count of persons from 1 to 4 reads "<5"; a share or an average computed from
   fewer than five persons is left out (None).
2. Secondary (complementary) suppression: a hidden count must not be recoverable by arithmetic on the
   visible cells of the same report. The report is described as a table of person counts (`cells`) and
   additive equations (`groups`: a total and the parts that add up to it: municipalities -> county ->
   region -> nation, groups -> total, months -> year to date, one running sum per month). Until stable,
   every equation with a hidden cell gets a second one (its smallest visible non-zero member), and also
   one more where a combination of equations still gives a hidden cell back (general target base minus
   total base = the minors' base), or where the reader's bounds (a "<5" cell is 1-4, a ":" cell is 5 or
   more) pin it to one value (two "<5" cells adding up to 2, say). Complementary cells read ":" (SSB's symbol for
   "not shown for confidentiality"). A derived figure (place use, share of need, shares and averages) is
   hidden when a count it is computed from is hidden, since it would give that count back
   (assigned = place use x decided - settled).

`suppress_table` is the generic algorithm; `suppress_report` applies it to the report dicts that
reporting produces, driven by `MONTHLY_RELATIONS` and `DERIVED_RULES` (key names, not code); `suppress_rows`
protects a plain list of rows whose column totals are public.

Across published reports: this month's year-to-date figure minus last month's published one is this
month's count, and last month's hidden year-to-date figure is this month's minus this month's count.
`suppress_report(..., previous=(figures, public))` takes last month's exact and published figures and adds,
for each `Carried` relation (MONTHLY_CARRIED: every year-to-date count, the months of the series), an
equation to last month's cell: shown there, it is `locked` (known, never a complement); hidden there, it
stays hidden with its marker (`published`). The same algorithm then hides what the difference would give back.
"""

import copy
from collections import deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

SUPPRESSED = "<5"
COMPLEMENT = ":"
THRESHOLD = 5
INF = float("inf")
# Counts of persons. Places (requested, decided) are not personal data and are shown as they are.
PERSON_COUNTS = {"settled_month", "settled_ytd", "assigned", "waiting", "long_waiting", "persons", "settled", "cumulative", "base"}


def sees_small_counts(actor) -> bool:
    """Only IMDi sees person counts under five; the ministry and agencies get them suppressed."""
    return actor.is_imdi


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_small(value) -> bool:
    return _is_count(value) and 0 < value < THRESHOLD


# --- The generic algorithm ---------------------------------------------------------------------


@dataclass(frozen=True)
class Derived:
    """A derived figure (share, average, place use) and the person counts it is computed from.

    It is hidden when one of `inputs` is hidden, or when `base` (the number of persons it is computed
    from) is hidden or under five."""

    key: Hashable
    inputs: tuple = ()
    base: Hashable | None = None


@dataclass
class Suppression:
    primary: set = field(default_factory=set)  # counts of 1-4: "<5"
    secondary: set = field(default_factory=set)  # complementary cells: ":"
    derived: set = field(default_factory=set)  # derived figures left out
    unprotected: set = field(default_factory=set)  # hidden cells no visible cell could protect (should stay empty)

    @property
    def hidden(self) -> set:
        return self.primary | self.secondary


def bounds(key, values: dict, suppression: Suppression) -> tuple[int, float]:
    """What a reader knows of a cell: its value if shown, 1-4 if "<5", 5 or more if ":"."""
    if key in suppression.primary:
        return 1, THRESHOLD - 1
    if key in suppression.secondary:
        return (THRESHOLD, float("inf")) if values[key] >= THRESHOLD else (0, float("inf"))
    return values[key], values[key]


def pinned_cells(values: dict, groups: list, suppression: Suppression, keep_range=frozenset()) -> set:
    """Hidden cells whose value the reader can pin down by interval reasoning over the equations.

    Each equation total = sum(parts) bounds each hidden member by the visible ones and the others'
    bounds; bounds are tightened until nothing changes. A cell whose bounds meet is disclosed. A "<5" cell
    in `keep_range` (a year-to-date count that next month's report will build on) counts as disclosed when its
    lower bound is 3 or more: next month's "<5" year to date minus it would leave next month's count one value.

    Tightened from a worklist: an equation is looked at again only when a hidden member's bounds changed, and
    each look takes time linear in its size (the visible members folded into one constant, each member's
    bound read off the equation's sums less its own terms). The fixpoint is the one a sweep over every
    equation until nothing changes reaches (narrowing is monotone); the sweeps took minutes for a national
    month with a few hundred hidden cells."""
    known = {k: list(bounds(k, values, suppression)) for k in suppression.hidden}
    equations, of_cell = [], {}
    for total, parts in groups:
        terms = [(total, -1)] + [(p, 1) for p in parts]  # sum(coef * x) == 0
        hidden = [(k, c) for k, c in terms if k in known]
        if not hidden:
            continue
        of_cell_index = len(equations)
        equations.append((hidden, sum(c * values[k] for k, c in terms if k not in known)))
        for k, _ in hidden:
            of_cell.setdefault(k, set()).add(of_cell_index)
    pending = deque(range(len(equations)))
    queued = set(pending)

    def add(acc, key, value):  # acc[key] = [finite sum, number of infinite terms]
        slot = acc.setdefault(key, [0, 0])
        if value in (INF, -INF):
            slot[1] += 1
        else:
            slot[0] += value

    while pending:
        index = pending.popleft()
        queued.discard(index)
        hidden, const = equations[index]
        top, bottom = {}, {}  # per member, and under None for all: the largest and smallest sum of its terms c * x
        for k, c in hidden:
            lo_k, hi_k = known[k]
            high, low = (c * hi_k, c * lo_k) if c > 0 else (c * lo_k, c * hi_k)
            for key in (k, None):
                add(top, key, high)
                add(bottom, key, low)
        changed = []
        for k, coef in hidden:
            rest_top = INF if top[None][1] > top[k][1] else top[None][0] - top[k][0]
            rest_bottom = -INF if bottom[None][1] > bottom[k][1] else bottom[None][0] - bottom[k][0]
            lo, hi = -(const + rest_top), -(const + rest_bottom)
            lo, hi = (lo, hi) if coef > 0 else (-hi, -lo)  # coef * x == -(rest): x in [lo, hi] / coef
            new = [max(known[k][0], lo), min(known[k][1], hi)]
            if new != known[k] and new[0] <= new[1]:  # crossed bounds: figures that do not add up, nothing to learn
                changed.append((k, new))
        for k, new in changed:
            known[k] = [max(known[k][0], new[0]), min(known[k][1], new[1])]
            for other in of_cell[k] - queued:
                pending.append(other)
                queued.add(other)
    return {k for k, (lo, hi) in known.items()
            if lo == hi or (k in keep_range and k in suppression.primary and lo >= THRESHOLD - 2)}


def determined_cells(groups: list, hidden: set) -> dict:
    """Hidden cells that a combination of equations gives back exactly, whatever the bounds, each with
    the indexes of the equations that combine to give it.

    Each equation, restricted to its hidden cells, is a row; a cell is determined when the unit vector
    of its column lies in the rows' span, that is when the reduced row echelon form holds a row with that
    column alone. Exact arithmetic (Fraction) on sparse rows; each row carries the combination of
    equations it came from."""

    def axpy(a, factor, b):  # a - factor * b, zeros dropped
        out = dict(a)
        for k, v in b.items():
            out[k] = out.get(k, 0) - factor * v
        return {k: v for k, v in out.items() if v}

    pivots = {}  # pivot column -> (row with 1 at the pivot and 0 at every other pivot column, origin)
    for index, (total, parts) in enumerate(groups):
        row = {}
        for key, coef in [(total, -1)] + [(p, 1) for p in parts]:
            if key in hidden:
                row[key] = row.get(key, 0) + coef
        row, origin = {k: Fraction(v) for k, v in row.items() if v}, {index: Fraction(1)}
        for col in [c for c in row if c in pivots]:
            factor = row.get(col, 0)
            if factor:
                row, origin = axpy(row, factor, pivots[col][0]), axpy(origin, factor, pivots[col][1])
        if not row:
            continue
        col = min(row, key=repr)
        scale = row[col]
        row, origin = {k: v / scale for k, v in row.items()}, {k: v / scale for k, v in origin.items()}
        for other, (prow, porigin) in pivots.items():
            if col in prow:
                factor = prow[col]
                pivots[other] = (axpy(prow, factor, row), axpy(porigin, factor, origin))
        pivots[col] = (row, origin)
    return {col: set(origin) for col, (row, origin) in pivots.items() if len(row) == 1}


def suppress_table(cells: dict, groups: Iterable, derived: Iterable[Derived] = (), locked: Iterable = (),
                   published: dict | None = None, keep_range: Iterable = ()) -> Suppression:
    """Which cells of a table to hide.

    cells: {key: count of persons} (any hashable keys; only person counts, not places).
    groups: [(total_key, [part_keys])], each saying total == sum(parts); keys must be in `cells`.
    derived: derived figures and the counts they are computed from.
    locked: cells shown elsewhere as they are (a published total), never picked as a complement.
    published: cells of a table already published (last month's), {key: marker}: SUPPRESSED or COMPLEMENT
        keeps the cell hidden as it was, None means it was shown (locked). They are in `cells` with their true
        value and take part in `groups`, so that nothing published gives back a hidden cell, either way.
    keep_range: "<5" cells that a later table will build on (year to date): their lower bound stays under 3.
    """
    keep_range = set(keep_range)
    published = published or {}
    locked = set(locked) | {k for k, marker in published.items() if marker is None}
    groups = [(t, list(ps)) for t, ps in groups]
    result = Suppression(primary={k for k, v in cells.items() if _is_small(v) and k not in published}
                         | {k for k, marker in published.items() if marker == SUPPRESSED},
                         secondary={k for k, marker in published.items() if marker == COMPLEMENT})

    # A cell that an equation gives back from cells that are always shown (locked, or zero: a zero is never
    # hidden) protects nothing: last month's year to date plus a month's count of 0 is this month's.
    shown_for_good = locked | {k for k, v in cells.items() if v == 0} - published.keys()
    given_back = {m for t, ps in groups for m in (t, *ps) if all(o in shown_for_good for o in (t, *ps) if o != m)}

    def complement(members) -> bool:
        candidates = [m for m in members if m not in result.hidden and m not in locked and cells[m] > 0 and m not in given_back]
        if not candidates:
            return False
        result.secondary.add(min(candidates, key=lambda m: cells[m]))
        return True

    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            members = [total, *parts]
            hidden = [m for m in members if m in result.hidden]
            if len(hidden) == 1:
                if complement(members):
                    changed = True
                else:
                    result.unprotected.update(hidden)
        if changed:
            continue
        determined = determined_cells(groups, result.hidden)
        pinned = pinned_cells(cells, groups, result, keep_range)
        for key in sorted((set(determined) | pinned) - result.unprotected, key=repr):
            # One more hidden cell in an equation the attacker uses breaks the combination or widens the bounds.
            used = determined.get(key) or [i for i, (t, ps) in enumerate(groups) if key == t or key in ps]
            if complement([m for i in used for m in (groups[i][0], *groups[i][1])]):
                changed = True
                break
            result.unprotected.add(key)
    for d in derived:
        if any(i in result.hidden for i in d.inputs) or (
                d.base is not None and (d.base in result.hidden or _is_small(cells.get(d.base)))):
            result.derived.add(d.key)
    return result


# --- Report dicts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """Rows at `parts` add up to rows at `total` (a path such as "municipalities" or "wait_times.ytd";
    a dict counts as one row) for each (part key, total key) in `measures`. `match` pairs a part row with
    its total row by (part field, total field); `where` keeps only part rows whose field has one of the
    values; `total_where` picks the total rows the same way; `last` keeps only the last part row with a
    value (this month in a monthly series)."""

    parts: str
    total: str
    measures: tuple
    match: tuple = ()
    where: tuple = ()
    total_where: tuple = ()
    last: bool = False


@dataclass(frozen=True)
class Running:
    """A running sum in a list: row[running] == previous row[running] + row[step]."""

    rows: str
    step: str
    running: str


@dataclass(frozen=True)
class Carried:
    """A count that carries over from last month's published report: in each row at `rows` (matched to last
    month's row by its number, code, month or name), row[key] == last month's row[key] + row[step] (a running
    year-to-date count; `step_rows` names where the step is when it is in another row), or, with no step,
    row[key] == last month's row[key] (an earlier month of the series)."""

    rows: str
    key: str
    step: str | None = None
    step_rows: str | None = None


@dataclass(frozen=True)
class DerivedRule:
    """In every row holding `keys`: hide them when one of `inputs` or `base` in the same row is hidden,
    or `base` is under five."""

    keys: tuple
    inputs: tuple = ()
    base: str | None = None


_MOVES = (("settled_month", "settled_month"), ("settled_ytd", "settled_ytd"), ("assigned", "assigned"))
_GENERAL = ("single_adult", "family_with_children", "family_without_children", "resettlement")
# The monthly report (reporting.reports.monthly_report): every way its counts add up.
MONTHLY_RELATIONS = (
    Rollup("municipalities", "counties", _MOVES, match=(("county", "name"), ("region", "region"))),
    Rollup("counties", "regions", _MOVES, match=(("region", "name"),)),
    Rollup("regions", "national", _MOVES + (("waiting", "waiting"), ("long_waiting", "long_waiting"))),
    Rollup("nationalities", "national", (("settled_month", "settled_month"), ("settled_ytd", "settled_ytd"),
                                         ("waiting", "waiting"), ("long_waiting", "long_waiting"))),
    Rollup("waiting_by_group", "national", (("persons", "waiting"), ("long_waiting", "long_waiting"))),
    Rollup("series", "national", (("settled", "settled_ytd"),)),
    Rollup("series", "national", (("settled", "settled_month"),), last=True),
    Running("series", "settled", "cumulative"),
    Rollup("wait_times.ytd", "national", (("base", "settled_ytd"),)),
    Rollup("wait_times.month", "national", (("base", "settled_month"),)),
    Rollup("wait_times.by_group", "wait_times.ytd", (("base", "base"),)),
    Rollup("wait_times.distribution", "wait_times.ytd", (("persons", "base"),)),
    *(Rollup("wait_times.by_group", "targets", (("base", "base"),), where=(("group", groups),), total_where=(("key", (key,)),))
      for key, groups in (("general_within_6m", _GENERAL), ("general_within_12m", _GENERAL),
                          ("families_within_3m", ("family_with_children",)), ("minors_within_3m", ("unaccompanied_minor",)))),
)
# What last month's published monthly report says about this month's: the year-to-date counts grow by the
# month's count, and the months before this one stay as they were.
MONTHLY_CARRIED = (
    *(Carried(rows, "settled_ytd", "settled_month") for rows in ("national", "regions", "counties", "municipalities",
                                                                 "nationalities")),
    Carried("wait_times.ytd", "base", "base", step_rows="wait_times.month"),
    Carried("series", "settled"),
    Carried("series", "cumulative"),
)
_STATS = ("average_months", "median_months", "share_within_3m", "share_within_6m", "share_within_12m")
DERIVED_RULES = (
    DerivedRule(("place_use",), inputs=("settled_ytd", "assigned")),  # (settled + assigned) / decided
    DerivedRule(("share_of_need",), inputs=("settled_ytd",)),
    DerivedRule(_STATS, base="base"),
    DerivedRule(("actual", "met"), base="base"),  # allocation targets; goal indicators that carry a base
    DerivedRule(("value", "met"), base="base"),  # goal-report trend points that carry a base
)


def _rows(figures: dict, path: str) -> list:
    node = figures
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return []
    return [node] if isinstance(node, dict) else [r for r in node if isinstance(r, dict)]


def _table(figures: dict, relations) -> tuple[dict, list, dict]:
    """The report's counts as cells keyed (id(row), key), its equations, and the rows by id."""
    cells, groups, rows_by_id = {}, [], {}

    def cell(row, key):
        if not _is_count(row.get(key)):
            return None
        rows_by_id[id(row)] = row
        cells[(id(row), key)] = row[key]
        return (id(row), key)

    for rel in relations:
        if isinstance(rel, Running):
            previous = None
            for row in _rows(figures, rel.rows):
                step, running = cell(row, rel.step), cell(row, rel.running)
                if step and running:
                    groups.append((running, [previous, step] if previous else [step]))
                    previous = running
            continue
        parts = [r for r in _rows(figures, rel.parts) if all(r.get(f) in vs for f, vs in rel.where)]
        totals = [r for r in _rows(figures, rel.total) if all(r.get(f) in vs for f, vs in rel.total_where)]
        by_match = {}  # the part rows of each total, found once (a lookup, not a scan of every part per total)
        for r in parts:
            by_match.setdefault(tuple(r.get(pf) for pf, _ in rel.match), []).append(r)
        for part_key, total_key in rel.measures:
            for total in totals:
                members = by_match.get(tuple(total.get(tf) for _, tf in rel.match), [])
                keys = [k for k in (cell(r, part_key) for r in members) if k]
                if rel.last:
                    keys = keys[-1:]
                total_cell = cell(total, total_key)
                if total_cell and keys:
                    groups.append((total_cell, keys))
    return cells, groups, rows_by_id


def _row_id(row: dict):
    for field_ in ("number", "code", "month", "group", "key", "name"):
        if row.get(field_) is not None:
            return field_, row[field_]
    return None


def _carried(figures: dict, cells: dict, rows_by_id: dict, previous: tuple, carried) -> tuple[list, dict]:
    """Equations to last month's cells, and those cells ({key: marker or None}), for `suppress_table`."""
    before, public = previous
    groups, published = [], {}
    for rel in carried:
        last = {_row_id(r): (r, p) for r, p in zip(_rows(before, rel.rows), _rows(public, rel.rows))}
        steps = _rows(figures, rel.step_rows) if rel.step_rows else None
        for row in _rows(figures, rel.rows):
            old, old_public = last.get(_row_id(row), (None, None))
            if old is None or not _is_count(old.get(rel.key)) or (id(row), rel.key) not in cells:
                continue
            step_row = steps[0] if steps else row
            step = (id(step_row), rel.step) if rel.step else None
            if step is not None and step not in cells:
                continue
            key = ("previous", rel.rows, _row_id(row), rel.key)
            cells[key] = old[rel.key]
            marker = old_public.get(rel.key)
            published[key] = marker if marker in (SUPPRESSED, COMPLEMENT) else None
            groups.append(((id(row), rel.key), [key, step] if step else [key]))
    return groups, published


def _walk_rows(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk_rows(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_rows(item)


def suppress_report(figures: dict, relations=None, rules=DERIVED_RULES, previous: tuple | None = None,
                    carried=MONTHLY_CARRIED) -> dict:
    """A copy of report figures as a viewer who sees aggregates only may get them.

    Expected shape: nested dicts and lists of row dicts. Person counts are the integer values under the
    keys in PERSON_COUNTS and those named in `relations`; `relations` (default: MONTHLY_RELATIONS for
    kind "monthly", none otherwise) say how they add up; `rules` say which keys of a row are derived from
    which counts of the same row. Hidden counts read "<5" (1-4) or ":" (complementary); hidden derived
    figures read None. For the goal report, a computed indicator (and each trend point) should carry
    "base", the number of persons its value is computed from.

    `previous`: (exact figures, published figures) of the report published before (last month's, same
    year): with the `carried` relations, nothing this report shows gives back a cell hidden there, and the
    difference between the two gives back no cell hidden here."""
    data = copy.deepcopy(figures)
    if relations is None:
        relations = MONTHLY_RELATIONS if data.get("kind") == "monthly" else ()
    cells, groups, rows_by_id = _table(data, relations)
    for row in _walk_rows(data):  # counts outside every relation still get primary suppression
        for key in PERSON_COUNTS & row.keys():
            if _is_count(row[key]) and (id(row), key) not in cells:
                rows_by_id[id(row)] = row
                cells[(id(row), key)] = row[key]
    derived = [Derived((id(row), key), tuple((id(row), i) for i in rule.inputs), (id(row), rule.base) if rule.base else None)
               for row in _walk_rows(data) for rule in rules for key in rule.keys if key in row]
    published = {}
    if previous is not None:
        extra, published = _carried(data, cells, rows_by_id, previous, carried)
        groups += extra
    # The year-to-date counts next month's report builds on keep their whole range (see pinned_cells).
    carried_cells = {(id(row), rel.key) for rel in carried for row in _rows(data, rel.rows)}
    result = suppress_table(cells, groups, derived, published=published, keep_range=carried_cells & cells.keys())
    # Write the derived first: a rule reads the row's counts before they turn into markers.
    for row in _walk_rows(data):
        for key in [k for k in row if (id(row), k) in result.derived]:
            row[key] = None
    for marker, keys in ((SUPPRESSED, result.primary), (COMPLEMENT, result.secondary)):
        for row_id, key in keys - published.keys():
            rows_by_id[row_id][key] = marker
    if data.get("kind") == "goals" and "summary" in data:
        indicators = [i for g in data.get("goals", []) for i in g.get("indicators", [])]
        data["summary"].update(met=sum(1 for i in indicators if i.get("met") is True),
                               not_met=sum(1 for i in indicators if i.get("met") is False),
                               no_value=sum(1 for i in indicators if i.get("met") is None))
    return data


def suppress_small_counts(figures: dict) -> dict:
    """Report figures for a viewer who sees aggregates only (the ministry, agencies): see suppress_report."""
    return suppress_report(figures)


def suppress_rows(rows: list[dict], keys, rules: Iterable[DerivedRule] = ()) -> list[dict]:
    """Rows of person counts as a viewer who sees aggregates only gets them.

    Each column in `keys` is taken to have a public total (shown beside the rows or elsewhere), so a
    column with one hidden count gets a second one. `rules` hide derived figures of a row, e.g.
    DerivedRule(("settled_per_1000",), inputs=("settled",))."""
    data = [dict(r) for r in rows]
    keys = list(keys)
    cells, groups = {}, []
    for key in keys:
        parts = [(i, key) for i, r in enumerate(data) if _is_count(r.get(key))]
        cells.update({p: data[p[0]][key] for p in parts})
        if parts:
            cells[("total", key)] = sum(cells[p] for p in parts)
            groups.append((("total", key), parts))
    derived = [Derived((i, k), tuple((i, x) for x in rule.inputs), (i, rule.base) if rule.base else None)
               for i, r in enumerate(data) for rule in rules for k in rule.keys if k in r]
    result = suppress_table(cells, groups, derived, locked=[g[0] for g in groups])
    for i, k in result.derived:
        data[i][k] = None
    for marker, hidden in ((SUPPRESSED, result.primary), (COMPLEMENT, result.secondary)):
        for i, k in hidden:
            if i != "total":
                data[i][k] = marker
    return data
