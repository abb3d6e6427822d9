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

How it runs, fast (about 40 times faster than a test process per mutant and stage):

1. The committed tree (`git archive HEAD`; `--worktree` takes the working tree as it is) is copied to a temporary
   folder; nothing in the checkout is ever changed.
2. ONE pytest process runs there with this file as a plugin (`-p mutation`). It runs the tests once with coverage
   (coverage.py's API, one dynamic context per test: which test executes which line of the targets) and
   notes each test's time; a test that fails unmutated is left out and named.
3. For each mutant, in the same process: the mutated module is compiled and the code object of the function
   that holds the guard is swapped in (`function.__code__`, so every import of it sees the mutant), and only
   the tests that execute the guard's line run, fastest first, until one fails. Then the original code is put
   back. A test that kills a mutant is rerun once unmutated: if it fails there too (it depends on the order),
   it proves nothing and the next one is tried. A guard that no test executes survives at no cost.

CPU is shared: the script lowers its own priority (`--nice`, default 15) and uses one process.

    python scripts/mutation.py [--only PATH_SUBSTRING] [--list] [--worktree] [--nice N]
"""

import argparse
import ast
import importlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("settlement", "grants", "agreements", "reporting")
# The services (every module of a services package) and the workflow tables of each app, and the policy.
TARGET_GLOBS = ["core/policy.py", *(f"{a}/{g}" for a in APPS for g in ("services.py", "services/*.py", "workflows.py"))]
# The tests the mutants face: every test but the browser, Celery-worker and GET-fuzz ones (which hold no guard).
TEST_PATHS = ["core", *APPS, "tests"]
PYTEST_ARGS = ["-m", "not browser and not celery_worker", "--ignore=tests/test_fuzz_get.py"]
LAST = ROOT / ".mutation-last.json"  # the last run's results, for --survivors (git-ignored)
TEST_TIMEOUT_S = 120  # a mutant that loops forever is killed by the clock
CHECK_CALL = re.compile(r"^_?(require|check|validate)\w*$|^raise_if$|^guard$")
REFUSALS = {"ValidationError", "Forbidden", "PermissionDenied", "field_error"}
YES_NO = {"can", "may_write", "has_scope"}


@dataclass
class Mutant:
    path: str
    line: int
    kind: str
    text: str
    index: int  # position of the node in ast.walk order, to find it again in a fresh tree
    function: str = ""  # qualified name of the outermost function holding the guard ("" at module level)
    cov_line: int = 0  # the line coverage reports when the guard runs (the statement's first line)
    result: str = ""
    killer: str = ""
    seconds: float = 0.0
    tests: int = 0  # how many tests execute the guard


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


def find_mutants(path: str, base: Path = ROOT) -> list[Mutant]:
    source = (base / path).read_text()
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
            found.append(Mutant(path, node.lineno, kind, text[:110], i, _function_of(node, parents),
                                _covered_line(node, parents)))
    return found


def _function_of(node, parents) -> str:
    """The qualified name of the outermost function around `node` (its code object is what gets swapped)."""
    names, outer = [], None
    while node in parents or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            outer, names = node, []
        elif isinstance(node, ast.ClassDef):
            names.append(node.name)
        if node not in parents:
            break
        node = parents[node]
    if outer is None:
        return ""
    # Classes between the module and the outermost function give the method's qualified name.
    chain, n = [], outer
    while n in parents:
        n = parents[n]
        if isinstance(n, ast.ClassDef):
            chain.append(n.name)
    return ".".join([*reversed(chain), outer.name])


def _covered_line(node, parents) -> int:
    """The line coverage records when the guard runs: the statement's first line; for a whole function, the first
    statement after its docstring."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        body = node.body
        if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        return body[0].lineno
    while not isinstance(node, ast.stmt) and node in parents:
        node = parents[node]
    return node.lineno


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


def targets(base: Path) -> list[str]:
    return sorted({str(p.relative_to(base)) for g in TARGET_GLOBS for p in base.glob(g)} - {"settlement/services/__init__.py"})


def copy_tree(dest: Path, worktree: bool, rev: str = "HEAD") -> str:
    """A commit's tree (HEAD), or with `worktree` the working tree's tracked and untracked files as they are."""
    if worktree:
        files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                               capture_output=True, text=True).stdout.split("\0")
        for name in filter(None, files):
            src = ROOT / name
            if src.is_file():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest / name)
        return "working tree"
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    commit = subprocess.run(["git", "log", "-1", rev, "--format=%h %cd", "--date=format:%H:%M UTC"], cwd=ROOT,
                            check=True, capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}).stdout.strip()
    return f"commit {commit}"


# --- The pytest plugin (this file, loaded with `-p mutation` inside the copy) ---------------------------------


