#!/usr/bin/env python3
"""Reader throughput table for bench/readers.sh (see there for the method).

Times whole processes (wall clock, median of --runs), subtracts each system's
start-up, and prints MB/s per file and system with the ratio of localmode's
scan time to DuckDB threads=1's. Exits 1 when a system fails or the systems
disagree on the scanned values.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

COLS = [("id1", "STRING", "VARCHAR"), ("id2", "STRING", "VARCHAR"), ("id3", "STRING", "VARCHAR"),
        ("id4", "INT", "INTEGER"), ("id5", "INT", "INTEGER"), ("id6", "INT", "INTEGER"),
        ("v1", "INT", "INTEGER"), ("v2", "INT", "INTEGER"), ("v3", "DOUBLE", "DOUBLE")]
AGGS = "count(*), " + ", ".join("max(%s)" % c for c, _, _ in COLS)


def size_of(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path)
                   if not f.startswith(("_", ".")))
    return os.path.getsize(path)


class System:
    def __init__(self, label, argv_for_file, threads=None):
        self.label, self.argv_for_file = label, argv_for_file

    def run(self, sql):
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
            f.write(sql)
            path = f.name
        try:
            t0 = time.perf_counter()
            p = subprocess.run(self.argv_for_file(path), capture_output=True, text=True)
            dt = time.perf_counter() - t0
        finally:
            os.unlink(path)
        if p.returncode != 0:
            raise RuntimeError("%s failed:\n%s" % (self.label, p.stderr[-2000:]))
        return dt, p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""


def timed(system, sql, runs):
    times, out = [], None
    for _ in range(runs):
        dt, out = system.run(sql)
        times.append(dt)
    return statistics.median(times), out


def same_values(a, b):
    fa, fb = a.split("\t"), b.split("\t")
    if len(fa) != len(fb):
        return False
    for x, y in zip(fa, fb):
        if x == y:
            continue
        try:
            if abs(float(x) - float(y)) > 1e-9 * max(1.0, abs(float(x))):
                return False
        except ValueError:
            return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--duck", required=True)
    ap.add_argument("--data", required=True)
    a = ap.parse_args()
    master = os.environ.get("LM_MASTER", "local[2]")
    csv = os.path.join(a.data, "g1_%s.csv" % a.n)
    pq_duck = os.path.join(a.data, "g1_%s.duckdb.parquet" % a.n)
    pq_lm = os.path.join(a.data, "g1_%s.localmode.parquet" % a.n)
    ddl = ", ".join("%s %s" % (c, t) for c, t, _ in COLS)
    duck_cols = "{" + ", ".join("'%s': '%s'" % (c, d) for c, _, d in COLS) + "}"
    duck_csv = "read_csv('%s', header=true, columns=%s)" % (csv, duck_cols)

    lm = System("localmode", lambda f: [a.cli, "sql", "--conf", "spark.master=" + master,
                                        "--output", "tsv", "-f", f])
    d1 = System("duckdb-t1", lambda f: ["node", a.duck, "--threads", "1", "--file", f])
    d2 = System("duckdb-t2", lambda f: ["node", a.duck, "--threads", "2", "--file", f])

    # the Parquet copies, written once
    if not os.path.exists(pq_duck):
        d2.run("COPY (SELECT * FROM %s) TO '%s' (FORMAT parquet, COMPRESSION snappy);"
               % (duck_csv, pq_duck))
    if not os.path.exists(pq_lm):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write("sources:\n  - name: g1\n    format: csv\n    path: %s\n"
                    "    options: {header: true}\n    schema: \"%s\"\n"
                    "sinks:\n  - from: g1\n    format: parquet\n    path: %s\n"
                    "    mode: overwrite\n    options: {compression: snappy}\n" % (csv, ddl, pq_lm))
            job = f.name
        p = subprocess.run([a.cli, "run", job], capture_output=True, text=True)
        os.unlink(job)
        if p.returncode != 0:
            sys.exit("localmode could not write %s:\n%s" % (pq_lm, p.stderr))

    lm_csv = ("CREATE TEMPORARY VIEW g1 (%s) USING csv OPTIONS (path '%s', header 'true');\n"
              "SELECT %s FROM g1;" % (ddl, csv, AGGS))
    files = [
        ("CSV", csv, {lm: lm_csv, d1: "SELECT %s FROM %s;" % (AGGS, duck_csv)}),
        ("Parquet (DuckDB-written)", pq_duck,
         {lm: "SELECT %s FROM parquet.`%s`;" % (AGGS, pq_duck),
          d1: "SELECT %s FROM read_parquet('%s');" % (AGGS, pq_duck)}),
        ("Parquet (localmode-written)", pq_lm,
         {lm: "SELECT %s FROM parquet.`%s`;" % (AGGS, pq_lm),
          d1: "SELECT %s FROM read_parquet('%s/*.parquet');" % (AGGS, pq_lm)}),
    ]
    systems = [lm, d1, d2]
    startup = {s: timed(s, "SELECT 1;", a.runs)[0] for s in systems}
    # read every file once so that every system sees a warm page cache
    for _, path, _ in files:
        for root, _, names in os.walk(path) if os.path.isdir(path) else [("", [], [path])]:
            for name in names:
                with open(os.path.join(root, name), "rb") as fh:
                    while fh.read(1 << 20):
                        pass

    print("readers N=%s runs=%d  %s  %d cores, localmode on %s" % (
        a.n, a.runs, time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()), os.cpu_count(), master))
    print("scan = count(*) and max() of all 9 columns; seconds are medians minus start-up")
    print("%-28s %9s  %-10s %9s %9s %12s" % ("file", "MB", "system", "scan_s", "MB/s",
                                             "vs duckdb-t1"))
    ok = True
    for title, path, sqls in files:
        mb = size_of(path) / 1e6
        results = {}
        for s in systems:
            sql = sqls.get(s) or sqls[d1]
            med, out = timed(s, sql, a.runs)
            results[s] = (max(med - startup[s], 1e-6), out)
        base = results[d1][0]
        for s in systems:
            scan, out = results[s]
            agree = same_values(out, results[d1][1])
            ok = ok and agree
            print("%-28s %9.1f  %-10s %9.3f %9.1f %11.2fx%s" % (
                title, mb, s.label, scan, mb / scan, scan / base, "" if agree else "  VALUES DIFFER"))
    print("start-up (SELECT 1, median s): " + ", ".join(
        "%s %.3f" % (s.label, startup[s]) for s in systems))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
