#!/usr/bin/env python3
"""Drives the public pages in headless Chromium through chromedriver (W3C WebDriver over plain
HTTP: the standard library only) and checks, on each page: it renders (status and title), no
console error, no request to another host, Chinese text present; on the list page the chart SVG
and an A4 print to PDF that holds the list on one page; on the call page the notice's objection
and answer.

Usage: browser_check.py BASE_URL CHROMEDRIVER_PORT OUT_DIR
Exit status 1 on any failed check; prints one line per check and a closing 'N passed, N failed'.
"""
import base64
import json
import re
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

BASE, DRIVER_PORT, OUT = sys.argv[1], int(sys.argv[2]), sys.argv[3]
DRIVER = f"http://127.0.0.1:{DRIVER_PORT}"
HOST = urllib.parse.urlparse(BASE).netloc

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1200,1600",
]

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {what}")
    else:
        failed += 1
        print(f"FAIL  {what}")


def call(method, path, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(DRIVER + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"{}").get("value")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: {e.code} {e.read()[:500]!r}") from None


def main():
    profile = tempfile.mkdtemp(prefix="jiebang-chromium-")
    caps = {
        "capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": FLAGS + [f"--user-data-dir={profile}"],
            },
            "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
        }}
    }
    session = call("POST", "/session", caps)["sessionId"]
    s = f"/session/{session}"
    try:
        pages = [
            ("/", ["行业产业大脑揭榜挂帅", "年度批次"]),
            ("/public/2024/list", ["2024 年行业产业大脑建设榜单", "两江新区", "方案完整性", "未入选原因"]),
            ("/public/calls/1", ["已挂帅", "异议及答复", "异议不成立"]),
            ("/public/brains", ["行业产业大脑授牌名录", "CQ-HYDN-2025-001"]),
        ]
        for path, texts in pages:
            # Drain the logs so that each page is judged on its own.
            call("POST", f"{s}/se/log", {"type": "browser"})
            call("POST", f"{s}/se/log", {"type": "performance"})
            call("POST", f"{s}/url", {"url": BASE + path})
            title = call("GET", f"{s}/title")
            check(bool(title) and "404" not in title, f"{path} renders (title {title!r})")
            text = call("POST", f"{s}/execute/sync",
                        {"script": "return document.body.innerText", "args": []})
            for t in texts:
                check(t in text, f"{path} shows {t!r}")
            logs = call("POST", f"{s}/se/log", {"type": "browser"}) or []
            errors = [l["message"] for l in logs if l.get("level") == "SEVERE"]
            check(not errors, f"{path} has no console error {errors[:3]}")
            perf = call("POST", f"{s}/se/log", {"type": "performance"}) or []
            urls = []
            for entry in perf:
                msg = json.loads(entry["message"])["message"]
                if msg.get("method") == "Network.requestWillBeSent":
                    urls.append(msg["params"]["request"]["url"])
            # Network requests only (the browser's own chrome:// pages are not the page's).
            urls = [u for u in urls
                    if urllib.parse.urlparse(u).scheme in ("http", "https", "ws", "wss")]
            foreign = [u for u in urls if urllib.parse.urlparse(u).netloc != HOST]
            check(urls and not foreign,
                  f"{path}: {len(urls)} request(s), none to another host {foreign[:3]}")
            if path == "/public/2024/list":
                svg = call("POST", f"{s}/execute/sync", {"script": (
                    "const s = document.querySelector('figure.chart svg');"
                    "return s ? [s.querySelectorAll('g.bar').length,"
                    " s.getBoundingClientRect().width] : null"), "args": []})
                check(svg is not None and svg[0] >= 5 and svg[1] > 100,
                      f"the list page's chart SVG is drawn (bars, width: {svg})")
                shot = call("GET", f"{s}/screenshot")
                with open(f"{OUT}/list.png", "wb") as f:
                    f.write(base64.b64decode(shot))
                pdf = base64.b64decode(call("POST", f"{s}/print", {
                    "page": {"width": 21.0, "height": 29.7}, "background": True}))
                with open(f"{OUT}/list-a4.pdf", "wb") as f:
                    f.write(pdf)
                n = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
                check(pdf.startswith(b"%PDF") and n >= 1,
                      f"A4 print to PDF: {n} page(s), {len(pdf)} bytes ({OUT}/list-a4.pdf)")
                # The list on one page: in print media, at the A4 content width (210 mm less the
                # stylesheet's 12 mm margins, 96 px per inch), the list table starts and ends
                # within the first page's content height (297 mm less the margins).
                mm = 96 / 25.4
                call("POST", f"{s}/window/rect", {"width": round(186 * mm), "height": 1600})
                call("POST", f"{s}/goog/cdp/execute",
                     {"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}})
                box = call("POST", f"{s}/execute/sync", {"script": (
                    "const t = document.querySelector('table.list').getBoundingClientRect();"
                    "return [t.top + window.scrollY, t.bottom + window.scrollY,"
                    " document.querySelectorAll('table.list tbody tr').length]"), "args": []})
                page_h = 273 * mm
                check(box[2] >= 5 and 0 <= box[0] and box[1] <= page_h,
                      f"the list ({box[2]} items) is on the first A4 page: "
                      f"{box[0]:.0f}-{box[1]:.0f} px of {page_h:.0f}")
                call("POST", f"{s}/goog/cdp/execute",
                     {"cmd": "Emulation.setEmulatedMedia", "params": {"media": ""}})
                call("POST", f"{s}/window/rect", {"width": 1200, "height": 1600})
                # Exact, from the PDF itself: hide everything after the list table in document
                # order and print again with the same A4 settings. One page means the heading
                # and the whole table (five items with names and score parts) are on the
                # first printed page of the full print above.
                rows = call("POST", f"{s}/execute/sync", {"script": (
                    "const t = document.querySelector('table.list');"
                    "if (!t) return 0;"
                    "for (let n = t; n && n !== document.body; n = n.parentElement) {"
                    "  for (let x = n.nextElementSibling; x; x = x.nextElementSibling) {"
                    "    x.style.display = 'none'; } }"
                    "return document.querySelectorAll('table.list tbody tr').length"),
                    "args": []})
                cut = base64.b64decode(call("POST", f"{s}/print", {
                    "page": {"width": 21.0, "height": 29.7}, "background": True}))
                with open(f"{OUT}/list-a4-first.pdf", "wb") as f:
                    f.write(cut)
                k = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", cut))
                check(rows >= 5 and k == 1,
                      f"the PDF's first page holds the list table: {rows} items, the print "
                      f"up to the table's end is {k} page(s) ({OUT}/list-a4-first.pdf)")
    finally:
        call("DELETE", s)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
