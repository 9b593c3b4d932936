"""Writes the benchmark's rows (bench/gen.py) as an xlsx: one sheet, a header row and N rows of
the 12 columns, typed as a spreadsheet holds them — numbers, booleans, dates and date-times
with date formats, text in the shared-string table as Excel writes it.

    .venv/bin/python bench/gen_xlsx.py OUT.xlsx [ROWS=200000]

Needs the PyPI package XlsxWriter. 64-bit `big` values become doubles (a spreadsheet has no
exact 64-bit integer), `None` an empty cell.
"""
import os
import sys

import xlsxwriter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen import rows  # noqa: E402

HEADER = ["id", "big", "amount", "ratio", "flag", "born", "created", "guid", "code", "name",
          "note", "price"]


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("orders")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss.000"})
    ws.write_row(0, 0, HEADER)
    for r, row in enumerate(rows(count), start=1):
        (id_, big, amount, ratio, flag, born, created, guid, code, name, note, price) = row
        ws.write_number(r, 0, id_)
        if big is not None:
            ws.write_number(r, 1, float(big))
        ws.write_number(r, 2, float(amount))
        if ratio is not None:
            ws.write_number(r, 3, ratio)
        ws.write_boolean(r, 4, flag)
        ws.write_datetime(r, 5, born, date)
        ws.write_datetime(r, 6, created, stamp)
        ws.write_string(r, 7, str(guid))
        ws.write_string(r, 8, code)
        ws.write_string(r, 9, name)
        if note is not None:
            ws.write_string(r, 10, note)
        ws.write_number(r, 11, float(price))
    wb.close()


if __name__ == "__main__":
    main()
