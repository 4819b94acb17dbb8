"""Debian's nginx in front of the app, as ``deploy/`` runs it, on a free loopback port.

The proxy's configuration is the deployment's own: a small ``nginx.conf`` written into
a temporary folder (pid file, logs and nginx's temp folders there, one upstream for the
app under test — or for its replicas, sticky by the client's address with ``ip_hash``
as in ``deploy/nginx/nginx.conf`` — the tile host for the CSP) includes
``deploy/nginx/http.conf`` and
``deploy/nginx/app.conf``, linked beside it so that their relative ``include`` lines
resolve as they do in the compose deployment. nginx runs in the foreground as the
current user (``daemon off``); the context manager stops it however the test ends.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[1]
NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")
CONF_DIR = ROOT / "deploy" / "nginx"
SHARED = ("http.conf", "app.conf", "proxy_headers.conf")
TILES = "https://tile.openstreetmap.org"


def nginx_available() -> bool:
    """Whether Debian's nginx is installed (``scripts/test.sh`` installs it)."""
    return Path(NGINX).is_file() and os.access(NGINX, os.X_OK)


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def upstream_block(servers: Sequence[str]) -> str:
    """``upstream kcm_town``: one server, or replicas picked by the client's address
    (``ip_hash``, the choice ``deploy/nginx/nginx.conf`` documents: a Streamlit session
    lives in one process, so a visitor's page and websocket must reach the same one)."""
    sticky = ["ip_hash;"] if len(servers) > 1 else []
    lines = [*sticky, *(f"server {address};" for address in servers)]
    return "upstream kcm_town { " + " ".join(lines) + " }"


def main_conf(folder: Path, port: int, upstream: str | Sequence[str], tiles: str = TILES) -> str:
    """The test's ``nginx.conf``: everything in *folder*, the deployment's includes.
    The access log is the deployment's (``kcm_private``: no query strings), which names
    the replica that served each request (``$upstream_addr``)."""
    servers = [upstream] if isinstance(upstream, str) else list(upstream)
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers as the current user
    temp = "\n".join(f"    {name}_temp_path {folder / name};" for name in ("client_body", "proxy"))
    return f"""{user}worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
{temp}
    fastcgi_temp_path {folder / "fastcgi"};
    uwsgi_temp_path {folder / "uwsgi"};
    scgi_temp_path {folder / "scgi"};
    include http.conf;
    access_log {folder / "access.log"} kcm_private;
    {upstream_block(servers)}
    map $uri $kcm_app {{ default kcm_town; }}
    map $kcm_app $kcm_tiles {{ default "{tiles}"; }}
    server {{
        listen 127.0.0.1:{port};
        include app.conf;
    }}
}}
"""


class NginxProxy:
    """nginx on ``127.0.0.1:<free port>`` forwarding to *upstream* (``host:port``, or
    several: replicas behind ``ip_hash``)."""

    def __init__(
        self,
        upstream: str | Sequence[str],
        startup_timeout_s: float = 20,
        *,
        conf_dir: Path = CONF_DIR,
    ) -> None:
        self.upstream = upstream
        self.conf_dir = conf_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.startup_timeout_s = startup_timeout_s
        self.folder = Path(tempfile.mkdtemp(prefix="kcm-nginx-"))
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> NginxProxy:
        for name in SHARED:
            (self.folder / name).symlink_to(self.conf_dir / name)
        conf = self.folder / "nginx.conf"
        conf.write_text(main_conf(self.folder, self.port, self.upstream), encoding="utf-8")
        command = [NGINX, "-p", str(self.folder), "-c", str(conf), "-g", "daemon off;"]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
        if checked.returncode != 0:
            shutil.rmtree(self.folder, ignore_errors=True)
            msg = f"nginx refused the configuration: {checked.stderr}"
            raise RuntimeError(msg)
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                msg = f"nginx exited with {self.process.returncode}: {self.error_log()}"
                self.__exit__(None, None, None)
                raise RuntimeError(msg)
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)  # polling the port nginx is binding, bounded by the deadline
        self.__exit__(None, None, None)
        msg = f"nginx did not listen within {self.startup_timeout_s} s"
        raise RuntimeError(msg)

    def served_by(self) -> list[tuple[str, str, str]]:
        """(client address, upstream address, request line without its query) of each
        request logged so far (nginx writes its access log line when a request ends; a
        websocket's when it closes)."""
        rows = []
        for line in self.access_log().splitlines():
            client, upstream, _status, rest = line.split(" ", 3)
            rows.append((client, upstream, rest.split('"')[1]))
        return rows

    def access_log(self) -> str:
        """nginx's access log so far, as written."""
        log = self.folder / "access.log"
        return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""

    def access_log_with(self, text: str, timeout_s: float = 10) -> str:
        """The access log once it holds ``text``: nginx writes a request's line in its
        log phase, after the response has reached the client, so a client that has its
        answer may read the log a moment before the line is there. Bounded."""
        deadline = time.monotonic() + timeout_s
        while text not in (log := self.access_log()):
            if time.monotonic() > deadline:
                msg = f"{text!r} not in nginx's access log within {timeout_s} s:\n{log}"
                raise AssertionError(msg)
            time.sleep(0.02)  # polling a file nginx appends to, bounded by the deadline
        return log

    def error_log(self) -> str:
        """nginx's error log so far (for failure messages)."""
        log = self.folder / "error.log"
        return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


class EchoUpstream:
    """A stand-in app on a free loopback port that answers every request with the
    ``X-Forwarded-For`` and ``Host`` headers it received (what the proxy tells the app)."""

    def __init__(self) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> EchoUpstream:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


class _Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(
            {
                "x-forwarded-for": self.headers.get_all("X-Forwarded-For") or [],
                "host": self.headers.get("Host"),
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # the stdlib's name
        """Quiet: the test reads the answers, not a log."""
