"""Start the app with ``streamlit run``, with Streamlit's legacy ``pages/`` discovery off.

The app lists its pages with ``st.navigation``. Streamlit still runs its older ``pages/``
folder discovery for the first session of a server process, because a folder named
``pages`` sits next to ``app.py`` (our layout): ``PagesManager.__init__`` sets the class
attribute ``uses_pages_directory`` from ``Path("pages").exists()``. That first session then
shows a "Page not found" notice on a deep link such as ``/whats-on``. ``st.navigation``
turns the discovery off once it has run; this launcher turns it off before the first
session.

No public setting does this (checked on 1.67): ``client.showSidebarNavigation = false``
only hides the legacy navigation, the discovery still runs and the notice still shows.
So this touches a private attribute, and says so on stderr when the installed Streamlit
is outside the releases it was checked on (``tests/test_launcher.py`` fails loudly if
the attribute disappears). Renaming the ``pages/`` package would make it unnecessary.

Usage: ``python scripts/serve.py app.py [streamlit run options]``
"""

from __future__ import annotations

import re
import sys

# Oldest and newest Streamlit (major.minor) on which the deep-link browser test passed
# with this launcher: the pyproject floor (scripts/test_lowest.sh) and the current release.
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
    return (f"serve.py: Streamlit {version} is outside the releases this launcher was tested "
            f"on ({low} to {high}); it patches the private "
            "PagesManager.uses_pages_directory. If a deep link such as /whats-on shows "
            "'Page not found' on a fresh server, check that attribute still exists.")


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


def main() -> None:
    """Print any warning, patch, then hand over to ``streamlit run`` (which exits)."""
    import streamlit
    from streamlit.web import cli

    for warning in (version_warning(streamlit.__version__), disable_pages_directory()):
        if warning:
            print(warning, file=sys.stderr)
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
