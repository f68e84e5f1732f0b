"""The serving set's configuration: N app processes behind HAProxy, run by supervisord (deploy/*.in).

Pure functions from a `Plan` to the text of the proxy's and the process manager's configuration files;
`lisdash.serving.supervise` writes them and starts the set.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from string import Template

from lisdash.config import REPO

TEMPLATES = REPO / "deploy"
FIRST_APP_PORT = 8601
STOP_WAIT_SECONDS = 30  # how long supervisord lets an app process finish the views it is recording


@dataclass(frozen=True)
class Backend:
    """One app process: its name and the address it listens on."""

    name: str
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Postgres:
    """A private PostgreSQL cluster the set runs itself (when no LISDASH_DB_URL is given)."""

    binary: Path
    data_dir: Path
    port: int
    user: str | None  # the system account it runs as (PostgreSQL refuses root), or None for the caller


@dataclass(frozen=True)
class Plan:
    """What one machine runs: its app processes, the proxy (if it listens) and the database (if private)."""

    run_dir: Path
    python: str
    db_url: str
    apps: tuple[Backend, ...]
    proxy_listen: str | None = None
    proxy_backends: tuple[Backend, ...] = ()
    postgres: Postgres | None = None
    haproxy: str = "/usr/sbin/haproxy"
    trusted_proxies: tuple[str, ...] = ("127.0.0.0/8",)  # whose X-Forwarded-For the apps believe


def parse_address(text: str, default_port: int) -> tuple[str, int]:
    """'host', 'host:port' or ':port' as (host, port); ValueError names a bad value."""
    host, _, port = text.strip().rpartition(":") if ":" in text else (text.strip(), "", "")
    if not host and not port:
        raise ValueError(f"not an address: {text!r}")
    try:
        number = int(port) if port else default_port
    except ValueError:
        raise ValueError(f"not a port in {text!r}") from None
    if not 0 < number < 65536:
        raise ValueError(f"port out of range in {text!r}")
    return host or "127.0.0.1", number


def local_backends(workers: int, hosts: list[str], first_port: int = FIRST_APP_PORT) -> tuple[Backend, ...]:
    """`workers` app processes, dealt round the given addresses; each address's ports count up from first_port."""
    if workers < 1:
        raise ValueError("at least one app process is needed")
    used: dict[str, int] = {}
    apps = []
    for i in range(workers):
        host = hosts[i % len(hosts)]
        apps.append(Backend(f"web-{i + 1}", host, first_port + used.get(host, 0)))
        used[host] = used.get(host, 0) + 1
    return tuple(apps)


def remote_backends(addresses: list[str]) -> tuple[Backend, ...]:
    """Backends on other machines, from 'host:port' addresses."""
    return tuple(Backend(f"app-{i + 1}", *parse_address(a, FIRST_APP_PORT)) for i, a in enumerate(addresses))


def haproxy_config(listen: str, backends: tuple[Backend, ...]) -> str:
    """HAProxy's configuration: one frontend on `listen`, one server line per backend (sticky by cookie)."""
    servers = "\n".join(f"    server {b.name} {b.address} cookie {b.name}" for b in backends)
    return Template((TEMPLATES / "haproxy.cfg.in").read_text()).substitute(listen=listen, servers=servers,
                                                                         errors=TEMPLATES)


def _escaped(text: str) -> str:
    """A value as supervisord reads it: '%' starts its own expansions, so it is doubled."""
    return text.replace("%", "%%")


def _program(name: str, command: list[str], environment: dict[str, str], run_dir: Path, *, priority: int,
             user: str | None = None, stop_signal: str = "TERM") -> str:
    for value in environment.values():
        if '"' in value or "\n" in value:
            raise ValueError(f"{name}: an environment value may not hold a quote or a line break")
    env = ",".join(f'{k}="{_escaped(v)}"' for k, v in sorted(environment.items()))
    lines = [f"\n[program:{name}]", f"command={_escaped(shlex.join(command))}", f"directory={REPO}",
             f"priority={priority}", "autorestart=true", "startsecs=2", f"stopsignal={stop_signal}",
             f"stopwaitsecs={STOP_WAIT_SECONDS}", "redirect_stderr=true", f"stdout_logfile={run_dir / name}.log",
             "stdout_logfile_maxbytes=50MB", "stdout_logfile_backups=5"]
    if env:
        lines.append(f"environment={env}")
    if user:
        lines.append(f"user={user}")
    return "\n".join(lines) + "\n"


def app_command(python: str, backend: Backend) -> list[str]:
    """The command of one app process: the app on its own address and port, warmed before it listens
    (`lisdash.serving.appserver`)."""
    return [python, "-m", "lisdash.serving.appserver", "--server.address", backend.host,
            "--server.port", str(backend.port)]


def supervisor_config(plan: Plan) -> str:
    """supervisord's configuration: PostgreSQL first (if private), the app processes, then the proxy."""
    programs = []
    if plan.postgres is not None:
        pg = plan.postgres
        programs.append(_program("postgres", [str(pg.binary), "-D", str(pg.data_dir), "-p", str(pg.port),
                                              "-c", "listen_addresses=127.0.0.1", "-k", str(pg.data_dir)],
                                 {}, plan.run_dir, priority=10, user=pg.user, stop_signal="INT"))
    env = {"LISDASH_DB_URL": plan.db_url, "LISDASH_TRUSTED_PROXIES": ",".join(plan.trusted_proxies)}
    for backend in plan.apps:
        programs.append(_program(backend.name, app_command(plan.python, backend), env, plan.run_dir, priority=20))
    if plan.proxy_listen is not None:
        programs.append(_program("proxy", [plan.haproxy, "-W", "-db", "-f", str(plan.run_dir / "haproxy.cfg")], {},
                                 plan.run_dir, priority=30, stop_signal="USR1"))
    return Template((TEMPLATES / "supervisord.conf.in").read_text()).substitute(run=plan.run_dir,
                                                                                   programs="".join(programs))