class _Runner:
    """Runs single test items again and again in one session, keeping the session's fixtures (the test
    database) alive: an item's teardown waits until the next item to run is known."""

    def __init__(self):
        self.pending = None

    def _finish(self, nextitem):
        from _pytest.runner import call_and_report

        item, self.pending = self.pending, None
        if item is None:
            return
        if nextitem is item:  # the same test again: tear it down to its parent
            nextitem = item.parent
        call_and_report(item, "teardown", log=False, nextitem=nextitem)
        if hasattr(item, "_request"):
            item._request, item.funcargs = False, None

    def run(self, item, timeout: float = 0) -> tuple[bool, float]:
        """Whether the test passed (a skip counts as passed) and its time in seconds; `timeout` fails it after so
        many seconds (0: no limit; the first test that needs the database waits for its migrations)."""
        from _pytest.runner import call_and_report

        self._finish(item)
        if hasattr(item, "_request") and not item._request:
            item._initrequest()
        start = time.monotonic()
        rep = call_and_report(item, "setup", log=False)  # untimed: the first test with the database migrates it
        if rep.passed:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                rep = call_and_report(item, "call", log=False)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        self.pending = item
        self.last = rep
        return not rep.failed, time.monotonic() - start

    def close(self):
        self._finish(None)


def _timeout(signum, frame):
    raise TimeoutError(f"over {TEST_TIMEOUT_S} s (the mutant loops?)")


def _code_of(code, qualname):
    for const in code.co_consts:
        if hasattr(const, "co_qualname"):
            if const.co_qualname == qualname:
                return const
            found = _code_of(const, qualname)
            if found is not None:
                return found
    return None


def _live_function(module, qualname):
    """The function object the module's code runs, through decorators (functools.wraps, transaction.atomic),
    static/class methods and properties."""
    obj = module
    for part in qualname.split("."):
        obj = obj.__dict__[part] if isinstance(obj, type) else getattr(obj, part)
    for _ in range(10):
        code = getattr(obj, "__code__", None)
        if code is not None and code.co_qualname == qualname:
            return obj
        obj = (getattr(obj, "__wrapped__", None) or getattr(obj, "__func__", None) or getattr(obj, "fget", None)
               or getattr(obj, "run", None))
        if obj is None:
            break
    raise LookupError(f"no function {qualname}")


def pytest_runtestloop(session):
    if session.testsfailed:
        raise session.Interrupted(f"{session.testsfailed} errors during collection")
    plan = json.loads(Path(os.environ["MUTATION_PLAN"]).read_text())
    out = Path(os.environ["MUTATION_OUT"])
    say = session.config.pluginmanager.get_plugin("terminalreporter").write_line
    signal.signal(signal.SIGALRM, _timeout)
    base = Path.cwd().resolve()
    import core

    if not Path(core.__file__).resolve().is_relative_to(base):
        raise session.Interrupted(f"core is imported from {core.__file__}, not from the copy {base}")
    runner = _Runner()
    items = list(session.items)

    # 1. Every test once, with coverage: which test runs which line of the targets.
    import coverage

    files = {p: str(base / p) for p in {m["path"] for m in plan}}
    cov = coverage.Coverage(data_file=None, include=list(files.values()), config_file=False)
    durations, broken = {}, set()
    started = time.monotonic()
    say(f"Baseline: {len(items)} tests with coverage ...")
    cov.start()
    try:
        for item in items:
            cov.switch_context(item.nodeid)
            ok, seconds = runner.run(item)
            durations[item.nodeid] = seconds
            if not ok:
                broken.add(item.nodeid)
                if os.environ.get("MUTATION_DEBUG"):
                    say(str(runner.last.longrepr)[-3000:])
    finally:
        cov.stop()
    data = cov.get_data()
    lines = {p: data.contexts_by_lineno(f) for p, f in files.items()}
    say(f"Baseline done in {time.monotonic() - started:.0f} s; {len(broken)} tests fail unmutated and are left out: "
        + ", ".join(sorted(broken)))
    by_id = {item.nodeid: item for item in items}

    def order(nodeid):  # guard, workflow and policy tests first, then the fastest
        return (0 if re.search(r"guard|workflow|policy", nodeid.split("::")[0]) else 1, durations.get(nodeid, 0))

    # 2. Each mutant against the tests that run its line.
    verified = set()
    results = []
    for m in plan:
        covering = sorted({t for t in lines[m["path"]].get(m["cov_line"], []) if t in by_id} - broken, key=order)
        m["tests"] = len(covering)
        start = time.monotonic()
        if not m["function"]:
            m["result"] = "not run (module level)"
        elif not covering:
            m["result"] = "survived"
        else:
            module = importlib.import_module(m["path"][:-3].replace("/", "."))
            source = (base / m["path"]).read_text()
            try:
                live = _live_function(module, m["function"])
                mutated = _code_of(compile(mutate(source, Mutant(**{k: m[k] for k in ("path", "line", "kind", "text", "index")})),
                                           str(base / m["path"]), "exec"), m["function"])
                if mutated is None or mutated.co_freevars != live.__code__.co_freevars:
                    raise LookupError("the mutated code does not fit the function")
            except (LookupError, KeyError, AttributeError) as e:
                m["result"] = f"not run ({e})"
                live = None
            if live is not None:
                original = live.__code__
                m["result"] = "survived"
                for nodeid in covering:
                    live.__code__ = mutated
                    try:
                        ok, _ = runner.run(by_id[nodeid], TEST_TIMEOUT_S)
                    finally:
                        live.__code__ = original
                    if ok:
                        continue
                    if os.environ.get("MUTATION_DEBUG"):
                        say(str(runner.last.longrepr)[-1500:])
                    if nodeid not in verified:  # does it pass unmutated here, after the tests run before it?
                        if not runner.run(by_id[nodeid])[0]:
                            if os.environ.get("MUTATION_DEBUG"):
                                say("UNMUTATED: " + str(runner.last.longrepr)[-1500:])
                            continue
                        verified.add(nodeid)
                    m["result"], m["killer"] = "killed", nodeid
                    break
        m["seconds"] = time.monotonic() - start
        mark = {"killed": "KILLED  ", "survived": "SURVIVED"}.get(m["result"], "NOT RUN ")
        say(f"{mark} {m['path']}:{m['line']} [{m['kind']}] {m['text']}  ({m['tests']} tests, {m['seconds']:.1f} s)"
            + (f"  <- {m['killer']}" if m["killer"] else "") + ("" if mark != "NOT RUN " else f"  {m['result']}"))
        results.append(m)
        out.write_text(json.dumps({"results": results, "broken": sorted(broken)}))
    runner.close()
    return True


