"""DuckDB's and polars' CSV type detection over one file, one way per process (so that
/usr/bin/time -v measures its own peak memory). Prints one JSON line.

    .venv/bin/python bench/files/duckdb_polars_read.py duckdb-full|duckdb-default|polars FILE

- duckdb-full: `DESCRIBE` of `read_csv(FILE, sample_size=-1)`: the sniffer reads the whole file
  to decide the types (no table is built).
- duckdb-default: the same with DuckDB's default sample (20,480 rows).
- polars: `pl.read_csv(FILE, try_parse_dates=True)`: reads the file into a DataFrame, types
  from its default schema inference (first 100 rows) with date detection.
"""
import json
import sys
import time

mode, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if mode.startswith("duckdb"):
    import duckdb

    sample = ", sample_size=-1" if mode == "duckdb-full" else ""
    con = duckdb.connect()
    cols = con.sql(f"DESCRIBE SELECT * FROM read_csv('{path}'{sample})").fetchall()
    columns = [[c[0], c[1]] for c in cols]
    rows = None
elif mode == "polars":
    import polars as pl

    df = pl.read_csv(path, try_parse_dates=True)
    columns = [[n, str(t)] for n, t in df.schema.items()]
    rows = df.height
else:
    sys.exit(f"unknown mode {mode}")
print(json.dumps({"mode": mode, "seconds": time.perf_counter() - start, "rows": rows, "columns": columns}))
