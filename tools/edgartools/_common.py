"""Shared helpers for the edgartools reference/bench scripts.

Importing this module *before* edgartools does two things:

1. Blocks all outbound network access for the process (socket connect,
   create_connection and DNS resolution raise ``NetworkBlocked``). Nothing in
   these scripts is supposed to reach the internet; if edgartools ever tries, the
   attempt is counted and fails loudly instead of silently going online.
2. Provides ``load_edgartools()`` which imports edgartools and replaces the one
   network lookup its Form 3/4/5 parser makes: ``ReportingOwners`` builds an
   ``edgar.entity.Entity(cik)`` for every reporting owner and reads
   ``entity.data.is_company`` to decide whether to reverse the owner's name
   ("COOK TIMOTHY D" -> "Timothy D Cook"). ``Entity.data`` calls
   ``edgar.entity.submissions.get_entity_submissions(cik)``, which downloads
   ``data.sec.gov/submissions/CIK##########.json``. We replace that function
   with one returning ``None`` -- exactly what edgartools itself does for a CIK
   the SEC does not know -- so edgartools falls back to its placeholder
   ``EntityData`` ("Entity <cik>", no tickers, no filings), classifies every
   owner as an individual, and therefore reverses every owner name, companies
   included. That is an artefact of running offline; the raw
   ``rptOwnerName`` is kept alongside (``name_unreversed``).
"""
import os
import socket
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OWNERSHIP_DIR = REPO / "fixtures" / "edgar" / "ownership"
OUT_DIR = REPO / "fixtures" / "edgar" / "edgartools"

# edgartools refuses some requests without an identity; set a harmless one so
# nothing prompts. (No request is ever made: see the socket guard below.)
os.environ.setdefault("EDGAR_IDENTITY", "marketdesk reference offline@example.invalid")

NETWORK_ATTEMPTS = []
ENTITY_LOOKUPS = []


class NetworkBlocked(OSError):
    pass


def _blocked(what):
    def _raise(*args, **kwargs):
        NETWORK_ATTEMPTS.append((what, repr(args[:2])))
        raise NetworkBlocked(f"network access blocked in marketdesk edgartools reference ({what} {args[:2]!r})")
    return _raise


def _allowed_local(address):
    # AF_UNIX sockets (str/bytes path) are not network access.
    return isinstance(address, (str, bytes))


_orig_connect = socket.socket.connect
_orig_connect_ex = socket.socket.connect_ex


def _guard_connect(self, address):
    if _allowed_local(address):
        return _orig_connect(self, address)
    return _blocked("socket.connect")(address)


def _guard_connect_ex(self, address):
    if _allowed_local(address):
        return _orig_connect_ex(self, address)
    return _blocked("socket.connect_ex")(address)


socket.socket.connect = _guard_connect
socket.socket.connect_ex = _guard_connect_ex
socket.create_connection = _blocked("socket.create_connection")
socket.getaddrinfo = _blocked("socket.getaddrinfo")
socket.gethostbyname = _blocked("socket.gethostbyname")


def _offline_get_entity_submissions(cik):
    ENTITY_LOOKUPS.append(cik)
    return None  # == edgartools' own "CIK not found on EDGAR" result


def load_edgartools():
    """Import edgartools with the owner-entity lookup stubbed. Returns (Ownership, version)."""
    import edgar  # noqa: F401
    import edgar.entity.submissions as submissions
    from edgar.__about__ import __version__
    from edgar.ownership import Ownership

    submissions.get_entity_submissions = _offline_get_entity_submissions
    # belt and braces: the download function too, in case a code path calls it directly
    submissions.download_entity_submissions_from_sec = lambda cik: _offline_get_entity_submissions(cik)
    return Ownership, __version__


def extract_xml(text: str) -> str:
    """Text between <XML> and </XML> (leading whitespace stripped), else the whole file."""
    start = text.find("<XML>")
    if start != -1:
        end = text.find("</XML>", start)
        if end != -1:
            return text[start + len("<XML>"):end].lstrip()
    return text


def ownership_files():
    return sorted(p for p in OWNERSHIP_DIR.iterdir() if p.is_file())


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def report_network(stream=sys.stderr):
    print(f"entity lookups stubbed: {len(ENTITY_LOOKUPS)}; blocked network attempts: {len(NETWORK_ATTEMPTS)}",
          file=stream)
    for what, args in NETWORK_ATTEMPTS[:10]:
        print(f"  blocked {what} {args}", file=stream)
