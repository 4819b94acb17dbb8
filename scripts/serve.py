"""Start the app with ``streamlit run``, with Streamlit's legacy ``pages/`` discovery off.

The app lists its pages with ``st.navigation``. Streamlit 1.67 still runs its older
``pages/`` folder discovery for the first session of a server process, because a folder
named ``pages`` sits next to ``app.py`` (our layout). That first session then shows a
"Page not found" notice on a deep link such as ``/whats-on``. ``st.navigation`` turns
the discovery off once it has run; this launcher turns it off before the first session.

Usage: ``python scripts/serve.py app.py [streamlit run options]``
"""

from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(main())
