"""The serving set (`python -m lisdash serve`) started for a test or a benchmark: N app processes behind
HAProxy on a free port, run by supervisord, stopped (with everything it started) on leaving."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lisdash.config import REPO
from lisdash.serving.supervise import ServeError, wait_healthy
from lisdash_dev.browser import free_port


@dataclass
class ServingSet:
    """A running set: the proxy's address, the run folder and the app processes (name, address)."""

    base: str
    run_dir: Path
    apps: list[tuple[str, str]]
    process: subprocess.Popen
    db_url: str

    def pids(self) -> dict[str, int]:
        """Every running program's process id, by name, from supervisord (one `serve status`)."""
        out = subprocess.run([sys.executable, "-m", "lisdash", "serve", "status", "--run-dir", str(self.run_dir)],
                             capture_output=True, text=True, cwd=REPO, timeout=60).stdout
        return {line.split()[0]: int(line.split("pid ", 1)[1].split(",", 1)[0])
                for line in out.splitlines() if "pid " in line}

    def app_pid(self, name: str) -> int:
        """The process id of one app process."""
        return self.pids()[name]

    def app_pids(self) -> list[int]:
        found = self.pids()
        return [found[name] for name, _ in self.apps]


@contextmanager
def serving_set(workers: int = 2, hosts: tuple[str, ...] = ("127.0.0.1",), env: dict[str, str] | None = None,
                run_dir: Path | None = None, seconds: float = 120) -> Iterator[ServingSet]:
    """Start `serve` (a private PostgreSQL unless env gives LISDASH_DB_URL) and wait until every app process and
    the proxy answer their health checks."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = run_dir or Path(scratch) / "serve"
        Path(scratch).chmod(0o711)  # PostgreSQL's own account reaches its data folder through it
        port, db_port = free_port(), free_port()
        command = [sys.executable, "-m", "lisdash", "serve", "--workers", str(workers), "--app-hosts",
                   ",".join(hosts), "--app-port", str(free_port()), "--listen", f"127.0.0.1:{port}",
                   "--db-port", str(db_port), "--run-dir", str(folder)]
        log = open(Path(scratch) / "serve.log", "w")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **(env or {})}, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + seconds
            while not (folder / "apps.json").exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise ServeError(f"serve did not start: {(Path(scratch) / 'serve.log').read_text()[-2000:]}")
                time.sleep(0.2)
            apps = [(name, f"{host}:{p}") for name, host, p in json.loads((folder / "apps.json").read_text())]
            for _, address in apps:
                wait_healthy(address, seconds)
            wait_healthy(f"127.0.0.1:{port}", seconds)
            time.sleep(2.5)  # the proxy's checks see every app up (two good answers, a second apart)
            db_url = {**os.environ, **(env or {})}.get("LISDASH_DB_URL") or (
                f"postgresql+psycopg://lisdash:{(folder / 'postgres-password').read_text().strip()}"
                f"@127.0.0.1:{db_port}/lisdash")
            yield ServingSet(f"http://127.0.0.1:{port}", folder, apps, process, db_url)
        finally:
            process.send_signal(signal.SIGTERM)  # supervisord stops everything it started
            try:
                process.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(30)
            log.close()


@contextmanager
def haproxy_in_front(addresses: list[str], seconds: float = 60) -> Iterator[str]:
    """HAProxy, configured from deploy/haproxy.cfg.in as `serve` configures it, in front of running servers
    ('host:port' each); yields its base URL."""
    from lisdash.serving import deploy

    port = free_port()
    backends = tuple(deploy.Backend(f"web-{i + 1}", *deploy.parse_address(a, 0)) for i, a in enumerate(addresses))
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "haproxy.cfg"
        config.write_text(deploy.haproxy_config(f"127.0.0.1:{port}", backends))
        process = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            wait_healthy(f"127.0.0.1:{port}", seconds)
            time.sleep(2.5)  # every backend seen up
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(30)


@contextmanager
def app_via_proxy(workers: int) -> Iterator[tuple[str, list[int]]]:
    """The app's serving set with `workers` app processes: the proxy's base URL and the app processes' ids."""
    with serving_set(workers) as running:
        yield running.base, running.app_pids()


@contextmanager
def page_via_proxy(script: Path, workers: int) -> Iterator[tuple[str, list[int]]]:
    """`workers` servers of one page behind the same proxy configuration (a floor for the app's figures)."""
    from contextlib import ExitStack

    from lisdash_dev.browser import serve

    with ExitStack() as stack:
        started = [stack.enter_context(serve(script)) for _ in range(workers)]
        base = stack.enter_context(haproxy_in_front([b.removeprefix("http://") for b, _ in started]))
        yield base, [pid for _, pid in started]
