"""A bounded load test against the running app on loopback (gunicorn, production settings).

Builds a demo database (SQLite file by default), starts gunicorn on 127.0.0.1, logs in a caseworker,
issues an API token, then runs a fixed number of concurrent clients for a fixed time against the
work queue, a household, the capacity page, the report dashboard and the API. It stops by itself
and prints requests per second and latency percentiles per endpoint.

    python benchmarks/load_test.py [--seconds 20] [--clients 8] [--workers 3]

LOAD_DATABASE_URL overrides the database (default sqlite:////tmp/imdi-load.sqlite3).
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
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


def run(cmd, env):
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=50_000, help="hard stop, whatever the time")
    args = parser.parse_args(argv or [])

    env = {**os.environ, "DATABASE_URL": os.environ.get("LOAD_DATABASE_URL", "sqlite:////tmp/imdi-load.sqlite3"),
           "DJANGO_SETTINGS_MODULE": "imdi.settings.production", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_SECURE_COOKIES": "false", "AXES_FAILURE_LIMIT": "1000",
           "DJANGO_LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    python = sys.executable
    run([python, "manage.py", "migrate", "--noinput"], env)
    run([python, "manage.py", "seed_demo", "--scale", "0.5"], env)
    run([python, "manage.py", "collectstatic", "--noinput"], env)
    token = subprocess.run([python, "manage.py", "create_api_token", "admin", "--scopes", "settlement:read,aggregates:read",
                            "--name", "load"], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.split(": ")[-1].strip()
    server = subprocess.Popen([python, "-m", "gunicorn", "imdi.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
                               "--workers", str(args.workers), "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                requests.get(f"{BASE}/logg-inn/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        session = requests.Session()
        page = session.get(f"{BASE}/logg-inn/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        session.post(f"{BASE}/logg-inn/", data={"username": "saksbehandler.ost", "password": "demo", "csrfmiddlewaretoken": csrf},
                     headers={"Referer": f"{BASE}/logg-inn/"})
        queue = session.get(f"{BASE}/bosetting/")
        assert queue.status_code == 200 and "Arbeidskø" in queue.text, "login failed"
        household = re.search(r'href="/bosetting/husstander/(\d+)/"', queue.text).group(1)
        cookies = session.cookies.get_dict()
        targets = [
            ("arbeidskø", f"{BASE}/bosetting/", {}),
            ("husstand", f"{BASE}/bosetting/husstander/{household}/", {}),
            ("kapasitet", f"{BASE}/bosetting/kapasitet/", {}),
            ("styringsinformasjon", f"{BASE}/rapportering/", {}),
            ("api husstander", f"{BASE}/api/v1/households/", {"Authorization": f"Token {token}"}),
            ("api aggregater", f"{BASE}/api/v1/aggregates/", {"Authorization": f"Token {token}"}),
        ]
        latencies, errors, lock = defaultdict(list), defaultdict(int), threading.Lock()
        stop_at = time.monotonic() + args.seconds
        counter = [0]

        def client(i):
            s = requests.Session()
            s.cookies.update(cookies)
            n = i
            while time.monotonic() < stop_at:
                with lock:
                    if counter[0] >= args.max_requests:
                        return
                    counter[0] += 1
                name, url, headers = targets[n % len(targets)]
                n += 1
                t0 = time.perf_counter()
                try:
                    ok = s.get(url, headers=headers, timeout=30).status_code == 200
                except requests.RequestException:
                    ok = False
                with lock:
                    latencies[name].append(time.perf_counter() - t0)
                    if not ok:
                        errors[name] += 1

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(10)

    total = sum(len(v) for v in latencies.values())
    print(f"{total:,} requests in {elapsed:.1f} s from {args.clients} clients against {args.workers} gunicorn workers: "
          f"{total / elapsed:.0f} req/s, {sum(errors.values())} errors")
    print(f"{'endpoint':22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, values in latencies.items():
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        print(f"{name:22} {len(values):6} {q[49] * 1000:8.0f} {q[94] * 1000:8.0f} {q[98] * 1000:8.0f} {errors[name]:7}")


if __name__ == "__main__":
    main(sys.argv[1:])
