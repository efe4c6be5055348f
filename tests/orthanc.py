"""Real Orthanc servers for the DICOMweb tests, and a loopback fault proxy in front of one.

``OrthancServer`` starts the Debian ``Orthanc`` binary with the DICOMweb plugin on a
free loopback port: temporary storage, ``RemoteAccessAllowed: false``,
authentication on with a random password, no DICOM server. Seeding and checks use
Orthanc's own REST API (``POST /instances``, ``GET /instances/{id}/file``), never
the code under test.

``FaultProxy`` forwards every request to a server and, by script, answers 503
(``Retry-After``) or drops the connection for the first N requests matching a
method and a path pattern. It logs every request (method, path) it saw.
"""

from __future__ import annotations

import http.client
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from base64 import b64encode
from dataclasses import dataclass, field
from pathlib import Path

ORTHANC = shutil.which("Orthanc") or next((p for p in ("/usr/sbin/Orthanc", "/usr/bin/Orthanc") if os.path.exists(p)), None)
PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"
AVAILABLE = bool(ORTHANC) and os.path.exists(PLUGIN)
USER = "deid"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OrthancServer:
    """One Orthanc process; ``url`` is its DICOMweb root, ``password`` its random password."""

    def __init__(self, name: str = "deid-test") -> None:
        self.port = free_port()
        self.password = secrets.token_hex(12)
        self.dir = Path(tempfile.mkdtemp(prefix="orthanc-"))
        config = {
            "Name": name,
            "StorageDirectory": str(self.dir / "db"),
            "IndexDirectory": str(self.dir / "db"),
            "HttpPort": self.port,
            "RemoteAccessAllowed": False,
            "AuthenticationEnabled": True,
            "RegisteredUsers": {USER: self.password},
            "DicomServerEnabled": False,
            "Plugins": [PLUGIN],
            "DicomWeb": {"Enable": True, "Root": "/dicom-web/", "Host": f"127.0.0.1:{self.port}"},
        }
        (self.dir / "orthanc.json").write_text(json.dumps(config))
        self._log = open(self.dir / "orthanc.log", "wb")
        self._process = subprocess.Popen([ORTHANC, str(self.dir / "orthanc.json")], stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                self.rest("GET", "/system")
                break
            except OSError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self.stop()
                    raise RuntimeError("Orthanc did not start")
                time.sleep(0.05)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/dicom-web"

    def env(self, side: str = "") -> dict[str, str]:
        """The basic-auth variables (``side``: SOURCE_ or DESTINATION_ or '')."""
        return {f"DICOMWEB_{side}USERNAME": USER, f"DICOMWEB_{side}PASSWORD": self.password}

    def rest(self, method: str, path: str, body: bytes | None = None):
        token = b64encode(f"{USER}:{self.password}".encode()).decode()
        request = urllib.request.Request(self.base + path, data=body, method=method, headers={"Authorization": f"Basic {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            data = response.read()
        return json.loads(data) if response.headers.get_content_type() == "application/json" else data

    def upload(self, data: bytes) -> str:
        """Store one instance through the REST API; return Orthanc's id."""
        return self.rest("POST", "/instances", data)["ID"]

    def instances(self) -> dict[str, bytes]:
        """SOP Instance UID -> stored bytes, read back through the REST API."""
        out = {}
        for oid in self.rest("GET", "/instances"):
            tags = self.rest("GET", f"/instances/{oid}/simplified-tags")
            out[tags["SOPInstanceUID"]] = self.rest("GET", f"/instances/{oid}/file")
        return out

    def stop(self) -> None:
        if self._process.poll() is None:
            # Its storage is a temporary folder removed next: no need for a clean shutdown (2+ s).
            os.kill(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Fault:
    method: str
    pattern: str
    action: str  # "503" or "drop"
    times: int
    retry_after: str | None = None
    hits: int = 0


@dataclass
class FaultProxy:
    """A loopback HTTP proxy to ``target`` (base URL) that injects scripted faults."""

    target: str
    faults: list[Fault] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.port = free_port()
        self._lock = threading.Lock()
        proxy = self
        target = self.target.split("://", 1)[1]

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                with proxy._lock:
                    proxy.log.append((self.command, self.path))
                    fault = next(
                        (f for f in proxy.faults if f.method == self.command and re.search(f.pattern, self.path) and f.hits < f.times),
                        None,
                    )
                    if fault is not None:
                        fault.hits += 1
                if fault is not None and fault.action == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fault is not None:
                    self.send_response(503)
                    if fault.retry_after:
                        self.send_header("Retry-After", fault.retry_after)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                conn = http.client.HTTPConnection(target, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                self.send_response(response.status)
                for k, v in response.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length", "keep-alive"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = _handle

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/dicom-web"

    def requests(self, method: str, pattern: str) -> int:
        return sum(1 for m, p in self.log if m == method and re.search(pattern, p))

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
