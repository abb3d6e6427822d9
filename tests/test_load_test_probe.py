"""The load test's start-up probe (benchmarks/load_test.py, issue 14): a gunicorn worker still importing Django
accepts the connection but answers late; the probe retries a read timeout until its deadline instead of failing."""

import pytest
import requests

from benchmarks import load_test


class Server:  # a gunicorn process that is still running
    returncode = None

    def poll(self):
        return None


class Reply:
    status_code = 200


def test_probe_retries_a_read_timeout_and_a_refused_connection(monkeypatch):
    answers = [requests.ReadTimeout("read timed out"), requests.ConnectionError("refused"), Reply()]
    calls = []

    def get(url, timeout):
        calls.append(url)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(load_test.requests, "get", get)
    monkeypatch.setattr(load_test.time, "sleep", lambda s: None)
    load_test.wait_until_ready(Server(), deadline_s=30)
    assert len(calls) == 3 and calls[0].endswith("/logg-inn/")


def test_probe_gives_up_at_its_deadline_and_names_the_last_error(monkeypatch):
    def get(url, timeout):
        raise requests.ReadTimeout("read timed out")

    monkeypatch.setattr(load_test.requests, "get", get)
    with pytest.raises(RuntimeError, match="not ready after 0 s .*read timed out"):
        load_test.wait_until_ready(Server(), deadline_s=0.05)
