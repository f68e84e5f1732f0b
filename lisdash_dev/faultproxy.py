"""A database outage on demand: a TCP forwarder on loopback between app processes and PostgreSQL.

`cut()` closes every connection through it and refuses new ones, as a stopped database server does;
`restore()` listens again on the same port. `hold()` keeps what the app sends from reaching the database
until `release()`, as a database that stalls mid-transaction. Tests use it to stop "the database" for the app without
stopping the PostgreSQL the rest of the test suite shares.
"""

from __future__ import annotations

import socket
import threading


class FaultProxy:
    """Forwards 127.0.0.1:`port` to `target`, until cut."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._flowing = threading.Event()
        self._flowing.set()
        self.port = self._listen(0)

    def _listen(self, port: int) -> int:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return listener.getsockname()[1]

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed by cut()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, upstream]
            for source, sink, gate in ((client, upstream, self._flowing), (upstream, client, None)):
                threading.Thread(target=self._pump, args=(source, sink, gate), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket, gate: threading.Event | None) -> None:
        try:
            while data := source.recv(65536):
                if gate is not None:
                    gate.wait()
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        """Refuse new connections and drop every open one."""
        with self._lock:
            if self._listener is not None:
                try:
                    self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
                except OSError:
                    pass
                self._listener.close()
                self._listener = None
            for end in self._open:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()
            self._open.clear()

    def restore(self) -> None:
        """Accept connections again, on the same port."""
        with self._lock:
            if self._listener is None:
                self._listen(self.port)

    def hold(self) -> None:
        """Keep what the app sends from here on, until release()."""
        self._flowing.clear()

    def release(self) -> None:
        """Pass on what was held, and everything after it."""
        self._flowing.set()

    def close(self) -> None:
        self._flowing.set()
        self.cut()
