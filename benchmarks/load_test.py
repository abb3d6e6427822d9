"""A bounded load test on loopback: gunicorn with production settings against PostgreSQL, 8 concurrent clients.

Uses the page benchmark's database for the scale (imdi_bench_pages_<scale>, seeded with `seed_demo --scale N
--as-of 2025-12-31 --reset` when the demo code changed; see bench_pages.py), starts gunicorn on 127.0.0.1 with
`imdi.settings.production` (a random DJANGO_SECRET_KEY, no HTTPS redirect or secure cookies on plain-HTTP
loopback, API throttling raised and login lock-out relaxed for the test), waits for it with a deadline (a probe
that times out is retried), logs in through the login form as a caseworker, a municipality and the ministry,
issues an API token, then runs the clients for a fixed time and at most a fixed number of requests. Prints
requests per second and p50/p95/p99 per page as a Markdown table. Goal (issue 14): p95 under 200 ms at scale 5.

    python benchmarks/load_test.py [--scale 5] [--seconds 30] [--clients 8] [--workers 3]
"""

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = int(os.environ.get("LOAD_PORT", 8765))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "demo"


def wait_until_ready(server, deadline_s: float):
    """Poll the login page until it answers 200; a refused connection or a read timeout (a worker still
    importing Django) is retried until the deadline."""
    deadline = time.monotonic() + deadline_s
    last = None
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            if requests.get(f"{BASE}/logg-inn/", timeout=2).status_code == 200:
                return
        except requests.RequestException as exc:
            last = exc
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn not ready after {deadline_s:.0f} s ({last})")


def login(username: str) -> requests.Session:
    """Log in through the form, as a browser does (CSRF token from the page, the form's Referer)."""
    session = requests.Session()
    page = session.get(f"{BASE}/logg-inn/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    reply = session.post(f"{BASE}/logg-inn/", data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf},
                         headers={"Referer": f"{BASE}/logg-inn/"}, timeout=10)
    if reply.status_code != 200 or "/logg-inn/" in reply.url or "sessionid" not in session.cookies:
        raise RuntimeError(f"login as {username} failed ({reply.status_code} at {reply.url})")
    return session


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("LOAD_SCALE", 5)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("LOAD_SECONDS", 30)))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=50_000, help="hard stop, whatever the time")
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args(argv or [])

    from benchmarks.bench_pages import database_url, seed

    print(f"scale {args.scale:g}: {seed(args.scale, args.reseed)}", flush=True)
    env = {**os.environ, "DATABASE_URL": database_url(args.scale), "DJANGO_SETTINGS_MODULE": "imdi.settings.production",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_SECURE_COOKIES": "false", "AXES_FAILURE_LIMIT": "1000",
           "API_THROTTLE_USER": "1000000/minute", "API_THROTTLE_TOKEN": "1000000/minute", "API_THROTTLE_ANON": "1000000/minute",
           "DJANGO_STATIC_ROOT": "/tmp/imdi-load-static", "DJANGO_LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    token = subprocess.run([python, "manage.py", "create_api_token", "admin", "--scopes", "settlement:read,aggregates:read",
                            "--name", "load"], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.split(": ")[-1].strip()
    server = subprocess.Popen([python, "-m", "gunicorn", "imdi.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
                               "--workers", str(args.workers), "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        wait_until_ready(server, float(os.environ.get("LOAD_START_DEADLINE", 180)))  # importing Django on a loaded machine
        sessions = {u: login(u) for u in ("saksbehandler.ost", "kommune.0301", "departement")}
        queue = sessions["saksbehandler.ost"].get(f"{BASE}/bosetting/", timeout=30)
        household = re.search(r'href="/bosetting/husstander/(\d+)/"', queue.text).group(1)
        api = {"Authorization": f"Token {token}"}
        targets = [
            ("arbeidskø", "/bosetting/", "saksbehandler.ost", {}),
            ("husstand", f"/bosetting/husstander/{household}/", "saksbehandler.ost", {}),
            ("oversikt", "/bosetting/oversikt/", "saksbehandler.ost", {}),
            ("ny fordelingsliste", "/bosetting/fordelingslister/ny/", "saksbehandler.ost", {}),
            ("kapasitet", "/bosetting/kapasitet/", "saksbehandler.ost", {}),
            ("kommune: innboks", "/bosetting/kommune/innboks/", "kommune.0301", {}),
            ("kommune: bosetting", "/bosetting/kommune/bosetting/", "kommune.0301", {}),
            ("styringsinformasjon", "/rapportering/", "departement", {}),
            ("måloppnåelse", "/rapportering/maloppnaelse/", "departement", {}),
            ("api households", "/api/v1/households/", None, api),
            ("api aggregates", "/api/v1/aggregates/", None, api),
        ]
        latencies, errors, lock = defaultdict(list), defaultdict(int), threading.Lock()
        stop_at = time.monotonic() + args.seconds
        counter = [0]

        def client(i):
            own = {u: requests.Session() for u in sessions}
            for u, s in own.items():
                s.cookies.update(sessions[u].cookies.get_dict())
            anonymous = requests.Session()
            n = i
            while time.monotonic() < stop_at:
                with lock:
                    if counter[0] >= args.max_requests:
                        return
                    counter[0] += 1
                name, path, user, headers = targets[n % len(targets)]
                n += 1
                t0 = time.perf_counter()
                try:
                    reply = (own[user] if user else anonymous).get(BASE + path, headers=headers, timeout=30, allow_redirects=False)
                    ok = reply.status_code == 200
                except requests.RequestException:
                    ok = False
                with lock:
                    latencies[name].append(time.perf_counter() - t0)
                    errors[name] += not ok

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    finally:  # a server slow to stop (a loaded machine) is killed, and an error above is not hidden by this one
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    total = sum(len(v) for v in latencies.values())
    print(f"\n{total:,} requests in {elapsed:.1f} s from {args.clients} clients against {args.workers} gunicorn workers "
          f"(PostgreSQL, demo scale {args.scale:g}): {total / elapsed:.0f} req/s, {sum(errors.values())} errors\n")
    print("| page | requests | p50 ms | p95 ms | p99 ms | errors | p95 < 200 ms |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, _, _, _ in targets:
        values = latencies.get(name)
        if not values:
            continue
        p50, p95, p99 = (percentile(values, p) * 1000 for p in (50, 95, 99))
        print(f"| {name} | {len(values):,} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {errors[name]} | {'yes' if p95 < 200 else '**no**'} |")


if __name__ == "__main__":
    main(sys.argv[1:])
