"""Writes the file benchmarks' workbook: the bulk benchmark's 12 columns (bench/gen.py, the same
seeded rows as gen.js) as typed cells, the way a spreadsheet holds them — numbers as numbers,
`flag` as booleans, `born` and `created` as date-formatted cells, text as shared strings; `big`
is text (a spreadsheet number cannot hold 64-bit integers exactly) and NULL is a blank cell.

    .venv/bin/python bench/files/make-xlsx.py [--rows N] [--out PATH]

Needs `xlsxwriter` (bench/requirements.txt).
"""
import argparse
import os
import sys

import xlsxwriter

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import gen  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--rows", type=int, default=200_000)
p.add_argument("--out")
a = p.parse_args()
out = a.out or os.path.join(os.path.dirname(__file__), "data", f"bench-{a.rows}.xlsx")
os.makedirs(os.path.dirname(out), exist_ok=True)

wb = xlsxwriter.Workbook(out, {"constant_memory": True})
ws = wb.add_worksheet("orders")
date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
dt_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss.000"})
header = ["id", "big", "amount", "ratio", "flag", "born", "created", "guid", "code", "name", "note", "price"]
for c, h in enumerate(header):
    ws.write_string(0, c, h)
for i, r in enumerate(gen.rows(a.rows), start=1):
    rid, big, amount, ratio, flag, born, created, guid, code, name, note, price = r
    ws.write_number(i, 0, rid)
    if big is not None:
        ws.write_string(i, 1, str(big))
    ws.write_number(i, 2, float(amount))
    if ratio is not None:
        ws.write_number(i, 3, ratio)
    ws.write_boolean(i, 4, flag)
    ws.write_datetime(i, 5, born, date_fmt)
    ws.write_datetime(i, 6, created, dt_fmt)
    ws.write_string(i, 7, str(guid))
    ws.write_string(i, 8, code)
    ws.write_string(i, 9, name)
    if note is not None:
        ws.write_string(i, 10, note)
    ws.write_number(i, 11, float(price))
wb.close()
print(f"{out}: {a.rows} rows, {os.path.getsize(out)} bytes")
