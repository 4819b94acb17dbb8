"""The For members page's "Cluster overview" part: the coordinator's to-do list.

Layout only: the table is :func:`mapping.members.overview`, the counts
:func:`mapping.usage.totals`, the download :func:`mapping.files.csv_frame_bytes` (the one
CSV writer).
"""

from __future__ import annotations

import sqlite3

import pandas as pd
import streamlit as st

from mapping import files, i18n, members, submissions, usage
from mapping.schema import CLUSTER_STATUSES
from mapping.text import slug
from pages._members_common import MembersRun
from pages.shared import tr


def overview_part(run: MembersRun, *, show_usage: bool = False) -> None:
    """Every member's and prospective member's completeness (and usage, when
    ``show_usage``: the coordinator's console; the counts are not public): the
    coordinator's to-do list, weakest first, sortable, as CSV."""
    st.subheader(tr("mpage.overview"))
    st.caption(tr("mpage.overview_help"))
    volume_notice(run)
    counts = usage.totals(run.db_path) if show_usage else None
    table = members.overview(run.data, counts, run.today, run.lang)
    status = {s: tr(f"mpage.status_{s}") for s in CLUSTER_STATUSES}
    usage_columns = (
        {tr("mpage.col_shown_count"): table["impressions"], tr("mpage.col_opens"): table["opens"]}
        if show_usage
        else {}
    )
    shown = pd.DataFrame(
        {
            tr("mpage.col_name"): table["name"],
            tr("mpage.col_status"): table["status"].map(status).fillna(table["status"]),
            tr("mpage.col_category"): table["category"],
            tr("mpage.col_score"): table["score"],
            **usage_columns,
            tr("mpage.col_missing"): table["missing"],
            "id": table["id"],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        key="overview",
        width="stretch",
        column_config={
            tr("mpage.col_score"): st.column_config.ProgressColumn(
                min_value=0, max_value=100, format="%d"
            )
        },
    )
    st.download_button(
        tr("mpage.download_csv"),
        files.csv_frame_bytes(shown),
        file_name=f"{slug(run.city.name)}-members.csv",
        mime="text/csv",
        key="overview-csv",
    )


def volume_notice(run: MembersRun) -> None:
    """The coordinator's alarm: hours of the last week with an unusual number of
    suggestions (``[members] unusual_per_hour``; nobody was refused for them)."""
    try:
        bursts = submissions.unusual(run.data.folder, db=run.db_path)
    except (sqlite3.Error, OSError):
        return
    for burst in bursts:
        st.warning(
            i18n.plural(
                "mpage.unusual_volume",
                run.lang,
                burst.count,
                first=f"{burst.first:%Y-%m-%d %H:%M}",
                last=f"{burst.last:%Y-%m-%d %H:%M}",
            ),
            icon=":material/warning:",
        )
