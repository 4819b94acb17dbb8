"""Who sent a suggestion, as far as the hourly limits need to know: one *client key*.

The limits count per client (and per venue), so one script cannot silence every member.
A client is

- the **address the reverse proxy forwards**, when the app is told it runs behind one
  (:data:`TRUSTED_PROXY_ENV` ``CREATIVE_MAP_TRUSTED_PROXY=1``): the right-most entry of
  ``X-Forwarded-For``, the one the proxy itself appended or set (entries to its left
  were sent by the client and prove nothing). Without that setting the header is never
  read (anyone could send one) and the address is the connection's own, which behind a
  proxy on the same host is the loopback: every member would then share one client, so
  a deployment behind a proxy must set the variable;
- an IPv6 address counts by its ``/64`` network (what one household or phone gets), an
  IPv4-mapped IPv6 address as the IPv4 address;
- no address (a local connection, a test) is the one client :data:`LOCAL`.

:func:`client_key` also takes a member's personal link (:mod:`mapping.links`): the For
members page passes the valid token of its ``?key=``, which makes its holder a client of
their own wherever they connect from (a venue's owner behind a shared office address is
not counted with their neighbours, and one link cannot exhaust everyone's limit). The
token is hashed here (SHA-256, as :func:`mapping.links.token_hash` stores it) and never
kept in clear. The ledger stores only a salted hash of the key
(:func:`mapping.submissions.ledger.client_hash`), never an address.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
from collections.abc import Iterable

from mapping.schema import is_yes

TRUSTED_PROXY_ENV = "CREATIVE_MAP_TRUSTED_PROXY"
"""``1`` (or ``true``/``yes``): the app runs behind a reverse proxy that sets
``X-Forwarded-For`` (``deploy/``); anything else: the header is ignored."""
LOCAL = "local"
"""The client of a connection without an address (localhost, the command line, tests)."""
_MAX_ADDRESS = 100  # characters of an unparsable address kept for its key


def behind_proxy() -> bool:
    """Whether ``X-Forwarded-For`` may be trusted (:data:`TRUSTED_PROXY_ENV`)."""
    return is_yes(os.environ.get(TRUSTED_PROXY_ENV))


def client_address(
    remote: str | None, forwarded: Iterable[str] = (), *, trust_proxy: bool | None = None
) -> str:
    """The client's address: with a trusted proxy the right-most ``X-Forwarded-For``
    entry (``forwarded``: every value of the header, in order), else ``remote`` (the
    connection's address); :data:`LOCAL` when there is none."""
    if trust_proxy is None:
        trust_proxy = behind_proxy()
    if trust_proxy:
        entries = [e.strip() for value in forwarded for e in value.split(",") if e.strip()]
        if entries:
            return entries[-1]
    return (remote or "").strip() or LOCAL


def network(address: str) -> str:
    """The unit the limits count: an IPv4 address, an IPv6 ``/64``, or the text itself
    (cut to 100 characters) when it is not an address."""
    text = address.strip()
    try:
        parsed = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return text[:_MAX_ADDRESS] or LOCAL
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def client_key(address: str, link_token: str | None = None) -> str:
    """The key the limits count by: ``link:<sha256 of the token>`` for a personal link
    (its holder is one client wherever they connect from; pass only a token the page
    found valid), else ``ip:<network>``.

    Not stored as such: the ledger keeps a hash of it salted with its database's secret.
    """
    if link_token:
        return "link:" + hashlib.sha256(link_token.encode("utf-8", "replace")).hexdigest()
    return "ip:" + network(address)
