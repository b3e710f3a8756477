#!/usr/bin/env python3
"""The editor's speed on a large site: how long a form takes to open, and how long from a save
until the preview page shows the change (the file written, the watcher's rebuild, the page
served again), as a phone would see it over loopback.

usage: bench/editor.py [N] [RUNS]   (N entries of the ../shared/bench corpus, default 10000)
With EDIT=price, each save changes a homestay's price (which lists show) instead of its text.
With PUBLISH=1, `serve --publish`: also how long from a save until the editor answers that it is
live (the page file under output/site/ then holds the change, checked), p95 over the runs, and
the server's peak resident memory.
Needs a release build (cargo build --release) and python3; prints medians and maxima in ms.
"""
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.environ.get("BENCH_DIR", "/tmp/waymark-bench")
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared", "bench"))
corpus = os.path.join(DIR, f"waymark-{N}")
if not os.path.isdir(corpus):
    subprocess.run(["sh", os.path.join(SHARED, "make_corpus.sh"), str(N), DIR, "vi"], check=True,
                   stdout=subprocess.DEVNULL)
site = tempfile.mkdtemp(prefix="waymark-editor-bench-")
for name in ("content", "site.yaml", "plaques.lock", "themes"):
    src = os.path.join(corpus, name)
    if os.path.isdir(src):
        shutil.copytree(src, os.path.join(site, name))
    elif os.path.exists(src):
        shutil.copy(src, site)

PUBLISH = os.environ.get("PUBLISH") == "1"
server = subprocess.Popen([os.path.join(ROOT, "target/release/waymark"), "serve", "--edit", "--port", "0",
                           "--site", site] + (["--publish"] if PUBLISH else []),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          stdin=subprocess.DEVNULL)
base = pair = None
start = time.time()
for line in server.stdout:
    if "at http://" in line and base is None:
        base = re.search(r"at (http://\S+?)/? ", line + " ").group(1).rstrip("/")
    if "/_edit/pair/" in line:
        pair = line.strip()
    if base and pair:
        break
print(f"{N} entries: serve ready in {time.time() - start:.1f} s")
# The server's output, drained (a full pipe would stop it), kept with times when BENCH_LOG names a file.
LOG = os.environ.get("BENCH_LOG")


def drain():
    out = open(LOG, "w", encoding="utf-8") if LOG else None
    for line in server.stdout:
        if out:
            out.write(f"{time.perf_counter():.3f} {line}")
            out.flush()


import threading
threading.Thread(target=drain, daemon=True).start()
host = base.removeprefix("http://")


def request(method, path, body=None, headers=None):
    c = http.client.HTTPConnection(host, timeout=60)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read().decode("utf-8", "replace")
    return r.status, dict(r.getheaders()), data


token = pair.rsplit("/", 1)[1]
status, h, _ = request("POST", "/_edit/pair", urllib.parse.urlencode({"token": token, "label": "bench"}),
                       {"Content-Type": "application/x-www-form-urlencoded"})
cookie = {k.lower(): v for k, v in h.items()}["set-cookie"].split(";")[0]
auth = {"Cookie": cookie}

_, _, listing = request("GET", "/_edit/", headers=auth)
ids = re.findall(r'href="/_edit/e/([^"]+)"', listing)
# EDIT=price: an owner's new price on homestays (lists show it), instead of a line of text.
PRICE = os.environ.get("EDIT") == "price"
if PRICE:
    ids = [i for i in ids if i.startswith("homestays/")]
