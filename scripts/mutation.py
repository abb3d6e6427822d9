"""Mutation testing of the guards (issue 9): delete one guard at a time and check that a test fails.

A guard is found in the syntax tree of the services, the workflow tables and core/policy.py, never by text:

- a statement that is a call to a check: `policy.require(...)`, `require_*`, `check*`, `_check_*`, `_validate*`,
  `raise_if`, a workflow `guard(...)`; the mutant deletes the statement;
- a state check whose result is used: `target = HOUSEHOLD.require("assign", h)` / `CLAIM.check(...)`; the
  mutant takes the transition's target without checking (`HOUSEHOLD.transitions["assign"].target`);
- an `if` that refuses: its body raises, or records a ValidationError/field_error in an errors dict, or it asks a
  workflow `.allows(...)`; the mutant makes its condition False;
- in core/policy.py also: a function answering yes/no (`can`, `may_write`, `has_scope`) always says yes, and
  `restrict` returns the queryset unfiltered where it filters or returns none.

Each mutant runs in a copy of the working tree (never the checkout itself), first against the app's guard and
workflow tests, then its service and bounds tests, then, only if those pass, all its tests and the access matrix,
with `-x` and a reused test database. A test that fails on the unmutated tree is left out (and named). A mutant that no test fails is a survivor: a rule that no test holds.

    python scripts/mutation.py [--jobs N] [--only PATH_SUBSTRING] [--list]
"""

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = [
    "core/policy.py",
    "settlement/services/households.py",
    "settlement/services/proposals.py",
    "settlement/services/requests.py",
    "settlement/workflows.py",
    "grants/services.py",
    "grants/workflows.py",
    "agreements/services.py",
    "reporting/services.py",
]
CHECK_CALL = re.compile(r"^_?(require|check|validate)\w*$|^raise_if$|^guard$")
REFUSALS = {"ValidationError", "Forbidden", "PermissionDenied", "field_error"}
YES_NO = {"can", "may_write", "has_scope"}
MATRIX = "tests/test_access_matrix.py"


@dataclass
class Mutant:
    path: str
    line: int
    kind: str
    text: str
    index: int  # position of the node in ast.walk order, to find it again in a fresh tree
    result: str = ""
    killer: str = ""
    seconds: float = 0.0
    detail: list = field(default_factory=list)


def _call_name(node) -> str | None:
    if isinstance(node, ast.Call):
        f = node.func
        return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
    return None


def _refuses(stmt) -> bool:
    """A statement that refuses: raise, or errors[...] = ValidationError(...)/field_error(...)."""
    if isinstance(stmt, ast.Raise):
        return True
    if isinstance(stmt, ast.Assign) and _call_name(stmt.value) in REFUSALS:
        return True
    return False


def _is_state_check(call) -> bool:
    """HOUSEHOLD.require("assign", h) / CLAIM.check("pay", c, actor): a workflow table asked for a transition."""
    return (_call_name(call) in ("require", "check") and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name) and call.func.value.id.isupper()
            and call.args and isinstance(call.args[0], ast.Constant))


def find_mutants(path: str) -> list[Mutant]:
    source = (ROOT / path).read_text()
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for i, node in enumerate(ast.walk(tree)):
        kind = None
        if isinstance(node, ast.Expr) and CHECK_CALL.match(_call_name(node.value) or ""):
            kind = "delete check call"
        elif isinstance(node, ast.Call) and _is_state_check(node) and not isinstance(parents.get(node), ast.Expr):
            kind = "skip state check"
        elif isinstance(node, ast.If) and (
                (node.body and _refuses(node.body[0]))
                or any(_call_name(n) == "allows" for n in ast.walk(node.test))):
            kind = "condition never true"
        elif path == "core/policy.py" and isinstance(node, ast.FunctionDef) and node.name in YES_NO:
            kind = "always yes"
        elif (path == "core/policy.py" and isinstance(node, ast.Return) and _call_name(node.value) in ("filter", "none")
              and isinstance(node.value.func.value, ast.Name) and node.value.func.value.id == "queryset"):
            kind = "restrict unfiltered"
        if kind:
            text = ast.get_source_segment(source, node.test if isinstance(node, ast.If) else node) or ""
            text = " ".join(text.split())
            found.append(Mutant(path, node.lineno, kind, text[:110], i))
    return found


def mutate(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    node = list(ast.walk(tree))[mutant.index]
    parents = {child: n for n in ast.walk(tree) for child in ast.iter_child_nodes(n)}
    if mutant.kind == "delete check call":
        _replace_stmt(parents[node], node, ast.Pass())
    elif mutant.kind == "skip state check":
        new = ast.parse(f"{node.func.value.id}.transitions[{node.args[0].value!r}].target", mode="eval").body
        _replace_child(parents[node], node, new)
    elif mutant.kind == "condition never true":
        node.test = ast.Constant(False)
    elif mutant.kind == "always yes":
        node.body = [ast.Return(ast.Constant(True))]
    elif mutant.kind == "restrict unfiltered":
        node.value = ast.Name("queryset", ast.Load())
    return ast.unparse(ast.fix_missing_locations(tree))


def _replace_stmt(parent, old, new):
    for name in ("body", "orelse", "finalbody"):
        stmts = getattr(parent, name, None)
        if stmts and old in stmts:
            stmts[stmts.index(old)] = new
            return
    raise ValueError("statement not found")


def _replace_child(parent, old, new):
    for name, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, name, new)
            return
        if isinstance(value, list) and old in value:
            value[value.index(old)] = new
            return
    raise ValueError("expression not found")


