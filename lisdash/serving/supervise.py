"""`python -m lisdash serve`: the app behind HAProxy on one machine, run by supervisord.

`start` writes the set's configuration into the run folder (var/serve/) and hands over to supervisord:
N app processes (one per core by default), HAProxy in front of them, and a private PostgreSQL when
LISDASH_DB_URL is not given. `restart` restarts the app processes one at a time, each back in rotation
before the next stops; `status` and `stop` ask supervisord.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from lisdash.serving import deploy

HEALTHY_WAIT_SECONDS = 120.0
BACK_IN_ROTATION_SECONDS = 3.0  # the proxy checks every second and needs two good answers


class ServeError(Exception):
    """A serving set that cannot be started or reached, in words for the command line."""


def _postgres_binary() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise ServeError("PostgreSQL is not installed (apt-get install postgresql), and LISDASH_DB_URL is not set.")
    return Path(found[-1])


def prepare(run_dir: Path) -> None:
    """The run folder: PostgreSQL's own account must pass through it to its data folder, so others may enter
    it; what inside is private is made readable by its owner only."""
    run_dir.mkdir(parents=True, exist_ok=True)
    run_dir.chmod(0o711)


def _private_file(path: Path, text: str) -> None:
    """Write a file that only its owner may read, from its first byte."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)


def _as(user: str | None, command: list[str]) -> list[str]:
    return ["runuser", "-u", user, "--", *command] if user else command


def private_postgres(run_dir: Path, port: int) -> tuple[deploy.Postgres, str]:
    """A PostgreSQL cluster in run_dir/postgres (made on first use, with a generated password kept beside
    it, readable by its owner only), and the URL the app processes reach it by."""
    binary = _postgres_binary()
    user = "postgres" if os.geteuid() == 0 else None
    data = run_dir / "postgres"
    password_file = run_dir / "postgres-password"
    if not (data / "PG_VERSION").exists():
        prepare(run_dir)
        data.mkdir(mode=0o700, exist_ok=True)
        password = secrets.token_urlsafe(24)
        _private_file(password_file, password)
        given = run_dir / "postgres-password.init"
        _private_file(given, password)
        if user:
            shutil.chown(data, user, user)
            shutil.chown(given, user, user)
            if subprocess.run(_as(user, ["test", "-r", str(given)]), timeout=30).returncode != 0:
                given.unlink()
                raise ServeError(f"PostgreSQL's account ({user}) cannot reach {run_dir}: let it pass through the "
                                 "folders above (chmod o+x), or set LISDASH_DB_URL.")
        try:
            subprocess.run(_as(user, [str(binary.with_name("initdb")), "-D", str(data), "-U", "lisdash",
                                      "--auth-local=peer", "--auth-host=scram-sha-256", f"--pwfile={given}",
                                      "-E", "UTF8"]), check=True, capture_output=True, timeout=300)
            subprocess.run(_as(user, [str(binary), "--single", "-D", str(data), "postgres"]),
                           input=b"CREATE DATABASE lisdash OWNER lisdash;\n", check=True, capture_output=True,
                           timeout=120)
        except subprocess.CalledProcessError as err:
            shutil.rmtree(data, ignore_errors=True)  # the next start begins again from nothing
            raise ServeError(f"PostgreSQL could not be set up in {data}: {err.stderr.decode()[-400:]}") from None
        finally:
            given.unlink(missing_ok=True)
    password = password_file.read_text().strip()
    return (deploy.Postgres(binary, data, port, user),
            f"postgresql+psycopg://lisdash:{password}@127.0.0.1:{port}/lisdash")


