"""The deployment's proxy (``deploy/nginx/``) in front of the real app, without a browser.

Debian's nginx runs the deployment's own configuration on a free loopback port
(:mod:`tests.proxy`) in front of the app started as the browser tests start it, under
the path ``/kotor/`` as in ``deploy/compose.yaml``. Checked: the security headers on a
page, on static files, on Streamlit's endpoints and on the proxy's own errors; the
metrics endpoint closed; the websocket upgraded for the page's own origin and refused
for another site; Streamlit's websocket message cap; request bodies capped; the
client's address forwarded, replacing what the client claimed; requests per client
limited. The browser side (page, map, websocket, a suggestion) is
``tests/browser/test_proxy_browser.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.browser.harness import StreamlitServer
from tests.conftest import MINI
from tests.proxy import CONF_DIR, NGINX, ROOT, EchoUpstream, NginxProxy, nginx_available

pytestmark = [
    pytest.mark.proxy,
    pytest.mark.skipif(not nginx_available(), reason="Debian's nginx is not installed"),
]

TOWN = "kotor"
PAGE_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
# The policy's fixed sources; the test town's tile host comes from its city.toml.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'unsafe-inline' 'wasm-unsafe-eval' blob:",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' https://tile.openstreetmap.org",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
MAX_MESSAGE_MB = 8  # .streamlit/config.toml server.maxMessageSize


@pytest.fixture(scope="module")
def proxied() -> Iterator[tuple[StreamlitServer, NginxProxy]]:
    """The app under ``/kotor/`` and nginx in front of it."""
    with (
        StreamlitServer(MINI, base_path=TOWN) as app,
        NginxProxy(f"127.0.0.1:{app.port}") as proxy,
    ):
        yield app, proxy


def fetch(url: str, *, data: bytes | None = None) -> tuple[int, Message, bytes]:
    """Status, headers and body of one request; an HTTP error is an answer too."""
    request = urllib.request.Request(url, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def policy(headers: Message) -> dict[str, str]:
    """The Content-Security-Policy header as directive -> sources."""
    value = headers.get("Content-Security-Policy", "")
    return {
        name: rest.strip()
        for name, _, rest in (part.strip().partition(" ") for part in value.split(";"))
        if name
    }


def assert_secured(headers: Message, *, frame_ancestors: str = "'none'") -> None:
    framed = frame_ancestors != "'none'"
    expected = PAGE_HEADERS | ({"x-frame-options": "SAMEORIGIN"} if framed else {})
    for name, value in expected.items():
        assert headers.get(name) == value, (name, headers.get(name))
    assert policy(headers) == {**POLICY, "frame-ancestors": frame_ancestors} | (
        {"script-src": POLICY["script-src"].replace("'wasm-unsafe-eval'", "'unsafe-eval'")}
        if frame_ancestors == "'self'"
        else {}
    )


def test_every_kind_of_answer_carries_the_security_headers(proxied):
    _app, proxy = proxied
    town = proxy.url + TOWN + "/"
    status, headers, body = fetch(town)
    assert status == 200
    assert b"<head>" in body
    assert_secured(headers)
    script = re.search(rb'src="\./(static/js/index\.[^"]+\.js)"', body)
    assert script, body[:500]
    answers = {
        "deep link": town + "whats-on",
        "Streamlit's script": town + script.group(1).decode(),
        "vendored Leaflet": town + "app/static/vendor/leaflet/leaflet.js",
        "health": town + "_stcore/health",
        "app's 404": town + "no-such-file.js",
        "proxy's 404": town + "_stcore/metrics",
    }
    for name, url in answers.items():
        status, headers, _ = fetch(url)
        assert status in {200, 404}, (name, status)
        assert_secured(headers)
    status, headers, _ = fetch(answers["vendored Leaflet"])
    assert status == 200
    assert headers.get("Content-Type", "").startswith(("text/javascript", "application/javascript"))


def test_only_component_pages_may_be_framed_and_only_by_the_app(proxied):
    _app, proxy = proxied
    status, headers, _ = fetch(
        proxy.url + TOWN + "/component/streamlit_folium.st_folium/index.html"
    )
    # 404 until a session has imported streamlit_folium (which registers the component):
    # the headers depend on the path only. The browser test loads the real page.
    assert status in {200, 404}
    # streamlit-folium's page eval()s the map's layers: the one place 'unsafe-eval' is given
    assert_secured(headers, frame_ancestors="'self'")


def test_metrics_are_closed_at_the_proxy(proxied):
    app, proxy = proxied
    assert fetch(app.url + "_stcore/metrics")[0] == 200  # the app has them …
    for path in (TOWN + "/_stcore/metrics", "_stcore/metrics", TOWN + "/_stcore/metrics?x=1"):
        assert fetch(proxy.url + path)[0] == 404  # … the public does not


def websocket_url(proxy: NginxProxy) -> str:
    return proxy.url.replace("http://", "ws://") + TOWN + "/_stcore/stream"


def test_the_websocket_is_upgraded_for_the_page_and_refused_for_another_site(proxied):
    _app, proxy = proxied
    origin = proxy.url.rstrip("/")
    with connect(websocket_url(proxy), origin=origin, open_timeout=30) as socket:  # type: ignore[arg-type]
        socket.ping().wait(10)
    with pytest.raises(InvalidStatus) as refused:
        connect(websocket_url(proxy), origin="https://elsewhere.example", open_timeout=30)  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403


def answer_to(socket: ClientConnection, size: int) -> None:
    """Send *size* bytes in one message and wait for the app's next message."""
    socket.send(b"\x00" * size)
    socket.recv(timeout=30)


