"""Writes the copy of the benchmark CSV that freebcp can read: freebcp's character mode (-c)
knows a field terminator and a row terminator but no quoting, so each record is parsed with
Python's `csv` module and written tab-separated, with any tab, CR or LF inside a field replaced by
a space (the notes with an embedded newline lose it: one row in 1,000) and `flag` as 1/0 (freebcp
reads bit as a number). Empty fields stay empty, which freebcp loads as NULL. No header line.
Run once; the benchmark reports the time this took separately from freebcp's load.

    .venv/bin/python bench/files/to_tsv.py IN.csv OUT.tsv
"""
import csv
import json
import sys
import time

src, dst = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
clean = str.maketrans({"\t": " ", "\r": " ", "\n": " "})
rows = 0
with open(src, newline="", encoding="utf-8") as f, open(dst, "w", encoding="utf-8", newline="") as out:
    reader = csv.reader(f)
    next(reader)
    for fields in reader:
        fields[4] = "1" if fields[4] == "true" else "0" if fields[4] == "false" else ""
        out.write("\t".join(s.translate(clean) for s in fields))
        out.write("\n")
        rows += 1
print("RESULT " + json.dumps({"rows": rows, "seconds": time.perf_counter() - t0}), flush=True)
