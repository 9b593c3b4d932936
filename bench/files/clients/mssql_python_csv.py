"""mssql-python `cursor.bulkcopy` fed by Python's `csv` module: the benchmark CSV read with
csv.reader, each record turned into the types bench/gen.py yields (int, Decimal, float, bool,
date, datetime, UUID, str; None for an empty field) by a lazy generator, loaded as
bench/clients/mssql_python_client.py loads the generated rows. Prints one `RESULT {json}` line.

    .venv/bin/python bench/files/clients/mssql_python_csv.py --port P --file F --rows N [--batch B]
"""
import argparse
import csv
import datetime
import decimal
import json
import os
import resource
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = "dbo.bench"
PASSWORD = "Sluice_Test_1"


def _utc(s):
    return datetime.datetime.fromisoformat(s)


# One converter per column of bench/schema.sql, in order.
CONVERT = (
    int,  # id
    int,  # big
    decimal.Decimal,  # amount
    float,  # ratio
    lambda s: s == "true",  # flag
    datetime.date.fromisoformat,  # born
    _utc,  # created
    uuid.UUID,  # guid
    str,  # code
    str,  # name
    str,  # note
    decimal.Decimal,  # price
)


def records(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)  # header
        for fields in reader:
            if len(fields) != len(CONVERT):
                raise ValueError(f"line {reader.line_num}: expected {len(CONVERT)} fields, got {len(fields)}")
            yield tuple(None if s == "" else conv(s) for conv, s in zip(CONVERT, fields))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--rows", type=int, required=True, help="rows the file holds (checked)")
    p.add_argument("--batch", type=int, default=100_000)
    a = p.parse_args()

    import mssql_python

    conn = mssql_python.connect(f"Server={a.host},{a.port};UID=sa;PWD={PASSWORD};Encrypt=no", autocommit=True)
    cur = conn.cursor()
    cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
    with open(os.path.join(HERE, "..", "..", "schema.sql")) as f:
        cur.execute(f.read())

    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    res = cur.bulkcopy(TABLE, records(a.file), batch_size=a.batch, table_lock=True, timeout=0)
    seconds = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    conn.close()
    rows = res.get("rows_copied")
    if rows != a.rows:
        raise SystemExit(f"loaded {rows} rows, expected {a.rows}")
    r = {
        "client": "mssql-python-csv",
        "rows": rows,
        "batches": res.get("batch_count"),
        "bytes": os.path.getsize(a.file),
        "seconds": seconds,
        "loadCpuUser": ru1.ru_utime - ru0.ru_utime,
        "loadCpuSys": ru1.ru_stime - ru0.ru_stime,
        "rowsPerSec": rows / seconds,
        "maxRssKB": ru1.ru_maxrss,
    }
    print("RESULT " + json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