def test_a_websocket_message_over_the_cap_closes_the_connection(proxied):
    _app, proxy = proxied
    origin = proxy.url.rstrip("/")
    cap = MAX_MESSAGE_MB * 1_000_000
    with connect(  # type: ignore[arg-type]
        websocket_url(proxy), origin=origin, open_timeout=30, max_size=None
    ) as socket:
        socket.send(b"\x00" * (cap - 100_000))  # under the cap: read (and ignored)
        socket.ping().wait(10)
    with (
        connect(websocket_url(proxy), origin=origin, open_timeout=30, max_size=None) as socket,  # type: ignore[arg-type]
        pytest.raises(ConnectionClosed),
    ):
        answer_to(socket, cap + 1)  # over it: the app closes the connection (1009)
    assert fetch(proxy.url + TOWN + "/_stcore/health")[0] == 200


def test_an_oversized_request_body_is_refused(proxied):
    _app, proxy = proxied
    status, headers, _ = fetch(proxy.url + TOWN + "/_stcore/upload_file/x/y", data=b"x" * 2_000_000)
    assert status == 413
    assert_secured(headers)


def test_the_client_address_replaces_a_forwarded_for_the_client_sent():
    with EchoUpstream() as upstream, NginxProxy(upstream.address) as proxy:
        request = urllib.request.Request(
            proxy.url + "anything", headers={"X-Forwarded-For": "203.0.113.9"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            seen = json.loads(answer.read())
    assert seen["x-forwarded-for"] == ["127.0.0.1"]
    assert seen["host"] == f"127.0.0.1:{proxy.port}"


def test_requests_per_client_are_limited_but_static_files_are_not():
    with EchoUpstream() as upstream, NginxProxy(upstream.address) as proxy:
        pages = [fetch(proxy.url + f"kotor/page-{n}")[0] for n in range(300)]
        files = [fetch(proxy.url + f"kotor/static/js/chunk-{n}.js")[0] for n in range(300)]
    # a burst of 50 passes (then 10 per second); a flood does not
    assert pages[:40] == [200] * 40
    assert 429 in pages
    # Streamlit's and the components' files are not counted: a first page load is ~120
    assert files == [200] * 300


@pytest.mark.parametrize("replicas", [1, 2])
def test_the_compose_configuration_is_accepted_by_nginx(tmp_path, replicas):
    """``deploy/nginx/nginx.conf`` as compose runs it, checked by ``nginx -t`` with the
    services' names as loopback, a throwaway certificate and the paths in *tmp_path*;
    with two replicas, its commented lines for the second replica switched on."""
    conf_dir = tmp_path / "conf"
    shutil.copytree(CONF_DIR, conf_dir)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(tmp_path / "key.pem"),
         "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    text = (conf_dir / "nginx.conf").read_text(encoding="utf-8")
    for original, replaced in {
        "/etc/letsencrypt/live/kcm/fullchain.pem": str(tmp_path / "cert.pem"),
        "/etc/letsencrypt/live/kcm/privkey.pem": str(tmp_path / "key.pem"),
        "/run/nginx.pid": str(tmp_path / "nginx.pid"),
        "server kotor:8501": "server 127.0.0.1:1",
        "server other:8501": "server 127.0.0.1:2",
        **(
            {"# ip_hash;": "ip_hash;", "# server kotor-2:8501;": "server 127.0.0.3:1;"}
            if replicas == 2
            else {}
        ),
    }.items():
        assert original in text
        text = text.replace(original, replaced)
    if os.geteuid() == 0:
        text = "user root root;\n" + text
    (conf_dir / "nginx.conf").write_text(text, encoding="utf-8")
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf_dir / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_compose_file_and_the_proxy_agree_on_the_second_replica():
    """The commented second replica of ``deploy/compose.yaml`` is the service nginx.conf's
    commented upstream line names, and both replicas name one database and one secret."""
    compose = (ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    nginx = (CONF_DIR / "nginx.conf").read_text(encoding="utf-8")
    assert "# server kotor-2:8501;" in nginx
    assert "# ip_hash;" in nginx
    assert "  # kotor-2:\n" in compose
    assert "  # db:\n" in compose
    database = re.findall(r"# +CREATIVE_MAP_DB: (postgresql://\S+)", compose)
    secret = re.findall(r"# +STREAMLIT_SERVER_COOKIE_SECRET: \$\{(KCM_COOKIE_SECRET)", compose)
    assert len(database) == 2 and len(set(database)) == 1, database
    assert len(secret) == 2, secret


def test_the_app_itself_refuses_another_sites_websocket_without_looking_itself_up(proxied):
    """Without the proxy too (the quick start on a network): ``scripts/origin_guard.py``
    answers 403 before Streamlit, whose refusal would ask checkip.amazonaws.com first."""
    app, _proxy = proxied
    url = app.url.replace("http://", "ws://") + "_stcore/stream"
    for _ in range(3):
        with pytest.raises(InvalidStatus) as refused:
            connect(url, origin="https://elsewhere.example", open_timeout=30)  # type: ignore[arg-type]
        assert refused.value.response.status_code == 403
    with connect(url, origin=app.url.rstrip("/").rsplit("/", 1)[0], open_timeout=30) as socket:  # type: ignore[arg-type]
        socket.ping().wait(10)
    app.log.seek(0)
    assert b"external IP" not in app.log.read()


def test_a_personal_links_token_never_reaches_the_access_log(proxied):
    """The log holds paths without query strings, and Referers without theirs."""
    _app, proxy = proxied
    token = "Tok3n-" + "s" * 37
    url = proxy.url + TOWN + "/members?key=" + token
    status, headers, _ = fetch(url)
    assert status == 200 and headers.get("Referrer-Policy") == "no-referrer"
    request = urllib.request.Request(
        proxy.url + TOWN + "/_stcore/health?key=" + token,
        headers={"Referer": url, "User-Agent": "kcm-test"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
    # the health request's line, with its Referer cut at its query (written after the answer)
    log = proxy.access_log_with(f'"{url.split("?")[0]}" "kcm-test"')
    assert f'"GET /{TOWN}/members HTTP/1.1"' in log
    assert token not in log and "key=" not in log
    served = [request for _client, _upstream, request in proxy.served_by()]
    assert f"GET /{TOWN}/members HTTP/1.1" in served  # the replicas test reads these
