"""The serving set's configuration and the visitor's address behind a proxy (pure functions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lisdash.consult.clientaddress import client_address, trusted_networks
from lisdash.consult.inflight import in_flight, recording, wait_for_recordings
from lisdash.serving import deploy


def test_processes_are_dealt_round_the_addresses_with_ports_counting_up_per_address():
    apps = deploy.local_backends(3, ["127.0.0.2", "127.0.0.3"], 9000)
    assert [(a.name, a.address) for a in apps] == [("web-1", "127.0.0.2:9000"), ("web-2", "127.0.0.3:9000"),
                                                   ("web-3", "127.0.0.2:9001")]
    with pytest.raises(ValueError):
        deploy.local_backends(0, ["127.0.0.1"])


@pytest.mark.parametrize("text, expected", [("10.0.0.2:8601", ("10.0.0.2", 8601)), ("10.0.0.2", ("10.0.0.2", 8601)),
                                            (":9000", ("127.0.0.1", 9000))])
def test_addresses_parse(text, expected):
    assert deploy.parse_address(text, 8601) == expected


@pytest.mark.parametrize("bad", ["10.0.0.2:http", "10.0.0.2:70000", ":"])
def test_bad_addresses_are_named(bad):
    with pytest.raises(ValueError, match="port|address"):
        deploy.parse_address(bad, 8601)


def test_haproxy_has_one_sticky_checked_server_per_backend():
    config = deploy.haproxy_config("0.0.0.0:8501", deploy.remote_backends(["10.0.0.2:8601", "10.0.0.3:8601"]))
    assert "bind 0.0.0.0:8501" in config
    assert "    server app-1 10.0.0.2:8601 cookie app-1\n    server app-2 10.0.0.3:8601 cookie app-2" in config
    assert "default-server check" in config and "option httpchk GET /_stcore/health" in config
    assert "on-error mark-down" in config and "option redispatch 1" in config  # a refused visitor goes elsewhere
    assert f"errorfile 503 {deploy.TEMPLATES}/503.http" in config  # our words when no process is up
    assert "%ci" not in config and "%HU" not in config  # no client address, no query string in the log


def test_supervisor_runs_the_database_first_and_escapes_percent_signs(tmp_path):
    plan = deploy.Plan(run_dir=tmp_path, python="/usr/bin/python3",
                       db_url="postgresql+psycopg://lisdash:p%40ss@127.0.0.1:5499/lisdash",
                       apps=deploy.local_backends(2, ["127.0.0.1"]), proxy_listen="0.0.0.0:8501",
                       postgres=deploy.Postgres(Path("/usr/lib/postgresql/15/bin/postgres"), tmp_path / "pg", 5499,
                                                "postgres"))
    config = deploy.supervisor_config(plan)
    order = [config.index(f"[program:{name}]") for name in ("postgres", "web-1", "web-2", "proxy")]
    assert order == sorted(order)
    assert 'LISDASH_DB_URL="postgresql+psycopg://lisdash:p%%40ss@' in config
    assert 'LISDASH_TRUSTED_PROXIES="127.0.0.0/8"' in config
    assert "-m lisdash.serving.appserver --server.address 127.0.0.1 --server.port 8602" in config  # warm, then listen
    assert f"stopwaitsecs={deploy.STOP_WAIT_SECONDS}" in config and "user=postgres" in config


def test_only_a_trusted_proxy_s_forwarded_address_is_believed():
    trusted = trusted_networks("127.0.0.0/8, 10.1.0.0/16")
    assert client_address("127.0.0.1", "203.0.113.9", trusted) == "203.0.113.9"
    assert client_address("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.1.2.3", trusted) == "203.0.113.9"  # last untrusted
    assert client_address("198.51.100.7", "203.0.113.9", trusted) == "198.51.100.7"  # not from a proxy
    assert client_address("127.0.0.1", None, trusted) == "127.0.0.1"
    assert client_address("127.0.0.1", "not-an-address", trusted) == "127.0.0.1"
    assert client_address("127.0.0.1", "203.0.113.9", ()) == "127.0.0.1"  # nobody trusted by default
    assert client_address(None, "203.0.113.9", trusted) == "unknown"
    with pytest.raises(ValueError, match="not a network: 'nope'"):
        trusted_networks("127.0.0.0/8,nope")


def test_stopping_waits_for_views_being_recorded():
    assert wait_for_recordings(0.01) and in_flight() == 0
    with recording():
        assert in_flight() == 1 and not wait_for_recordings(0.05)
    assert wait_for_recordings(0.01)
