"""mssql-python 1.16: `cursor.bulkcopy` (the mssql_py_core Rust path, not ODBC) fed by the lazy
generator in bench/gen.py (or, with --prebuilt, a list built before the clock starts). Prints one
`RESULT {json}` line like the JS clients."""
import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import gen  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = "dbo.bench"
PASSWORD = "Sluice_Test_1"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--batch", type=int, default=100_000)
    p.add_argument("--encrypt", default="off")
    p.add_argument("--gen-only", action="store_true")
    p.add_argument("--prebuilt", action="store_true", help="generate all rows into a list before the timed load")
    a = p.parse_args()

    def timed(load):
        ru0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        out = load()
        seconds = time.perf_counter() - t0
        ru1 = resource.getrusage(resource.RUSAGE_SELF)
        out.update(seconds=seconds, loadCpuUser=ru1.ru_utime - ru0.ru_utime, loadCpuSys=ru1.ru_stime - ru0.ru_stime)
        return out

    def report(r):
        r["rowsPerSec"] = r["rows"] / r["seconds"]
        r["maxRssKB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print("RESULT " + json.dumps(r), flush=True)

    if a.gen_only:
        def load():
            n = 0
            for row in gen.rows(a.rows):
                if len(row) == 12:
                    n += 1
            return {"rows": n}

        report({"client": "gen-only-python", **timed(load)})
        return

    import mssql_python

    encrypt = "Encrypt=no" if a.encrypt == "off" else "Encrypt=yes;TrustServerCertificate=yes"
    conn = mssql_python.connect(f"Server={a.host},{a.port};UID=sa;PWD={PASSWORD};{encrypt}", autocommit=True)
    cur = conn.cursor()
    cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
    with open(os.path.join(HERE, "..", "schema.sql")) as f:
        cur.execute(f.read())

    source = list(gen.rows(a.rows)) if a.prebuilt else gen.rows(a.rows)

    def load():
        res = cur.bulkcopy(TABLE, source, batch_size=a.batch, table_lock=True, timeout=0)
        return {"rows": res.get("rows_copied"), "batches": res.get("batch_count")}

    r = timed(load)
    conn.close()
    if r["rows"] != a.rows:
        raise SystemExit(f"loaded {r['rows']} rows, expected {a.rows}")
    report({"client": "mssql-python", "prebuilt": a.prebuilt, **r})


if __name__ == "__main__":
    main()
