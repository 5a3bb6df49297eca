"""Runs libcoveocds fully offline and gates on its JSON result.

libcoveocds reads the standard's schema from --standard-zip, but for record packages jsonref
still fetches standard.open-contracting.org/schema/1__1__5/<name>.json over HTTP. This wrapper
answers those fetches from the same ZIP (any other URL fails loudly), then calls libcoveocds'
own command line and reads the JSON it prints: its exit status is 0 even for invalid data.

Usage: cove.py SCHEMA_ZIP PACKAGE.json RESULT.json
Exit status 1 on any validation error, closed-codelist violation or extension that did not load.
"""

import contextlib
import io
import json
import sys
import zipfile

import jsonref


class ZipResponse:
    def __init__(self, data):
        self._data = data

    def raise_for_status(self):
        pass

    def json(self, **kwargs):
        return json.loads(self._data, **kwargs)


class ZipRequests:
    """Stands in for `requests` inside jsonref: schema files come from the ZIP."""

    def __init__(self, zip_path):
        self._zip = zipfile.ZipFile(zip_path)
        self._names = {n.rsplit("/", 1)[-1]: n for n in self._zip.namelist() if "/schema/" in n}

    def get(self, url, **kwargs):
        if "standard.open-contracting.org" not in url:
            raise RuntimeError(f"refusing to fetch {url} (offline validation)")
        name = url.split("#", 1)[0].rsplit("/", 1)[-1]
        if name not in self._names:
            raise RuntimeError(f"{name} is not in the schema ZIP")
        return ZipResponse(self._zip.read(self._names[name]))


def main():
    zip_path, package, result = sys.argv[1:4]
    jsonref.requests = ZipRequests(zip_path)
    from libcoveocds.__main__ import main as cove

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            cove.main(
                ["-s", "1.1", "--standard-zip", zip_path, package], standalone_mode=False
            )
        except SystemExit as e:
            if e.code:
                raise
    text = out.getvalue()
    with open(result, "w", encoding="utf-8") as f:
        f.write(text)
    data = json.loads(text)

    errors = data.get("validation_errors") or []
    closed = data.get("additional_closed_codelist_values") or {}
    ext = data.get("extensions") or {}
    invalid_ext = ext.get("invalid_extension") or {}
    additional = data.get("additional_fields") or []
    kind = data.get("file_type"), data.get("version_used")
    count = data.get("count")
    print(
        f"{package}: {kind[0]} {kind[1]}, {count} releases; "
        f"{len(errors)} validation errors, {len(closed)} closed-codelist violations, "
        f"{len(ext.get('extensions') or [])} extensions loaded, {len(invalid_ext)} failed, "
        f"{len(additional)} additional fields"
    )
    for e in errors[:20]:
        print(f"  error: {e.get('path')}: {e.get('description')}")
    for path, v in list(closed.items())[:20]:
        print(f"  closed codelist: {path}: {v}")
    for url, why in invalid_ext.items():
        print(f"  extension {url}: {why}")
    for a in additional[:20]:
        print(f"  additional field: {a}")
    sys.exit(1 if errors or closed or invalid_ext or additional else 0)


if __name__ == "__main__":
    main()
