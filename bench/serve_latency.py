#!/usr/bin/env python3
"""Edit-to-reload latency of `gongshi serve`.

    serve_latency.py --gongshi target/release/gongshi --root /dev/shm/…/site [--edits 20] [--atomic]

Starts `gongshi serve --root ROOT --port 0`, opens the live-reload event
stream (/__gongshi/events), then, EDITS times, saves one page's Markdown with
a new title and a unique marker appended (t0 is taken just before the
write), waits for `event: reload`, GETs the page and checks the marker is in
it, and GETs the page's section listing and checks the new title is there
(a stale page or listing is counted, and waited out, never accepted).
Edited pages are ones listed on the first page of their section, spread over
the sections. Prints each edit, then the median and worst of write → event
and write → served page. Every edited file is restored at the end.

--atomic saves as many editors do (write a temporary file, rename it over
the page) instead of rewriting the file in place.
Python 3 standard library only.
"""

import argparse
import os
import queue
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

PLAIN_SECTIONS = [
    "gongzuo-dongtai", "zhengce-jiedu", "zhaoshang-yinzi", "xiangmu-jianshe", "yingshang-huanjing",
    "keji-chuangxin", "anquan-shengchan", "shengtai-huanbao", "minsheng-fuwu", "dangjian-yinling",
]


def get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode("utf-8")


class Events(threading.Thread):
    """Reads the SSE stream; puts (perf_counter, generation) for every reload."""

    def __init__(self, host, port):
        super().__init__(daemon=True)
        self.q = queue.Queue()
        self.sock = socket.create_connection((host, port))
        self.sock.sendall(f"GET /__gongshi/events HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")

    def run(self):
        pending = False
        for raw in self.file:
            now = time.perf_counter()
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if line == "event: reload":
                pending = now
            elif line.startswith("data:") and pending:
                self.q.put((pending, int(line[5:].strip() or 0)))
                pending = False

    def drain(self, quiet):
        """Discards events until none has come for `quiet` seconds."""
        n = 0
        while True:
            try:
                self.q.get(timeout=quiet)
                n += 1
            except queue.Empty:
                return n


class Stderr(threading.Thread):
    """Collects serve's console; keeps `rebuilt in N ms` figures."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream, self.rebuilds, self.lines = stream, [], []

    def run(self):
        for raw in self.stream:
            line = raw.decode("utf-8", "replace").rstrip()
            self.lines.append(line)
            m = re.search(r"(?:re)?built in (\d+) ms", line)
            if m:
                self.rebuilds.append(int(m.group(1)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gongshi", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--atomic", action="store_true", help="save via a temporary file and rename")
    ap.add_argument("--settle", type=float, default=1.0, help="quiet seconds between edits (default 1)")
    a = ap.parse_args()

    env = dict(os.environ, LANG="C", LC_ALL="C")
    t_start = time.perf_counter()
    proc = subprocess.Popen([a.gongshi, "serve", "--root", a.root, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    err = Stderr(proc.stderr)
    err.start()
    originals = {}
    try:
        line = proc.stdout.readline().decode()
        m = re.search(r"http://([\d.]+):(\d+)/", line)
        if not m:
            time.sleep(0.5)
            sys.exit(f"no URL from gongshi serve: {line!r}\n" + "\n".join(err.lines[-20:]))
        host, port = m.group(1), int(m.group(2))
        base = f"http://{host}:{port}"
        print(f"serving {base}/ after {time.perf_counter() - t_start:.2f} s (first build {err.rebuilds[:1]} ms)")
        events = Events(host, port)
        events.start()
        time.sleep(0.3)

        # Pages on the first listing page of each section, round robin over the sections.
        listed = {}
        for s in PLAIN_SECTIONS:
            try:
                html = get(f"{base}/{s}/")
            except Exception:
                continue
            listed[s] = list(dict.fromkeys(re.findall(rf'href="/{s}/(page-\d+)/"', html)))
        targets = []
        for k in range(max((len(v) for v in listed.values()), default=0)):
            for s, pages in listed.items():
                if k < len(pages):
                    targets.append((s, pages[k]))
        if len(targets) < a.edits:
            sys.exit(f"found only {len(targets)} pages to edit in {a.root}")
        targets = targets[: a.edits]

        results = []
        for i, (sec, slug) in enumerate(targets, 1):
            path = os.path.join(a.root, "content", sec, slug + ".md")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            originals.setdefault(path, text)
            marker = f"基准标记{i:02d}x{os.getpid()}"
            new_title = f"已修改标题{i:02d}x{os.getpid()}"
            edited = re.sub(r"^title: .*$", f"title: {new_title}", originals[path], count=1, flags=re.M) + f"\n{marker}\n"
            events.drain(a.settle)
            t0 = time.perf_counter()
            if a.atomic:
                tmp = os.path.join(os.path.dirname(path), f".{slug}.md.tmp{os.getpid()}")
                with open(tmp, "w", encoding="utf-8") as f:
                    f.write(edited)
                os.replace(tmp, path)
            else:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(edited)
            stale = 0
            t_event = t_served = None
            while True:
                try:
                    t_ev, gen = events.q.get(timeout=60)
                except queue.Empty:
                    sys.exit(f"edit {i}: no reload event within 60 s")
                if t_event is None:
                    t_event = t_ev - t0
                page = get(f"{base}/{sec}/{slug}/")
                if marker in page:
                    t_served = time.perf_counter() - t0
                    break
                stale += 1  # an event for a build that did not see the write yet
            listing = get(f"{base}/{sec}/")
            listing_fresh = new_title in listing
            results.append((t_event, t_served, stale, listing_fresh))
            print(f"  edit {i:2d} {sec}/{slug}.md: event {t_event * 1000:7.1f} ms, served {t_served * 1000:7.1f} ms, "
                  f"stale events {stale}, listing {'fresh' if listing_fresh else 'STALE'}", flush=True)

        ev = [r[0] * 1000 for r in results]
        sv = [r[1] * 1000 for r in results]
        rb = err.rebuilds[1:]
        print()
        print(f"edits: {len(results)} ({'atomic rename' if a.atomic else 'in-place write'})")
        print(f"write → reload event : median {statistics.median(ev):.0f} ms, worst {max(ev):.0f} ms")
        print(f"write → page served  : median {statistics.median(sv):.0f} ms, worst {max(sv):.0f} ms")
        if rb:
            print(f"rebuilds (serve's own figure): {len(rb)}, median {statistics.median(rb):.0f} ms, worst {max(rb)} ms")
        print(f"stale page after an event: {sum(r[2] for r in results)}; stale listing: {sum(1 for r in results if not r[3])}")
        bad = sum(r[2] for r in results) + sum(1 for r in results if not r[3])
        sys.exit(1 if bad else 0)
    finally:
        for path, text in originals.items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
