#!/usr/bin/env python3
"""Counts the CPU instructions SQLite itself spends per task, for Spindle's schema and for the raw
SQL ceiling of `spindle bench peers`, outside any JVM.

Wall-clock rates on a shared machine swing by half from one hour to the next; instruction counts
under valgrind do not. Each variant runs the same lifecycle as the Java code in batches (insert
1,000; claim up to 900 with Spindle's claim statement; complete in batches of 200, or the ceiling's
insert, claim and delete of 1,000) against a fresh file in WAL mode with synchronous=NORMAL, with
Python's sqlite3 and the system's SQLite (not the one bundled with sqlite-jdbc), and reports the
instructions inside sqlite3_step per task.

Usage, from the repository root (needs valgrind; about 30 s per variant):
  python3 spindle-bench/scripts/sqlite_instructions.py spindle ceiling spindle-with-lease-index

Variants: spindle, ceiling, and spindle with any of the suffixes -with-lease-index (as before
migration 004), -with-finished-index (as before migration 005), -insert-only, -no-complete,
-return-id (claim returns only ids).
"""
import glob
import json
import os
import re
import subprocess
import sys
import sqlite3
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MIGRATIONS = sorted(
    glob.glob(os.path.join(ROOT, "spindle-store-sqlite/src/main/resources/**/migrations/*.sql"),
              recursive=True))
QUERIES = os.path.join(ROOT, "spindle-store-sqlite/src/main/resources/dev/spindle/store/sqlite/queries/task_write.sql")


def query(name):
    text = open(QUERIES).read()
    body = text.split("-- name: " + name + "\n", 1)[1]
    lines = []
    for line in body.splitlines():
        if line.startswith("-- ") or line == "":
            break
        lines.append(line)
    return "\n".join(lines)


def connect(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=NORMAL")
    c.execute("PRAGMA cache_size=-16384")
    return c


def spindle(variant, n, path):
    c = connect(path)
    for f in MIGRATIONS:
        c.executescript(open(f).read())
    if "-with-lease-index" in variant:
        # The index of RUNNING rows by lease expiry that migration 004 dropped.
        c.execute("CREATE INDEX spindle_task_lease ON spindle_task (lease_until)"
                  " WHERE state = 'RUNNING'")
    if "-with-finished-index" in variant:
        # The index of finished rows the purge walked until migration 005.
        c.execute("CREATE INDEX spindle_task_finished ON spindle_task (finished_at)"
                  " WHERE finished_at IS NOT NULL AND state <> 'DEAD'")
    insert, claim, done = query("insert"), query("claim"), query("complete_succeeded")
    if "-return-id" in variant:
        claim = claim.split("RETURNING")[0] + "RETURNING id"
    now = int(time.time() * 1000)
    next_id = token = finished = 0
    while finished < n:
        c.execute("BEGIN IMMEDIATE")
        rows = []
        for _ in range(1000 if next_id < n else 0):
            next_id += 1
            rows.append((next_id, "noop", "default", 0, str(next_id), 3, now, now, None, 60000,
                         None, "", "READY"))
        if rows:
            c.executemany(insert, rows)
        c.execute("COMMIT")
        if "-insert-only" in variant:
            finished += 1000
            continue
        c.execute("BEGIN IMMEDIATE")
        token += 1
        claimed = [r[0] for r in c.execute(
            claim, ("12345@host-abcdef12", token, now + 30000, now, "default", 900)).fetchall()]
        if "-no-complete" not in variant:
            for i in range(0, len(claimed), 200):
                c.executemany(done, [("null", now, x, token) for x in claimed[i:i + 200]])
                if "-with-finished-index" not in variant:
                    # One list of finished ids per group commit, as the writer saves it.
                    c.execute(FINISHED, (now, json.dumps(claimed[i:i + 200])))
        finished += len(claimed)
        c.execute("COMMIT")


FINISHED = "INSERT INTO spindle_finished (finished_at, ids) VALUES (?1, ?2)"


def ceiling(variant, n, path):
    c = connect(path)
    c.execute("CREATE TABLE ceiling_tasks (id INTEGER PRIMARY KEY, queue TEXT NOT NULL,"
              " priority INTEGER NOT NULL, run_at INTEGER NOT NULL,"
              " claimed INTEGER NOT NULL DEFAULT 0, payload INTEGER NOT NULL)")
    c.execute("CREATE INDEX ceiling_ready ON ceiling_tasks (queue, priority DESC, run_at, id)"
              " WHERE claimed = 0")
    now = int(time.time() * 1000)
    submitted = finished = 0
    while finished < n:
        if submitted < n:
            c.execute("BEGIN IMMEDIATE")
            c.executemany("INSERT INTO ceiling_tasks (queue, priority, run_at, payload)"
                          " VALUES ('default', 0, ?, ?)",
                          [(now, i) for i in range(submitted, submitted + 1000)])
            c.execute("COMMIT")
            submitted += 1000
        c.execute("BEGIN IMMEDIATE")
        ids = [r[0] for r in c.execute(
            "UPDATE ceiling_tasks SET claimed = 1 WHERE id IN (SELECT id FROM ceiling_tasks"
            " WHERE queue = 'default' AND claimed = 0 AND run_at <= ?"
            " ORDER BY priority DESC, run_at, id LIMIT ?) RETURNING id, payload",
            (now, 1000)).fetchall()]
        c.execute("COMMIT")
        c.execute("BEGIN IMMEDIATE")
        c.executemany("DELETE FROM ceiling_tasks WHERE id = ?", [(i,) for i in ids])
        c.execute("COMMIT")
        finished += len(ids)


TASKS = 20000


def measure(variant):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                        sys.executable, os.path.abspath(__file__), "--run", variant,
                        os.path.join(tmp, "t.db")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report = subprocess.run(["callgrind_annotate", "--inclusive=yes", out],
                                check=True, capture_output=True, text=True).stdout
        for line in report.splitlines():
            if re.search(r":sqlite3_step ", line):
                return int(line.split()[0].replace(",", "")) / TASKS
    raise RuntimeError("no sqlite3_step in the profile of " + variant)


if __name__ == "__main__":
    if sys.argv[1] == "--run":
        (ceiling if sys.argv[2] == "ceiling" else spindle)(sys.argv[2], TASKS, sys.argv[3])
    else:
        for v in sys.argv[1:]:
            print("%-40s %8.0f instructions per task in sqlite3_step" % (v, measure(v)), flush=True)
