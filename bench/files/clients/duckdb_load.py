"""The yardstick: DuckDB loading the benchmark CSV into a typed table of its own, in memory
(`CREATE TABLE t AS SELECT * FROM read_csv(FILE)`, its own type detection, every thread it
wants) — a fast engine that never touches a network. Prints one `RESULT {json}` line.

    .venv/bin/python bench/files/clients/duckdb_load.py --file F --rows N
"""
import argparse
import json
import os
import resource
import time

import duckdb

p = argparse.ArgumentParser()
p.add_argument("--file", required=True)
p.add_argument("--rows", type=int, required=True, help="rows the file holds (checked)")
a = p.parse_args()

con = duckdb.connect(":memory:")
ru0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [a.file])
seconds = time.perf_counter() - t0
ru1 = resource.getrusage(resource.RUSAGE_SELF)
rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
types = {name: kind for name, kind, *_ in con.execute("DESCRIBE t").fetchall()}
if rows != a.rows:
    raise SystemExit(f"loaded {rows} rows, expected {a.rows}")
print(
    "RESULT "
    + json.dumps(
        {
            "client": "duckdb",
            "duckdb": duckdb.__version__,
            "rows": rows,
            "bytes": os.path.getsize(a.file),
            "seconds": seconds,
            "loadCpuUser": ru1.ru_utime - ru0.ru_utime,
            "loadCpuSys": ru1.ru_stime - ru0.ru_stime,
            "rowsPerSec": rows / seconds,
            "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
            "types": types,
        }
    ),
    flush=True,
)
