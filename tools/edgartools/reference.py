#!/usr/bin/env python3
"""Record what edgartools parses from our SEC ownership fixtures (Forms 3/4/5).

For every file in fixtures/edgar/ownership/ (sorted by name) this extracts the
<ownershipDocument> (the text between <XML> and </XML> when present, otherwise
the whole file), parses it with ``edgar.ownership.Ownership.from_xml`` and writes
one JSON object per filing to fixtures/edgar/edgartools/reference.jsonl.

Values are recorded exactly as edgartools returns them (NaN -> null, numpy
scalars -> JSON numbers); nothing is corrected. The only normalisation is CIKs:
edgartools keeps them as the strings in the XML, we zero-pad all-digit ones to
10 characters. Network access is blocked and the per-owner entity lookup is
stubbed; see _common.py and README.md.

Usage: python3 tools/edgartools/reference.py [--out PATH]
"""
import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402  (installs the network guard before edgartools loads)


def jsonable(v):
    """Convert a value from edgartools' objects/DataFrames to plain JSON, unchanged in meaning."""
    if v is None:
        return None
    try:
        import numpy as np
        import pandas as pd
        if v is pd.NA or v is pd.NaT:
            return None
        if isinstance(v, np.bool_):
            return bool(v)
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, np.floating):
            v = float(v)
    except ImportError:
        pass
    if isinstance(v, float):
        return None if math.isnan(v) else v
    if isinstance(v, (bool, int, str)):
        return v
    return str(v)


def cik10(cik):
    if cik is None:
        return None
    s = str(cik).strip()
    return s.zfill(10) if s.isdigit() else s


def rows(data_holder):
    """Rows of an edgartools DataHolder's DataFrame (``.data``), in document order."""
    df = data_holder.data
    if df is None or len(df) == 0:
        return []
    return df.to_dict("records")


def transaction(row):
    return {
        "security_title": jsonable(row.get("Security")),
        "date": jsonable(row.get("Date")),
        "code": jsonable(row.get("Code")),
        "shares": jsonable(row.get("Shares")),
        "price": jsonable(row.get("Price")),
        "acquired_disposed": jsonable(row.get("AcquiredDisposed")),
    }


def owner(o):
    return {
        "cik": cik10(o.cik),
        "name": jsonable(o.name),
        "is_director": jsonable(o.is_director),
        "is_officer": jsonable(o.is_officer),
        "is_ten_percent_owner": jsonable(o.is_ten_pct_owner),
        "is_other": jsonable(o.is_other),
        "officer_title": jsonable(o.officer_title),
        # extras, not in the comparison contract: the raw <rptOwnerName>, and the
        # company/individual decision edgartools made. edgartools stores
        # `entity and entity.data.is_company`; offline the Entity is "not found"
        # and falsy, so the attribute holds that falsy Entity object -- recorded
        # here as its truth value (always false offline, which is why `name` is
        # the reversed form for every owner, companies included).
        "name_unreversed": jsonable(o.name_unreversed),
        "is_company": bool(o.is_company),
    }


def reference_record(path, Ownership, version):
    rec = {
        "file": path.name,
        "edgartools_version": version,
        "issuer": None,
        "owners": [],
        "non_derivative_transactions": [],
        "derivative_transactions": [],
        "error": None,
    }
    try:
        xml = _common.extract_xml(_common.read_text(path))
        own = Ownership.from_xml(xml)
        rec["issuer"] = {
            "cik": cik10(own.issuer.cik),
            "name": jsonable(own.issuer.name),
            "ticker": jsonable(own.issuer.ticker),
        }
        rec["owners"] = [owner(o) for o in own.reporting_owners.owners]
        rec["non_derivative_transactions"] = [transaction(r) for r in rows(own.non_derivative_table.transactions)]
        rec["derivative_transactions"] = [transaction(r) for r in rows(own.derivative_table.transactions)]
    except Exception as e:  # record and keep going
        rec["error"] = f"{type(e).__name__}: {e}"
    return rec


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=_common.OUT_DIR / "reference.jsonl")
    args = ap.parse_args()

    Ownership, version = _common.load_edgartools()
    files = _common.ownership_files()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    n_err = 0
    with args.out.open("w", encoding="utf-8") as fh:
        for path in files:
            rec = reference_record(path, Ownership, version)
            if rec["error"]:
                n_err += 1
                print(f"ERROR {path.name}: {rec['error']}", file=sys.stderr)
            fh.write(json.dumps(rec, ensure_ascii=False, allow_nan=False) + "\n")
    print(f"edgartools {version}: wrote {len(files)} records ({n_err} errors) to {args.out}", file=sys.stderr)
    _common.report_network()


if __name__ == "__main__":
    main()
