"""The launcher ``scripts/serve.py``, its middleware ``scripts/page_base.py``, and the
Streamlit names they rely on.

The launcher turns off Streamlit's legacy ``pages/`` discovery through the private
``PagesManager.uses_pages_directory`` (no public setting does it), and serves the app
through the public ``st.App`` with a middleware that tells the frontend the server's base
on a deep link (no ``/whats-on/_stcore/health`` 404s; the browser side is
``tests/browser/test_responses_browser.py``). These tests fail loudly when a Streamlit
upgrade removes or renames what they use, instead of deep links quietly breaking again.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import pytest
import streamlit

SERVE = Path(__file__).resolve().parents[1] / "scripts" / "serve.py"
MOVED = (
    "Streamlit {version}: {what}. scripts/serve.py relies on it to stop the legacy "
    "pages/ discovery (deep links such as /whats-on show 'Page not found' on a fresh "
    "server). Find the new way in streamlit/runtime/pages_manager.py, update the "
    "launcher and TESTED_STREAMLIT, or rename the pages/ package."
)


def _load_launcher() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kcm_serve", SERVE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def launcher() -> ModuleType:
    return _load_launcher()


@pytest.fixture
def pages_manager():
    """Streamlit's PagesManager, with its class attribute restored after the test."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError as error:
        pytest.fail(
            MOVED.format(
                version=streamlit.__version__,
                what=f"streamlit.runtime.pages_manager.PagesManager cannot be imported ({error})",
            )
        )
    had = "uses_pages_directory" in vars(PagesManager)
    saved = vars(PagesManager).get("uses_pages_directory")
    yield PagesManager
    if had:
        PagesManager.uses_pages_directory = saved


def test_launcher_imports_without_starting_streamlit(launcher):
    assert callable(launcher.main)
    low, high = launcher.TESTED_STREAMLIT
    assert launcher._minor(low) <= launcher._minor(high)


def test_pages_manager_still_has_uses_pages_directory(pages_manager):
    assert "uses_pages_directory" in vars(pages_manager), MOVED.format(
        version=streamlit.__version__,
        what="PagesManager has no class attribute uses_pages_directory any more",
    )


def test_launcher_turns_the_discovery_off(launcher, pages_manager):
    pages_manager.uses_pages_directory = None
    assert launcher.disable_pages_directory() is None
    assert pages_manager.uses_pages_directory is False


