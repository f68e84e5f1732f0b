"""Run a command-line module with every outward network attempt recorded: `python -m lisdash_dev.connectaudit
LOG MODULE ARGS...` appends one line to LOG for each socket connect, send or name lookup (Python's audit
events) whose address is not this machine's loopback."""

from __future__ import annotations

import ipaddress
import runpy
import sys

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def is_local(host: object) -> bool:
    """Whether a host (name or address) is this machine's loopback (or a Unix socket's path)."""
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str) or host.startswith("/") or host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _hook(log_path: str):
    def hook(event: str, args: tuple) -> None:
        host = None
        if event in ("socket.connect", "socket.sendto") and isinstance(args[1], tuple):
            host = args[1][0]
        elif event == "socket.getaddrinfo":
            host = args[0]
        elif event == "socket.gethostbyname":
            host = args[0]
        if host is not None and not is_local(host):
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(f"{event} {host!r}\n")
    return hook


def main() -> None:
    log_path, module, *rest = sys.argv[1:]
    sys.addaudithook(_hook(log_path))
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