def plan(run_dir: Path, role: str, workers: int, app_hosts: list[str], listen: str, backends: list[str],
         db_port: int, app_port: int = deploy.FIRST_APP_PORT) -> deploy.Plan:
    """What this machine runs for a role: 'all' (apps, proxy, database unless LISDASH_DB_URL is set),
    'app' (apps only, sharing LISDASH_DB_URL) or 'proxy' (the proxy only, in front of `backends`)."""
    apps = deploy.local_backends(workers, app_hosts, app_port) if role in ("all", "app") else ()
    postgres, db_url = None, os.environ.get("LISDASH_DB_URL", "")
    if role == "app" and not db_url:
        raise ServeError("An app machine shares the one database: set LISDASH_DB_URL.")
    if role == "all" and not db_url:
        postgres, db_url = private_postgres(run_dir, db_port)
    if role == "proxy" and not backends:
        raise ServeError("A proxy machine needs its app processes: give --backend host:port for each.")
    proxied = deploy.remote_backends(backends) if backends else apps
    if role != "app" and shutil.which("haproxy") is None and not Path("/usr/sbin/haproxy").exists():
        raise ServeError("HAProxy is not installed (apt-get install haproxy).")
    trusted = tuple(t for t in os.environ.get("LISDASH_TRUSTED_PROXIES", "127.0.0.0/8").split(",") if t)
    return deploy.Plan(run_dir=run_dir, python=sys.executable, db_url=db_url, apps=apps,
                       proxy_listen=None if role == "app" else listen, proxy_backends=proxied, postgres=postgres,
                       haproxy=shutil.which("haproxy") or "/usr/sbin/haproxy", trusted_proxies=trusted)


def write(p: deploy.Plan) -> Path:
    """The set's configuration files in the run folder (supervisord's holds the database URL: owner only)."""
    prepare(p.run_dir)
    if p.proxy_listen is not None:
        (p.run_dir / "haproxy.cfg").write_text(deploy.haproxy_config(p.proxy_listen, p.proxy_backends))
        subprocess.run([p.haproxy, "-c", "-q", "-f", str(p.run_dir / "haproxy.cfg")], check=True, timeout=30)
    conf = p.run_dir / "supervisord.conf"
    _private_file(conf, deploy.supervisor_config(p))
    (p.run_dir / "apps.json").write_text(json.dumps([[a.name, a.host, a.port] for a in p.apps]))
    return conf


def start(p: deploy.Plan) -> None:
    """Write the configuration and become supervisord (it stops the set on SIGTERM or Ctrl-C)."""
    conf = write(p)
    print(f"lisdash: {len(p.apps)} app process(es)"
          + (f", HAProxy on {p.proxy_listen}" if p.proxy_listen else "")
          + (", a private PostgreSQL" if p.postgres else "") + f"; logs in {p.run_dir}", flush=True)
    supervisord = shutil.which("supervisord") or str(Path(sys.executable).with_name("supervisord"))
    os.execv(supervisord, [supervisord, "-n", "-c", str(conf)])


def supervisorctl(run_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    conf = run_dir / "supervisord.conf"
    if not conf.exists():
        raise ServeError(f"No serving set in {run_dir}: start one with `python -m lisdash serve`.")
    tool = shutil.which("supervisorctl") or str(Path(sys.executable).with_name("supervisorctl"))
    return subprocess.run([tool, "-c", str(conf), *args], capture_output=True, text=True, timeout=timeout)


def answers_health(base: str) -> bool:
    """Whether the Streamlit server at a base URL answers its health check now."""
    try:
        return httpx.get(f"{base}/_stcore/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_healthy(address: str, limit: float = HEALTHY_WAIT_SECONDS) -> None:
    """Wait until an app process answers its health check."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if answers_health(f"http://{address}"):
            return
        time.sleep(0.5)
    raise ServeError(f"{address} did not answer its health check within {limit:.0f} s.")


def rolling_restart(run_dir: Path, apps: list[deploy.Backend], report=print) -> None:
    """Restart the app processes one at a time: each finishes the views it is recording, restarts, and is back
    in the proxy's rotation before the next one stops, so the room always has a process to move to."""
    for app in apps:
        done = supervisorctl(run_dir, "restart", app.name, timeout=deploy.STOP_WAIT_SECONDS + 60)
        if done.returncode != 0:
            raise ServeError(f"{app.name}: {(done.stdout + done.stderr).strip()}")
        wait_healthy(app.address)
        time.sleep(BACK_IN_ROTATION_SECONDS)
        report(f"restarted {app.name} ({app.address})")


def running_apps(run_dir: Path) -> list[deploy.Backend]:
    """The app processes the set in run_dir was started with."""
    try:
        return [deploy.Backend(*a) for a in json.loads((run_dir / "apps.json").read_text())]
    except FileNotFoundError:
        raise ServeError(f"No serving set in {run_dir}: start one with `python -m lisdash serve`.") from None
