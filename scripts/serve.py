"""Start the app as ``streamlit run`` would, with two fixes for deep links (``/whats-on``).

1. **Legacy ``pages/`` discovery off.** The app lists its pages with ``st.navigation``.
   Streamlit still runs its older ``pages/`` folder discovery for the first session of a
   server process, because a folder named ``pages`` sits next to ``app.py`` (our layout):
   ``PagesManager.__init__`` sets the class attribute ``uses_pages_directory`` from
   ``Path("pages").exists()``. That first session then shows a "Page not found" notice on
   a deep link. No public setting stops it (checked on 1.67:
   ``client.showSidebarNavigation = false`` only hides the legacy menu), so this sets the
   private attribute before the first session (``tests/test_launcher.py`` fails loudly if
   it disappears). Renaming the ``pages/`` package would make it unnecessary.
2. **No 404 probes.** On a deep link the frontend probes ``/whats-on/_stcore/health`` and
   ``…/host-config`` (404s) before it finds the server at ``/`` (streamlit/streamlit#7074).
   The app is served through the public ``st.App`` (Streamlit 1.59+) with
   ``page_base.PageBaseMiddleware``, which tells the frontend the server's base in the
   page's HTML (why this and not an answer on the probed paths: see ``page_base.py``).

Same command line as ``streamlit run``: the script, then config flags (``--server.port
8501`` or ``--server.port=8501``), then ``--`` and the script's own arguments. They are
read by a click command decorated with Streamlit's own ``cli.configurator_options`` (the
decorator ``streamlit run`` uses), so flag types, ``STREAMLIT_*`` variables and the refusal
of secret options are Streamlit's; the options set go to ``App.run(config=…)``, which
reads the config files as usual. ``sys.argv[0]`` is set to the app script first, because
``App.run`` anchors the script-level ``.streamlit/`` folder, ``sys.path`` and relative
paths there, as ``streamlit run app.py`` does. Without ``st.App`` (older
Streamlit) it warns and falls back to plain ``streamlit run``.

The launcher warns on stderr when the installed Streamlit is outside the releases it was
checked on (:data:`TESTED_STREAMLIT`).

Usage: ``python scripts/serve.py app.py [--section.option value ...] [-- script args]``
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Oldest and newest Streamlit (major.minor) on which the deep-link browser tests passed
# with this launcher: the pyproject floor (scripts/test_lowest.sh) and the current release.
# (On 1.59 with Starlette >= 1.5, Streamlit's own gzip middleware answers 500 for PNG and
# WOFF2 files, with or without this launcher; the deep-link probes are gone there too.)
TESTED_STREAMLIT = ("1.59", "1.67")


def _minor(version: str) -> tuple[int, int]:
    """``"1.67.0"`` -> ``(1, 67)``; anything unparsable sorts as ``(0, 0)``."""
    found = re.match(r"(\d+)\.(\d+)", version)
    return (int(found[1]), int(found[2])) if found else (0, 0)


def version_warning(version: str) -> str | None:
    """The warning to print when *version* is outside :data:`TESTED_STREAMLIT`, else None."""
    low, high = TESTED_STREAMLIT
    if _minor(low) <= _minor(version) <= _minor(high):
        return None
    return (
        f"serve.py: Streamlit {version} is outside the releases this launcher was tested "
        f"on ({low} to {high}); it patches the private "
        "PagesManager.uses_pages_directory and relies on the frontend's "
        "window.__streamlit.BACKEND_BASE_URL. If a deep link such as /whats-on shows "
        "'Page not found' on a fresh server or requests /whats-on/_stcore/health, "
        "run tests/test_launcher.py and tests/browser/test_responses_browser.py."
    )


def disable_pages_directory() -> str | None:
    """Turn off the legacy ``pages/`` discovery; a warning if that was not possible."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError as error:
        return f"serve.py: cannot patch Streamlit's page discovery ({error})"
    if not hasattr(PagesManager, "uses_pages_directory"):
        return "serve.py: PagesManager.uses_pages_directory is gone; page discovery left on"
    PagesManager.uses_pages_directory = False
    return None


def config_from_flags(flag_options: dict[str, Any]) -> dict[str, Any]:
    """click's parameter names back to option names, unset ones dropped.

    The same mapping as ``streamlit.web.bootstrap.load_config_options`` applies to the
    flags of ``streamlit run`` (``server_port`` -> ``server.port``).
    """
    return {
        name.replace("_", "."): value
        for name, value in flag_options.items()
        if value is not None and value != ()
    }


def command(serve: Callable[[str, list[str], dict[str, Any]], None]) -> Any:
    """A click command with ``streamlit run``'s arguments, flags and ``STREAMLIT_*``
    variables (Streamlit's own ``configurator_options``); it calls *serve* with the
    script, the script's arguments and the config options set."""
    import click
    from streamlit.web import cli

    @click.command()
    @cli.configurator_options
    @click.argument("target")
    @click.argument("args", nargs=-1)
    def run(target: str, args: tuple[str, ...], **flag_options: Any) -> None:
        serve(target, list(args), config_from_flags(flag_options))

    return run


def warm_up_app(app_folder: Path) -> None:
    """The app's own warm-up (``pages.shared.warm_up``: imports and data loading), run
    before the server listens, so the first visitor after a start waits no longer than
    later ones (the server answers a second or two later instead). A failure there is
    only logged: the first visit then does the same work and reports the problem itself.

    Not in a thread beside the server: the first visitor would then compete with it for
    the interpreter and the import lock, and wait as long as without it.
    """
    try:
        if str(app_folder) not in sys.path:
            sys.path.insert(0, str(app_folder))
        from pages.shared import warm_up

        warm_up()
    except Exception:  # the first visit will meet (and show) the same problem
        logging.getLogger("serve").exception("warm-up failed")


def serve_app(script: str, args: list[str], config: dict[str, Any]) -> None:
    """Serve *script* through ``st.App`` with :class:`page_base.PageBaseMiddleware`,
    :class:`origin_guard.OriginGuard` and :class:`no_referrer.NoReferrer`."""
    import streamlit as st
    from no_referrer import NoReferrer
    from origin_guard import OriginGuard, allowed_hosts
    from page_base import PageBaseMiddleware
    from starlette.middleware import Middleware

    def hosts() -> frozenset[str] | None:
        if not st.get_option("server.enableCORS") or st.get_option("global.developmentMode"):
            return None  # Streamlit accepts every origin then
        return allowed_hosts(
            str(st.get_option("browser.serverAddress") or ""),
            st.get_option("server.corsAllowedOrigins") or [],
        )

    path = str(Path(script).resolve())
    app = st.App(
        path,
        middleware=[
            Middleware(NoReferrer),
            Middleware(OriginGuard, hosts=hosts),
            Middleware(
                PageBaseMiddleware, base_url_path=lambda: st.get_option("server.baseUrlPath")
            ),
        ],
    )
    sys.argv = [path, *args]  # App.run anchors .streamlit/, sys.path and paths here
    warm_up_app(Path(path).parent)
    app.run(config=config)


def main() -> None:
    """Print any warning, patch, then serve the app (blocks until the server stops)."""
    import streamlit as st

    for warning in (version_warning(st.__version__), disable_pages_directory()):
        if warning:
            print(warning, file=sys.stderr)
    if hasattr(st, "App"):
        command(serve_app).main(sys.argv[1:], prog_name="serve.py")
        return
    print(
        f"serve.py: Streamlit {st.__version__} has no st.App; deep links will probe "
        "/<page>/_stcore/ first (404s)",
        file=sys.stderr,
    )
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
