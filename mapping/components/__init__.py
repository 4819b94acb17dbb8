"""The Explore page's own Streamlit custom components (``st.components.v2``).

Each component is a Python module with its JavaScript (and CSS) beside it:

- :mod:`mapping.components.near_list` — the nearest-first list, in step with the map;
- :mod:`mapping.components.locate` — "Near me", the browser's location as a start point.

They are the one place in ``mapping`` that talks to Streamlit, and they import it only
when a page mounts them, so importing ``mapping`` (the CLI, the tests of the library)
never loads Streamlit (``tests/test_boundary.py``).
"""