# --- The command ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="only target files whose path contains one of these (comma-separated)")
    parser.add_argument("--at", default="", help="only the mutants at these places (comma-separated path:line, e.g. the "
                                                 "survivors of a run, against more tests)")
    parser.add_argument("--survivors", action="store_true", help=f"only the survivors of the last run ({LAST.name})")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--worktree", action="store_true", help="the working tree as it is, not the last commit")
    parser.add_argument("--rev", default="HEAD", help="the commit to copy (default: HEAD)")
    parser.add_argument("--nice", type=int, default=15, help="lower the priority by this much (CPU is shared)")
    parser.add_argument("tests", nargs="*", help=f"test paths or globs (default: {' '.join(TEST_PATHS)})")
    args = parser.parse_args()
    os.nice(args.nice)

    started = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="imdi-mutation-"))
    try:
        what = copy_tree(base, args.worktree, args.rev)
        only, at = args.only.split(","), set(filter(None, args.at.split(",")))
        survivors = set()
        if args.survivors:  # found again by what they are, not by line: lines move when the code is edited
            last = json.loads(LAST.read_text())["results"]
            survivors = {(m["path"], m["function"], m["kind"], m["text"]) for m in last if m["result"] != "killed"}
        mutants = [m for path in targets(base) if any(o in path for o in only) for m in find_mutants(path, base)
                   if (not at or f"{m.path}:{m.line}" in at)
                   and (not args.survivors or (m.path, m.function, m.kind, m.text) in survivors)]
        if args.list:
            for m in mutants:
                print(f"{m.path}:{m.line}  {m.kind:22} {m.text}  ({m.function})")
            print(f"{len(mutants)} mutants in {len({m.path for m in mutants})} files ({what})")
            return 0
        print(f"{len(mutants)} mutants in {len({m.path for m in mutants})} files ({what}), one process", flush=True)
        plan, out = base / "_mutation_plan.json", ROOT / ".mutation-running.json"  # progress, readable while it runs
        out.unlink(missing_ok=True)
        plan.write_text(json.dumps([asdict(m) for m in mutants]))
        shutil.copy2(Path(__file__), base / "mutation.py")
        env = {**os.environ, "PYTHONPATH": str(base), "MUTATION_PLAN": str(plan), "MUTATION_OUT": str(out)}
        tests = sorted({str(p.relative_to(base)) for t in args.tests for p in base.glob(t)}) if args.tests else TEST_PATHS
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "mutation", "--create-db",
               *PYTEST_ARGS, *tests]
        proc = subprocess.run(cmd, cwd=base, env=env)
        if not out.exists():
            print(f"No result (pytest exited with {proc.returncode}).")
            return 2
        result = json.loads(out.read_text())
    finally:
        shutil.rmtree(base, ignore_errors=True)
    done = result["results"]
    LAST.write_text(json.dumps({"what": what, **result}, indent=1))
    out.unlink()
    killed = [m for m in done if m["result"] == "killed"]
    survivors = [m for m in done if m["result"] == "survived"]
    other = [m for m in done if m["result"] not in ("killed", "survived")]
    print(f"\n{len(done)} mutants ({what}): {len(killed)} killed, {len(survivors)} survived"
          + (f", {len(other)} not run" if other else "") + f" in {time.monotonic() - started:.0f} s")
    if result["broken"]:
        print(f"{len(result['broken'])} tests failing on the unmutated tree were left out: " + ", ".join(result["broken"]))
    for m in survivors:
        print(f"  survived: {m['path']}:{m['line']} [{m['kind']}] {m['text']}  ({m['tests']} tests run it)")
    for m in other:
        print(f"  not run: {m['path']}:{m['line']} [{m['kind']}] {m['text']}  ({m['result']})")
    return 1 if survivors or other else 0


if __name__ == "__main__":
    sys.exit(main())