def stages(path: str) -> list[list[str]]:
    """Fast tests first (the guard and workflow tests, the policy's), then the service and bounds tests, then all the
    app's tests and the access matrix: most mutants die in the first stage, within seconds."""
    app = path.split("/")[0]
    apps = ["settlement", "grants", "agreements", "reporting"] if app == "core" else [app]
    first = [f"{a}/tests/test_{name}*.py" for a in apps for name in ("guards", "workflows")] + ["core/tests/test_policy*.py"]
    second = [f"{a}/tests/test_{name}*.py" for a in apps for name in ("services", "bounds")]
    return [first, second, [f"{app}/tests", MATRIX]]


def _expand(copy: Path, patterns: list[str]) -> list[str]:
    out = []
    for pattern in patterns:
        out += sorted(str(p.relative_to(copy)) for p in copy.glob(pattern))
    return out


def make_copy(n: int, base: Path) -> Path:
    """The working tree as it is (tracked and untracked files that git does not ignore), without .git/.venv."""
    copy = base / f"w{n}"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            dst = copy / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    # One test database per copy, kept between runs (--reuse-db): the mutants change no model.
    (copy / "_mutation_settings.py").write_text(
        "from imdi.settings.base import *  # noqa: F401,F403\n"
        f"DATABASES['default']['TEST'] = {{'NAME': {str(copy / '.mutation-db.sqlite3')!r}}}\n")
    return copy


def pytest(copy: Path, tests: list[str], extra=()) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(copy), "DJANGO_SETTINGS_MODULE": "_mutation_settings"}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--reuse-db", "-rf",
           "--ds=_mutation_settings", "-m", "not browser and not celery_worker", *extra, *tests]
    proc = subprocess.run(cmd, cwd=copy, env=env, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


def first_failure(output: str) -> str:
    m = re.search(r"^(?:FAILED|ERROR) (\S+)", output, re.M)
    return m.group(1) if m else (output.strip().splitlines() or ["?"])[-1][:120]


# Tests that fail on the unmutated tree (someone's work in progress) prove nothing: each test that kills a mutant
# is run once unmutated; one that fails there too is deselected and the mutant is run again.
BROKEN: set[str] = set()
VERIFIED: set[str] = set()
STATE = threading.Lock()


def _kills(copy: Path, mutant: Mutant, mutated: str, original: str) -> bool:
    target = copy / mutant.path
    for n, patterns in enumerate(stages(mutant.path), 1):
        while True:
            target.write_text(mutated)
            with STATE:
                deselect = [a for t in sorted(BROKEN) for a in ("--deselect", t)]
            rc, out = pytest(copy, _expand(copy, patterns), deselect)
            if rc in (0, 5):  # 5: no tests collected
                break
            killer = first_failure(out)
            with STATE:
                known = killer in VERIFIED or "::" not in killer
            if not known:
                target.write_text(original)
                rc_clean, _ = pytest(copy, [killer])
                with STATE:
                    (VERIFIED if rc_clean == 0 else BROKEN).add(killer)
                if rc_clean != 0:
                    print(f"NOTE {killer} fails on the unmutated tree: deselected", flush=True)
                    continue
            mutant.result, mutant.killer = f"killed (stage {n})", killer
            return True
    return False


def run_mutant(copy: Path, mutant: Mutant) -> Mutant:
    target = copy / mutant.path
    original = target.read_text()
    start = time.monotonic()
    try:
        if not _kills(copy, mutant, mutate(original, mutant), original):
            mutant.result = "survived"
    finally:
        target.write_text(original)
        mutant.seconds = time.monotonic() - start
    return mutant


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=max(1, min(os.cpu_count() or 1, 4)))
    parser.add_argument("--only", default="", help="only files whose path contains this")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args()

    mutants = [m for path in TARGETS if args.only in path for m in find_mutants(path)]
    if args.list:
        for m in mutants:
            print(f"{m.path}:{m.line}  {m.kind:22} {m.text}")
        print(f"{len(mutants)} mutants")
        return 0
    started = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="imdi-mutation-"))
    try:
        copies = [make_copy(n, base) for n in range(args.jobs)]
        # Build each copy's test database once, unmutated; the mutants reuse it.
        with ThreadPoolExecutor(args.jobs) as pool:
            for rc, out in pool.map(lambda c: pytest(c, ["core/tests/test_policy.py"], ["--create-db"]), copies):
                if rc != 0:
                    print(out[-3000:])
                    print("The unmutated tests fail: fix them first.")
                    return 2
        free = list(copies)
        lock = threading.Lock()

        def work(m):
            with lock:
                copy = free.pop()
            try:
                return run_mutant(copy, m)
            finally:
                with lock:
                    free.append(copy)

        with ThreadPoolExecutor(args.jobs) as pool:
            for m in pool.map(work, mutants):
                mark = "KILLED  " if m.result.startswith("killed") else "SURVIVED"
                print(f"{mark} {m.path}:{m.line} [{m.kind}] {m.text}  ({m.seconds:.0f} s){'  <- ' + m.killer if m.killer else ''}",
                      flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    survivors = [m for m in mutants if m.result == "survived"]
    print(f"\n{len(mutants)} mutants: {len(mutants) - len(survivors)} killed, {len(survivors)} survived "
          f"in {time.monotonic() - started:.0f} s with {args.jobs} jobs")
    if BROKEN:
        print(f"{len(BROKEN)} tests failing on the unmutated tree were left out: " + ", ".join(sorted(BROKEN)))
    for m in survivors:
        print(f"  survived: {m.path}:{m.line} [{m.kind}] {m.text}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
