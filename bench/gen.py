"""The benchmark's rows in Python: the same generator as bench/gen.js (read its header).

Words come from CPython's own MT19937 (`random.Random(SEED)`); `randbytes(4 * k)` is
`getrandbits(32 * k)` in little-endian order, i.e. the next k outputs of genrand_uint32 in
order, which is exactly what gen.js's MT19937.next() returns. `run.js` checks that the
canonical text of both generators is identical before it measures anything.
"""
import datetime
import decimal
import hashlib
import random
import struct
import sys
import uuid

SEED = 20240229
WORDS_PER_ROW = 17

FIRST = [
    "Ada", "Zoë", "José", "Łukasz", "Amélie", "Björn", "Chloé", "Dmitri",
    "Émile", "Fatima", "Grace", "Hiroshi", "Inès", "Jürgen", "Kai", "Leila",
    "Mateo", "Nadia", "Olaf", "Priya", "Quentin", "Renée", "Søren", "Tomás",
    "Uma", "Václav", "Wei", "Xavier", "Yusuf", "Zaïd", "陈静", "Ольга",
]
LAST = [
    "Lovelace", "Müller", "García", "Nowak", "Dubois", "Andersson", "Rossi", "Ivanov",
    "Smith", "Haddad", "Hopper", "Tanaka", "Fernández", "Schäfer", "Kim", "Ahmadi",
    "Silva", "Petrov", "Larsen", "Sharma", "Lefèvre", "O’Brien", "Jørgensen", "Novák",
    "Okafor", "Dvořák", "Wang", "Costa", "Yilmaz", "Nguyễn", "李", "Смирнова",
]
NOTES = [
    "delivered", "pending review", "back-ordered", "returned by customer", "gift wrap",
    "fragile — handle with care", "express", "partial shipment", "address corrected",
    "paid in full", "awaiting stock", "priority", "customs hold", "résumé attached",
    "call before delivery", "no notes",
]

BORN_BASE = datetime.date(1950, 1, 1).toordinal()
CREATED_BASE = datetime.datetime(2000, 1, 1)


def rows(count, seed=SEED):
    """Yields `count` row tuples lazily; row i has id i + 1."""
    rb = random.Random(seed).randbytes
    unpack = struct.Struct("<%dI" % WORDS_PER_ROW).unpack
    nbytes = 4 * WORDS_PER_ROW
    Decimal = decimal.Decimal
    fromordinal = datetime.date.fromordinal
    timedelta = datetime.timedelta
    UUID = uuid.UUID
    for i in range(count):
        w = unpack(rb(nbytes))
        z = w[0]
        if z & 15 == 0:
            big = None
        else:
            big = (w[1] << 32) | w[2]
            if big >= 1 << 63:
                big -= 1 << 64
        amount = Decimal("%s%d.%04d" % ("-" if w[4] >= 0x80000000 else "", w[3] % 100_000_000, w[4] % 10_000))
        ratio = None if (z >> 4) & 15 == 0 else (w[5] / 4294967296) * 1000 - 500
        flag = (z >> 8) & 1 == 1
        born = fromordinal(BORN_BASE + w[6] % 36_525)
        created = CREATED_BASE + timedelta(0, w[7] % 946_080_000, (w[8] % 1000) * 1000)
        guid = UUID(int=(w[9] << 96) | (w[10] << 64) | (w[11] << 32) | w[12])
        code = "SKU-%d" % w[13]
        name = FIRST[w[14] % 32] + " " + LAST[(w[14] >> 16) % 32]
        note = None if (z >> 9) & 7 == 0 else "%s #%d" % (NOTES[w[15] % 16], w[15] >> 8)
        m = w[16] % 1_000_000_000
        price = Decimal("%d.%04d" % (m // 10_000, m % 10_000))
        yield (i + 1, big, amount, ratio, flag, born, created, guid, code, name, note, price)


def canonical(v, col):
    """Canonical text of one value, identical to gen.js's `canonical`."""
    if v is None:
        return "\\N"
    if col == 3:
        return struct.pack("<d", v).hex()
    if col == 4:
        return "1" if v else "0"
    if col == 5:
        return v.isoformat()
    if col == 6:
        return v.isoformat(timespec="milliseconds")
    return str(v)


def digest(count, seed=SEED):
    h = hashlib.sha256()
    for row in rows(count, seed):
        h.update(("\t".join(canonical(v, c) for c, v in enumerate(row)) + "\n").encode())
    return h.hexdigest()


if __name__ == "__main__":
    # python bench/gen.py --digest N   |   python bench/gen.py --print N
    if len(sys.argv) >= 2 and sys.argv[1] == "--digest":
        print(digest(int(sys.argv[2]) if len(sys.argv) > 2 else 20000))
    elif len(sys.argv) >= 2 and sys.argv[1] == "--print":
        for r in rows(int(sys.argv[2]) if len(sys.argv) > 2 else 5):
            print("\t".join(canonical(v, c) for c, v in enumerate(r)))
    else:
        print("usage: python bench/gen.py --digest N | --print N", file=sys.stderr)
        sys.exit(2)