ids = ids[:: max(1, len(ids) // RUNS)][:RUNS]


def fields(html):
    form = html[html.index('id="entry"'):]
    form = form[: form.index("</form>")]
    out = []
    for m in re.finditer(r'<input([^>]*)>|<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>|<select[^>]*name="([^"]+)"(.*?)</select>', form, re.S):
        if m.group(1) is not None:
            a = m.group(1)
            name = re.search(r' name="([^"]*)"', a)
            kind = re.search(r' type="([^"]*)"', a)
            if not name or (kind and kind.group(1) in ("file", "submit")):
                continue
            if kind and kind.group(1) == "checkbox":
                if " checked" in a:
                    out.append((name.group(1), "on"))
                continue
            value = re.search(r' value="([^"]*)"', a)
            out.append((name.group(1), unescape(value.group(1) if value else "")))
        elif m.group(2):
            out.append((m.group(2), unescape(m.group(3))))
        else:
            sel = re.search(r'<option value="([^"]*)" selected', m.group(5))
            out.append((m.group(4), sel.group(1) if sel else ""))
    return out


def unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")


def multipart(pairs):
    b = "----waymark-bench"
    parts = [f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in pairs]
    return ("".join(parts) + f"--{b}--\r\n").encode(), f"multipart/form-data; boundary={b}"


if PUBLISH:
    # The first publish (a cold build) ends before the saves begin.
    while not os.path.isfile(os.path.join(site, "output", "site", "index.html")):
        time.sleep(0.2)
    time.sleep(2)


def memory(field):
    with open(f"/proc/{server.pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])


# Resident memory once ready (the start's builds), to tell the start's peak from the saves'.
ready_kib = (memory("VmHWM"), memory("VmRSS"))
opens, saves, lives = [], [], []
for i, entry in enumerate(ids):
    t = time.perf_counter()
    status, _, html = request("GET", f"/_edit/e/{entry}", headers=auth)
    opens.append((time.perf_counter() - t) * 1000)
    assert status == 200, status
    marker = f"Sửa lần {i} {time.time_ns()}"
    pairs = [(k, v) for k, v in fields(html)]
    if PRICE:
        marker = f"{300 + i}.000"
        pairs = [(k, f"{300 + i}000" if k == "f.price_from" else v) for k, v in pairs]
    else:
        pairs = [(k, v + "\n\n" + marker + "\n" if k == "body" else v) for k, v in pairs]
    body, ctype = multipart(pairs)
    t = time.perf_counter()
    if LOG:
        print(f"{t:.3f} POST {entry}", file=sys.stderr)
    status, h, _ = request("POST", f"/_edit/e/{entry}", body, {**auth, "Content-Type": ctype})
    assert status == 303, status
    if PUBLISH:
        lives.append((time.perf_counter() - t) * 1000)
        where = {k.lower(): v for k, v in h.items()}["location"]
        assert "live=yes" in where, where
        with open(os.path.join(site, "output", "site", entry, "index.html"), encoding="utf-8") as f:
            assert marker in f.read(), f"{entry}: live page without the edit"
    while marker not in request("GET", f"/{entry}/")[2]:
        if time.perf_counter() - t > 30:
            raise SystemExit(f"the preview of {entry} did not show the edit")
        time.sleep(0.005)
    saves.append((time.perf_counter() - t) * 1000)

peak_kib, end_kib = memory("VmHWM"), memory("VmRSS")
server.terminate()
shutil.rmtree(site, ignore_errors=True)
result = {
    "entries": N,
    "form_open_ms": {"median": round(statistics.median(opens), 1), "max": round(max(opens), 1)},
    "save_to_preview_ms": {"median": round(statistics.median(saves), 1), "max": round(max(saves), 1)},
    "runs": len(ids),
    "server_peak_rss_mib": round(peak_kib / 1024),
    "server_rss_mib": {"peak_when_ready": round(ready_kib[0] / 1024), "when_ready": round(ready_kib[1] / 1024),
                       "after_saves": round(end_kib / 1024)},
}
if PUBLISH:
    lives.sort()
    result["save_to_live_ms"] = {"median": round(statistics.median(lives), 1),
                                 "p95": round(lives[max(0, int(len(lives) * 0.95 + 0.5) - 1)], 1),
                                 "max": round(max(lives), 1)}
print(json.dumps(result))
