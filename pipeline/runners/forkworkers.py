"""``multi_processing`` workers forked from the launcher, not started as fresh interpreters.

Beam's FnApiRunner starts each ``multi_processing`` worker as a new Python
process (``python -m apache_beam.runners.worker.sdk_worker_main``), which
imports Beam, pydicom and the project again: about 1.5 CPU-seconds per worker,
as much as de-identifying 500 instances (bench ``--case profile``/``peers``).
Here one server process imports all that once; the runner's worker command is
a tiny client (``python -m pipeline.runners.forkworkers SOCKET``, which imports nothing
of Beam) that sends the server the environment the runner prepared (control
and logging addresses, pipeline options, worker id); the server forks a worker
with that environment, which runs Beam's own ``sdk_worker_main.main`` with
everything already imported, and reports its exit status back to the client
(1 when the worker died without one).

Linux/POSIX only (``os.fork``); ``fork_server()`` returns None elsewhere and
the runner keeps Beam's own subprocess workers.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import socket
import sys
import tempfile

_SOCKET_NAME = "workers.sock"
CONNECT_SECONDS = 120.0


def _recv_all(conn: socket.socket) -> bytes:
    chunks = []
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


class ForkServer:
    """A process holding Beam and the job's modules that forks SDK workers on request.

    In a fresh command-line process (``fork_here``: no thread but the main one,
    no gRPC channel opened yet) the server is forked from the launcher itself,
    after the launcher's imports: it costs no import at all. Otherwise it is
    started as a new interpreter that imports once: the launcher may already
    run gRPC threads (an earlier job in the same process, as in the tests), and
    a process forked from it would hang in gRPC.
    """

    def __init__(self, fork_here: bool = False) -> None:
        self.folder = tempfile.mkdtemp(prefix="deid-workers-")  # 0700: only this user connects
        self.path = os.path.join(self.folder, _SOCKET_NAME)
        self._proc = None
        self.forked = fork_here
        if fork_here:
            from apache_beam.runners.worker import sdk_worker_main  # noqa: F401  (what every worker runs)

            listener = _listen(self.path)  # bound before the fork: a client never waits on imports
            sys.stdout.flush()
            sys.stderr.flush()
            # Everything imported so far lives as long as the process: frozen, the workers'
            # garbage collections skip it (and do not touch, hence copy, its memory pages).
            gc.freeze()
            try:
                pid = os.fork()
            except OSError:  # no process to spare now: a fresh interpreter below, which may wait for one
                listener.close()
                os.remove(self.path)
                pid = None
                self.forked = False
            if pid == 0:  # the server: serve, then leave without the launcher's exit handlers
                code = 1
                try:
                    _serve(listener)
                    code = 0
                finally:
                    os._exit(code)
            gc.unfreeze()  # the launcher itself collects as before
            if pid is not None:
                listener.close()
                self.pid = pid
                return
        import subprocess

        # Not waited for: it imports while the launcher reads the config and builds the
        # graph; a worker client waits for the socket to appear.
        self._proc = subprocess.Popen([sys.executable, "-m", "pipeline.runners.forkworkers", "--serve", self.path])
        self.pid = self._proc.pid

    def command(self) -> str:
        """The worker command line for Beam's SubprocessSDKEnvironment."""
        return f"{sys.executable} -m pipeline.runners.forkworkers {self.path}"

    def close(self) -> None:
        """Stop the server; it waits for its workers (they end when their runner closes them)."""
        if self.pid is None:
            return
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(self.path)
                conn.sendall(b"null")
        except OSError:  # not listening yet (or gone): it has no workers to wait for
            os.kill(self.pid, 9)
        if self._proc is not None:
            self._proc.wait()
        else:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
        self.pid = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _server_main(path: str) -> int:
    """The server process: import what workers need, listen, fork workers until told to stop."""
    import pydicom  # noqa: F401  (imported once here, not in every worker)
    from apache_beam.runners.worker import sdk_worker_main  # noqa: F401

    import pipeline.dicom.graph  # noqa: F401  (the job's DoFns and everything they import)

    _serve(_listen(path))
    return 0


def _listen(path: str) -> socket.socket:
    """A listening socket at ``path``, which appears only once it listens (clients wait for the name)."""
    tmp = path + ".new"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(tmp)
    listener.listen(16)
    os.rename(tmp, path)
    return listener


def _serve(listener: socket.socket) -> None:
    """Fork a worker per request; on the stop request wait for every worker, then return.

    Workers are waited for (not left to the kernel), so that their CPU time is
    counted in this process's children and, in turn, in the launcher's.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the launcher, which stops us
    launcher = os.getppid()
    listener.settimeout(1.0)
    workers = set()
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if os.getppid() != launcher:  # the launcher died without stopping us
                break
            continue
        conn.settimeout(None)
        env = json.loads(_recv_all_request(conn) or b"null")
        if env is None:
            conn.close()
            break
        pid = os.fork()
        if pid == 0:
            listener.close()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _work(conn, env)  # never returns
        conn.close()
        workers.add(pid)
        for done in [w for w in workers if os.waitpid(w, os.WNOHANG)[0]]:
            workers.discard(done)
    listener.close()
    for pid in workers:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _recv_all_request(conn: socket.socket) -> bytes:
    """Read one request: a 10-digit length and that many bytes of JSON."""
    head = b""
    while len(head) < 10:
        chunk = conn.recv(10 - len(head))
        if not chunk:
            return head
        head += chunk
    if head == b"null":
        return head
    size = int(head)
    body = b""
    while len(body) < size:
        chunk = conn.recv(min(65536, size - len(body)))
        if not chunk:
            break
        body += chunk
    return body


def _work(conn: socket.socket, env: dict) -> None:
    """In the forked worker: Beam's SDK harness with the runner's environment, then exit."""
    import logging

    code = 1
    try:
        os.environ.clear()
        os.environ.update(env)
        root = logging.getLogger()
        for handler in list(root.handlers):  # the launcher's handlers: logs go to the runner
            root.removeHandler(handler)
        from apache_beam.runners.worker import sdk_worker_main

        sdk_worker_main.main([])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        code = 1
    finally:
        try:
            conn.sendall(str(code).encode())
            conn.close()
        finally:
            os._exit(code)


_SERVER: ForkServer | None = None


def fork_server(fork_here: bool = False) -> ForkServer | None:
    """The process's fork server, started on first use; None where ``os.fork`` is not available.

    One server serves every job this process runs; it stops when the process
    exits, after waiting for its workers (so their CPU time is counted in this
    process's children). ``fork_here``: the caller is a fresh command-line
    process that has started no job yet; the server is forked from it when it
    still runs a single thread.
    """
    global _SERVER
    if not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX"):
        return None
    if _SERVER is None or _SERVER.pid is None:
        import atexit
        import threading


        _SERVER = ForkServer(fork_here=fork_here and threading.active_count() == 1)
        atexit.register(_SERVER.close)
    return _SERVER


def _client(path: str) -> int:
    """The worker command: pass this environment to the server, wait for the worker's status."""
    import time

    body = json.dumps(dict(os.environ)).encode()
    deadline = time.monotonic() + CONNECT_SECONDS
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        while True:  # the server may still be importing
            try:
                conn.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    print(f"forkworkers: no worker server at {path}", file=sys.stderr)
                    return 1
                time.sleep(0.02)
        conn.sendall(b"%010d" % len(body) + body)
        status = _recv_all(conn)
    return int(status) if status.strip().isdigit() else 1


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        sys.exit(_server_main(sys.argv[2]))
    sys.exit(_client(sys.argv[1]))
