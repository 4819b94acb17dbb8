"""Two replicas of one town on one PostgreSQL database, behind the deployment's proxy.

As ``deploy/compose.yaml`` runs them with the second replica switched on: two app
servers under ``/kotor/`` share the members' database (``CREATIVE_MAP_DB`` a
``postgresql://`` URL on the throw-away server of :mod:`tests.postgres`), trust the
proxy's ``X-Forwarded-For`` (``CREATIVE_MAP_TRUSTED_PROXY=1``) and sign Streamlit's
cookies with one secret; Debian's nginx with the deployment's configuration sends each
client to one of them (``ip_hash``, :mod:`tests.proxy`). Checked in Chromium: the map
renders through the proxy, every request of the page reaching the same replica; a
suggestion sent through the proxy is listed by ``submissions list`` (the CLI against
the same database); and the per-client limit counts across replicas: the sender's
suggestions stored through one replica make the other refuse the next one (the page
reaches each replica directly then, bypassing the proxy's choice, with the
``X-Forwarded-For`` the proxy would have sent).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, WebSocket, expect

from mapping.cli import main as cli
from mapping.store import DB_ENV_VAR
from mapping.submissions.clients import TRUSTED_PROXY_ENV
from tests.browser.harness import StreamlitServer, app_run, open_map, wait_idle
from tests.browser.test_members_browser import sent_reference, typed
from tests.conftest import MINI
from tests.postgres import PgServer, binaries
from tests.proxy import NginxProxy, nginx_available

pytestmark = [
    pytest.mark.proxy,
    pytest.mark.skipif(not nginx_available(), reason="Debian's nginx is not installed"),
    pytest.mark.skipif(binaries() is None, reason="Debian's postgresql is not installed"),
]

TOWN = "kotor"
VENUE = "gal-durkovic"
LIMIT = 2  # [members] max_pending_per_client_per_hour of the test's copy of the town
REFUSED = "as many as the map takes from one sender"


@dataclass
class Replicas:
    """Two app servers of one town and the proxy in front of them; ``url`` is the town
    as visitors reach it (what :func:`open_map` needs of a server)."""

    servers: tuple[StreamlitServer, StreamlitServer]
    proxy: NginxProxy
    database: str
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = f"{self.proxy.url}{TOWN}/"

    map_frame = staticmethod(StreamlitServer.map_frame)

    @property
    def folder(self) -> str:
        return str(self.servers[0].data_folder)

    def serving(self, path: str) -> set[str]:
        """The replicas (``host:port``) the proxy sent the requests for ``path`` to."""
        rows = self.proxy.served_by()
        return {upstream for _client, upstream, request in rows if path in request}

    def by_address(self, address: str) -> StreamlitServer:
        return next(s for s in self.servers if f"127.0.0.1:{s.port}" == address)

    def other_than(self, address: str) -> StreamlitServer:
        return next(s for s in self.servers if f"127.0.0.1:{s.port}" != address)

    def listed(self, capsys: pytest.CaptureFixture[str]) -> str:
        """``submissions list`` against the replicas' database."""
        capsys.readouterr()
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(DB_ENV_VAR, self.database)
            code = cli(["submissions", "list", self.folder])
        out = capsys.readouterr()
        assert code == 0, out.out + out.err
        return out.out


@pytest.fixture(scope="module")
def replicas(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: PgServer
) -> Iterator[Replicas]:
    folder = tmp_path_factory.mktemp("replicas") / "data"
    shutil.copytree(MINI, folder)
    with (folder / "city.toml").open("a", encoding="utf-8") as fh:
        fh.write(f"\n[members]\nmax_pending_per_client_per_hour = {LIMIT}\n")
    database = postgres_server.new_database()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, database)
        patch.setenv(TRUSTED_PROXY_ENV, "1")
        patch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", "one-secret-for-every-replica")
        with (
            StreamlitServer(folder, base_path=TOWN) as first,
            StreamlitServer(folder, base_path=TOWN) as second,
            NginxProxy([f"127.0.0.1:{first.port}", f"127.0.0.1:{second.port}"]) as proxy,
        ):
            yield Replicas((first, second), proxy, database)


def send_hours(page: Page, base_url: str, hours: str) -> None:
    """Open the update form of :data:`VENUE` at ``base_url`` and type opening hours."""
    page.goto(base_url + f"members?lang=EN&part=update&venue={VENUE}")
    wait_idle(page)
    typed(page, "Opening hours (OpenStreetMap syntax)", hours)


def test_the_map_renders_through_the_proxy_from_one_replica(watched, replicas):
    page = watched.page
    sockets: list[str] = []

    def on_socket(socket: WebSocket) -> None:
        sockets.append(socket.url)

    page.on("websocket", on_socket)
    frame = open_map(page, replicas, "?lang=EN")  # type: ignore[arg-type]  # a server's url and map_frame
    assert frame.evaluate("() => kcmVenueMap.markerCount()") > 0
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert sockets == [f"ws://127.0.0.1:{replicas.proxy.port}/{TOWN}/_stcore/stream"]
    # sticky: the page, Streamlit's and the app's files all came from one replica
    served = replicas.serving(f"/{TOWN}/")
    assert len(served) == 1, replicas.proxy.served_by()
    assert served <= {f"127.0.0.1:{s.port}" for s in replicas.servers}


def test_a_suggestion_is_listed_and_the_client_limit_holds_across_replicas(
    watched, replicas, capsys
):
    page = watched.page
    # 1. through the proxy: stored, and listed by the CLI against the shared database
    send_hours(page, replicas.url, "Mo-Sa 10:00-18:00")
    first = sent_reference(page)
    listed = replicas.listed(capsys)
    assert f"#{first}" in listed, listed
    assert VENUE in listed
    (address,) = replicas.serving(f"/{TOWN}/members")
    one, other = replicas.by_address(address), replicas.other_than(address)

    # Straight to a replica, bypassing the proxy's choice, the page says what the proxy
    # would have forwarded for this client (Streamlit gives no address for a loopback
    # connection, so without the header the sender would count as another client).
    page.set_extra_http_headers({"X-Forwarded-For": "127.0.0.1"})
    # 2. the same client on the replica the proxy chose, directly: its second, stored
    send_hours(page, one.url, "Mo-Sa 09:00-17:00")
    second = sent_reference(page)
    assert second != first

    # 3. the same client on the other replica, which has stored nothing from it: refused,
    # because the two suggestions the first replica stored count there too
    send_hours(page, other.url, "Mo-Su 08:00-20:00")
    with app_run(page):
        page.get_by_role("button", name="Send suggestion").click()
    expect(page.locator('[data-testid="stAlertContentError"]')).to_contain_text(REFUSED)
    listed = replicas.listed(capsys)
    assert f"#{first}" in listed and f"#{second}" in listed, listed
    assert "Mo-Su 08:00-20:00" not in listed
    assert f"{LIMIT} suggestion(s) (pending)" in listed, listed