def test_the_patch_survives_a_new_session(launcher, pages_manager, tmp_path):
    """A PagesManager made next to a ``pages/`` folder must not switch discovery back on."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "app.py").write_text("")
    launcher.disable_pages_directory()
    pages_manager(str(tmp_path / "app.py"))
    assert pages_manager.uses_pages_directory is False, MOVED.format(
        version=streamlit.__version__,
        what="PagesManager() switched the pages/ discovery back on after the patch",
    )


@pytest.mark.parametrize(
    ("version", "warns"),
    [
        ("1.59.0", False),
        ("1.67.0", False),
        ("1.67.2", False),
        ("1.58.0", True),
        ("1.68.0", True),
        ("2.0.0", True),
        ("nightly", True),
    ],
)
def test_version_warning_outside_the_tested_range(launcher, monkeypatch, version, warns):
    monkeypatch.setattr(launcher, "TESTED_STREAMLIT", ("1.59", "1.67"))
    warning = launcher.version_warning(version)
    assert (warning is not None) == warns
    if warns:
        assert version in warning and "1.59 to 1.67" in warning


def test_installed_streamlit_is_in_the_tested_range(launcher):
    """The suite checks the launcher's private patch on the Streamlit it runs with: a
    release outside ``TESTED_STREAMLIT`` fails here, so the range is widened only after
    the suite (browser tests included) has passed on it, never silently."""
    warning = launcher.version_warning(streamlit.__version__)
    assert warning is None, (
        f"{warning}\nIf the whole suite, browser tests included, passes on Streamlit "
        f"{streamlit.__version__}, widen TESTED_STREAMLIT in scripts/serve.py to include it."
    )


# --- The deep-link fix: st.App with page_base.PageBaseMiddleware (issue 9) ---

PAGE_BASE = SERVE.parent / "page_base.py"
HTML = b"<!DOCTYPE html><html><head><title>t</title></head><body></body></html>"


@pytest.fixture
def page_base() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kcm_page_base", PAGE_BASE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_streamlit_still_has_app_with_middleware_and_run_config():
    """The launcher serves through the public st.App(middleware=…).run(config=…)."""
    assert hasattr(streamlit, "App"), MOVED.format(
        version=streamlit.__version__, what="st.App is gone"
    )
    assert "middleware" in inspect.signature(streamlit.App).parameters
    assert "config" in inspect.signature(streamlit.App.run).parameters


def test_the_command_reads_flags_like_streamlit_run(launcher, monkeypatch):
    monkeypatch.setenv("STREAMLIT_SERVER_ADDRESS", "127.0.0.9")
    calls = []
    launcher.command(lambda *call: calls.append(call)).main(
        ["app.py", "--server.port", "8600", "--server.headless=true", "--", "--mine", "x"],
        standalone_mode=False,
    )
    [(script, args, config)] = calls
    assert (script, args) == ("app.py", ["--mine", "x"])
    assert config["server.port"] == 8600 and config["server.headless"] is True
    assert config["server.address"] == "127.0.0.9"  # STREAMLIT_* variables, as in the CLI


@pytest.mark.parametrize(
    ("path", "base", "depth"),
    [
        ("/whats-on", "", 1),
        ("/explore", "/", 1),
        ("/a/b", "", 2),
        ("/", "", 0),
        ("", "", 0),
        ("/_stcore/health", "", 0),
        ("/static/js/index.js", "", 0),
        ("/app/static/x.css", "", 0),
        ("/media/x.png", "", 0),
        ("/component/x/index.html", "", 0),
        ("/kcm/whats-on", "kcm", 1),
        ("/kcm/whats-on", "/kcm/", 1),
        ("/kcm", "kcm", 0),
        ("/other/whats-on", "kcm", 0),
    ],
)
def test_page_depth(page_base, path, base, depth):
    assert page_base.page_depth(path, base) == depth


def test_base_script_goes_up_to_the_app_root(page_base):
    assert b'new URL("./",location.href)' in page_base.base_script(1)
    assert b'new URL("../",location.href)' in page_base.base_script(2)
    assert b"BACKEND_BASE_URL" in page_base.base_script(1)
    assert page_base.inject(b"<p>no head</p>", b"<script></script>") == b"<p>no head</p>"


def _serve(
    middleware_cls, path, *, content_type=b"text/html; charset=utf-8", encoding=None, base=""
):
    """One GET through the middleware around a fake app; (request headers seen, messages)."""
    seen: dict[bytes, bytes] = {}
    sent: list[dict] = []

    async def app(scope, receive, send):
        seen.update(scope["headers"])
        headers = [
            (b"content-type", content_type),
            (b"content-length", b"%d" % len(HTML)),
            (b"etag", b'"abc"'),
        ]
        if encoding:
            headers.append((b"content-encoding", encoding))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": HTML[:20], "more_body": True})
        await send({"type": "http.response.body", "body": HTML[20:]})

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "headers": [(b"accept-encoding", b"gzip"), (b"if-none-match", b'"abc"')],
    }
    call = middleware_cls(app, base_url_path=lambda: base)(scope, receive, send)
    with ThreadPoolExecutor(1) as pool:  # its own loop: Playwright's may run in this thread
        pool.submit(asyncio.run, call).result()
    return seen, sent


def _body(sent):
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_middleware_tells_a_deep_link_the_base(page_base):
    seen, sent = _serve(page_base.PageBaseMiddleware, "/whats-on")
    assert b"accept-encoding" not in seen and b"if-none-match" not in seen
    body = _body(sent)
    assert body.startswith(b"<!DOCTYPE html><html><head><script>window.__streamlit=")
    assert body.endswith(HTML[len(b"<!DOCTYPE html><html><head>") :])
    headers = dict(sent[0]["headers"])
    assert headers[b"content-length"] == b"%d" % len(body)
    assert b"etag" not in headers


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/", {}),
        ("/static/js/index.js", {}),
        ("/kcm", {"base": "kcm"}),
        ("/whats-on", {"encoding": b"gzip"}),
        ("/whats-on", {"content_type": b"image/png"}),
    ],
)
def test_middleware_leaves_everything_else_alone(page_base, path, kwargs):
    _, sent = _serve(page_base.PageBaseMiddleware, path, **kwargs)
    assert _body(sent) == HTML
    assert (b"etag", b'"abc"') in sent[0]["headers"]


def test_the_warm_up_loads_the_data_and_declares_no_component(tmp_path):
    """In a fresh process, as the launcher's thread does before any script run: the
    dataset is cached afterwards, and no module that declares a Streamlit component was
    imported (``declare_component`` only registers inside a script run, so such a module
    imported here would leave its frontend unserved: the map iframe never shows)."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from pages import shared\n"
        "from mapping.settings import data_dir\n"
        "shared.warm_up()\n"
        "assert shared._last_valid().get(str(data_dir())) is not None, 'no dataset cached'\n"
        "declaring = [m for m in ('streamlit_folium', 'mapping.components.near_list',\n"
        "             'mapping.components.locate') if m in sys.modules]\n"
        "print('declaring:', declaring)\n"
    )
    root = SERVE.parents[1]
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "declaring: []" in done.stdout
