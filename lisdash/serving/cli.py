"""Command line for serving a crowd: `serve start | restart | status | stop` (see lisdash.serving.supervise)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _serve(args: argparse.Namespace) -> int:
    from lisdash.serving import supervise

    run_dir = Path(args.run_dir).resolve()
    try:
        if args.action == "start":
            hosts = [h.strip() for h in args.app_hosts.split(",") if h.strip()]
            if not hosts:
                raise supervise.ServeError("--app-hosts names no address.")
            supervise.start(supervise.plan(run_dir, args.role, args.workers, hosts, args.listen, args.backend or [],
                                       args.db_port, args.app_port))
        elif args.action == "restart":
            supervise.rolling_restart(run_dir, supervise.running_apps(run_dir))
        else:
            done = supervise.supervisorctl(run_dir, "status" if args.action == "status" else "shutdown")
            print((done.stdout + done.stderr).strip())
            return 0 if args.action == "stop" or done.returncode == 0 else 1
    except ValueError as exc:  # an address or port the command line gave (ServeError: lisdash.cli.main)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("between 1 and 64 app processes")
    return value


def add_commands(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="the app behind HAProxy: N app processes run by supervisord",
                           description="start (default): N app processes, HAProxy in front and a private PostgreSQL "
                                       "unless LISDASH_DB_URL is set; restart: one app process at a time; "
                                       "status; stop.")
    serve.add_argument("action", nargs="?", default="start", choices=["start", "restart", "status", "stop"])
    serve.add_argument("--role", choices=["all", "app", "proxy"], default="all",
                       help="all (one machine); app (app processes only, LISDASH_DB_URL shared); proxy (HAProxy "
                            "only, in front of --backend addresses)")
    serve.add_argument("--workers", type=_workers, default=os.cpu_count() or 1,
                       help="app processes on this machine (default: one per core)")
    serve.add_argument("--app-hosts", default="127.0.0.1",
                       help="addresses the app processes listen on, dealt in turn (default 127.0.0.1)")
    serve.add_argument("--app-port", type=int, default=8601,
                       help="the first app process's port on each address; the next ones count up (default 8601)")
    serve.add_argument("--listen", default="0.0.0.0:8501", help="the proxy's address (default 0.0.0.0:8501)")
    serve.add_argument("--backend", action="append", metavar="HOST:PORT",
                       help="with --role proxy: an app process on another machine (repeat for each)")
    serve.add_argument("--db-port", type=int, default=5499, help="the private PostgreSQL's port (default 5499)")
    serve.add_argument("--run-dir", default="var/serve", help="configuration, logs and the private database")
    serve.set_defaults(func=_serve)
