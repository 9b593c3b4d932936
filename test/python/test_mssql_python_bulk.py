"""mssql-python's bulk copy (cursor.bulkcopy) against the test server over TLS.

mssql-python 1.16 does not bulk-load through ODBC: `Cursor.bulkcopy` opens a second connection
with its own TDS implementation, `mssql_py_core` (distribution mssql_python_rs, the Rust crate
mssql-tds from microsoft/mssql-rs), and runs the SqlBulkCopy sequence on it:

1. a metadata batch (`SELECT @@TRANCOUNT; DECLARE @Column_Names …; EXEC sp_executesql … OUTPUT …;
   SET FMTONLY ON; EXEC(N'SELECT ' + @Column_Names + N' FROM [dbo].[t]'); SET FMTONLY OFF;
   EXEC sp_tablecollations_100 N'[dbo].[t]';` — the same shape as the current
   Microsoft.Data.SqlClient SqlBulkCopy.CreateInitialQuery),
2. `INSERT BULK [dbo].[t] (…)`,
3. the BULK LOAD message: COLMETADATA, ROWs, DONE.

Each test loads rows and checks with a SELECT (through ODBC) that what is stored equals what was
sent. The notes marked 'Regression' describe test-server faults these tests found (now fixed).
"""
import datetime
import decimal
import uuid

import mssql_python
import pytest

TLS = "Encrypt=yes;TrustServerCertificate=yes"

# Every type bulkcopy can carry except decimal/numeric (see test_bulkcopy_decimal_and_numeric).
COLUMNS = [
    ("id", "int NOT NULL"),
    ("b", "bit NULL"),
    ("ti", "tinyint NULL"),
    ("si", "smallint NULL"),
    ("i", "int NULL"),
    ("bi", "bigint NULL"),
    ("r", "real NULL"),
    ("f", "float NULL"),
    ("m", "money NULL"),
    ("sm", "smallmoney NULL"),
    ("dt", "date NULL"),
    ("t", "time(7) NULL"),
    ("dtm", "datetime NULL"),
    ("sdt", "smalldatetime NULL"),
    ("dt2", "datetime2(7) NULL"),
    ("dto", "datetimeoffset(7) NULL"),
    ("g", "uniqueidentifier NULL"),
    ("c", "char(5) NULL"),
    ("vc", "varchar(20) NULL"),
    ("nc", "nchar(3) NULL"),
    ("nvc", "nvarchar(50) NULL"),
    ("bin", "binary(4) NULL"),
    ("vb", "varbinary(10) NULL"),
    ("vcm", "varchar(max) NULL"),
    ("nvcm", "nvarchar(max) NULL"),
    ("vbm", "varbinary(max) NULL"),
]

UTC = datetime.timezone.utc

# datetimeoffset values are at +00:00: mssql-python 1.16 writes the *local* wall time of an aware
# datetime into the datetimeoffset value, whose time and date MS-TDS 2.2.5.5.1.8 defines as UTC
# (12:30 +05:30 goes out as time 12:30, offset 330; Sluice and tedious send 07:00, offset 330),
# so any other offset is stored shifted by the offset — a driver bug, not the server's.
ROWS = [
    # The low end of each type, empty strings and binaries.
    (
        1, False, 0, -32768, -2147483648, -9223372036854775808, -3.4028234663852886e38, -1.7976931348623157e308,
        decimal.Decimal("-922337203685477.5808"), decimal.Decimal("-214748.3648"),
        datetime.date(1, 1, 1), datetime.time(0, 0, 0), datetime.datetime(1753, 1, 1, 0, 0, 0),
        datetime.datetime(1900, 1, 1, 0, 0), datetime.datetime(1, 1, 1, 0, 0, 0),
        datetime.datetime(1, 1, 1, 0, 0, 0, tzinfo=UTC), uuid.UUID("00000000-0000-0000-0000-000000000000"),
        "", "", "", "", b"\x00\x00\x00\x00", b"", "", "", b"",
    ),
    # The high end; (max) values larger than a 4096-byte packet.
    (
        2, True, 255, 32767, 2147483647, 9223372036854775807, 3.4028234663852886e38, 1.7976931348623157e308,
        decimal.Decimal("922337203685477.5807"), decimal.Decimal("214748.3647"),
        datetime.date(9999, 12, 31), datetime.time(23, 59, 59, 999999), datetime.datetime(9999, 12, 31, 23, 59, 59, 997000),
        datetime.datetime(2079, 6, 6, 23, 59), datetime.datetime(9999, 12, 31, 23, 59, 59, 999999),
        datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), uuid.UUID("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"),
        "abcde", "ABCDEFGHIJKLMNOPQRST", "äöü", "Ünïcödé 😀 東京 " + "ω" * 35, b"\xff" * 4, b"\xff" * 10,
        "x" * 10000, "é東😀" * 3000, bytes(i % 251 for i in range(9000)),
    ),
    # Every nullable column NULL.
    (3,) + (None,) * (len(COLUMNS) - 1),
    # Ordinary values: code-page text, short fixed-length strings (padded by the server).
    (
        4, True, 42, -1, 0, 9007199254740993, 1.5, 0.1, decimal.Decimal("-2270.9954"), decimal.Decimal("0.0001"),
        datetime.date(2024, 2, 29), datetime.time(12, 34, 56, 123456), datetime.datetime(2024, 2, 29, 13, 45, 1, 3000),
        datetime.datetime(2024, 2, 29, 13, 45), datetime.datetime(2024, 2, 29, 13, 45, 1, 123456),
        datetime.datetime(2024, 6, 1, 12, 30, 0, 123456, tzinfo=UTC), uuid.UUID("6F9619FF-8B86-D011-B42D-00C04FC964FF"),
        "ab", "Grüße, café – €5", "x", "Grüße 東京 😀", b"\x01\x02\x03\x04", b"\x00\xff\x10", "plain", "Zoë", b"\x01\x02\x03",
    ),
]


def stored(column_type, value):
    """What the column holds for `value`: char(n)/nchar(n) are padded with spaces."""
    if isinstance(value, str) and column_type.startswith(("char(", "nchar(")):
        n = int(column_type.split("(")[1].split(")")[0])
        return value + " " * (n - len(value.encode("utf-16-le")) // 2)
    return value


def comparable(value):
    """ODBC's read-back values in the form they were sent: UUID may come back as text."""
    if isinstance(value, str):
        try:
            return uuid.UUID(value) if len(value) == 36 and value.count("-") == 4 else value
        except ValueError:
            return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return value


def connect(server):
    return mssql_python.connect(server.odbc(TLS), autocommit=True)


def assert_stored(cur, table, columns, rows):
    cur.execute(f"SELECT * FROM {table} ORDER BY id")
    back = cur.fetchall()
    assert len(back) == len(rows)
    for sent, got in zip(rows, back):
        for (name, ctype), v, g in zip(columns, sent, list(got)):
            assert comparable(g) == stored(ctype, v), f"row {sent[0]} column {name} ({ctype})"


# Regression: mssql-py-core's bulk copy first reads metadata with SqlBulkCopy's generated batch
# (variables, sp_executesql with OUTPUT, EXEC(<expr>) under FMTONLY), which the engine cannot run;
# the server now recognises that batch (native/server/src/driver_batches.rs) and answers its
# result sets. It then ends the bulk stream with a 9-byte (TDS 7.1) DONE, which SQL Server ignores
# and the server now accepts.
def test_bulkcopy_stores_every_value_sent(mandatory_server):
    conn = connect(mandatory_server)
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS dbo.py_bulk")
    cur.execute(f"CREATE TABLE dbo.py_bulk ({', '.join(f'{n} {t}' for n, t in COLUMNS)})")
    result = cur.bulkcopy("dbo.py_bulk", ROWS, timeout=15, keep_nulls=True)
    assert result["rows_copied"] == len(ROWS)
    assert result["batch_count"] == 1
    assert_stored(cur, "dbo.py_bulk", [(n, t.replace(" NOT NULL", "").replace(" NULL", "")) for n, t in COLUMNS], ROWS)
    conn.close()


DEC_COLUMNS = [
    ("id", "int NOT NULL"),
    ("d9", "decimal(9,2) NULL"),
    ("d18", "decimal(18,4) NULL"),
    ("d28", "decimal(28,8) NULL"),
    ("n38", "numeric(38,10) NULL"),
    ("n5", "numeric(5,0) NULL"),
]
D = decimal.Decimal
DEC_ROWS = [
    (1, D("-9999999.99"), D("-99999999999999.9999"), D("-99999999999999999999.99999999"),
     D("-9999999999999999999999999999.9999999999"), D("-99999")),
    (2, D("9999999.99"), D("99999999999999.9999"), D("99999999999999999999.99999999"),
     D("9999999999999999999999999999.9999999999"), D("99999")),
    (3, None, None, None, None, None),
    (4, D("0.01"), D("-12345678901234.5678"), D("0.00000001"), D("1234567890123456789012345678.0123456789"), D("0")),
]


# Regression: besides the two faults above, mssql-py-core writes DECIMALN/NUMERICN TYPE_INFO as
# type, *type*, precision, scale (`6A 6A 0A 02` for decimal(10,2)): the length byte repeats the
# type byte. Precision and scale define the column and each value carries its own length, so the
# decoder now accepts that byte (native/tds/src/type_info.rs).
def test_bulkcopy_decimal_and_numeric(mandatory_server):
    conn = connect(mandatory_server)
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS dbo.py_bulk_dec")
    cur.execute(f"CREATE TABLE dbo.py_bulk_dec ({', '.join(f'{n} {t}' for n, t in DEC_COLUMNS)})")
    result = cur.bulkcopy("dbo.py_bulk_dec", DEC_ROWS, timeout=15)
    assert result["rows_copied"] == len(DEC_ROWS)
    assert_stored(cur, "dbo.py_bulk_dec", DEC_COLUMNS, DEC_ROWS)
    conn.close()


# The metadata batch mssql-py-core sends before INSERT BULK (captured from mssql-python 1.16 on
# the wire), for table dbo.py_meta.
METADATA_BATCH = """SELECT @@TRANCOUNT;

DECLARE @Column_Names NVARCHAR(MAX) = NULL;
DECLARE @object_id INT = OBJECT_ID(N'[dbo].[py_meta]');
DECLARE @sql NVARCHAR(MAX);
SET @sql = N'SELECT @CN = COALESCE(@CN + N'', '', N'''') + QUOTENAME([name]) FROM sys.all_columns WHERE [object_id] = @ObjId';
IF EXISTS (SELECT TOP 1 * FROM sys.all_columns WHERE [object_id] = OBJECT_ID('sys.all_columns') AND [name] = 'graph_type')
    SET @sql = @sql + N' AND COALESCE([graph_type], 0) NOT IN (1, 3, 4, 6, 7)';
SET @sql = @sql + N' ORDER BY [column_id] ASC';
EXEC sp_executesql @sql, N'@CN NVARCHAR(MAX) OUTPUT, @ObjId INT', @CN = @Column_Names OUTPUT, @ObjId = @object_id;

SELECT @Column_Names = COALESCE(@Column_Names, '*');

SET FMTONLY ON;
EXEC(N'SELECT ' + @Column_Names + N' FROM [dbo].[py_meta]');
SET FMTONLY OFF;

EXEC sp_tablecollations_100 N'[dbo].[py_meta]';"""


def next_result_set(cur):
    """Moves to the next result set with columns, skipping row-count-only results (bounded)."""
    for _ in range(20):
        assert cur.nextset(), "no further result set"
        if cur.description:
            return
    raise AssertionError("no result set with columns within 20 results")


# Regression: SQL Server answers SqlBulkCopy's metadata batch with three result sets: @@TRANCOUNT,
# the FMTONLY COLMETADATA of the table, and sp_tablecollations_100's (colid, name, tds_collation,
# collation). The server recognises the generated batch and answers the same way.
def test_sqlbulkcopy_metadata_batch(mandatory_server):
    conn = connect(mandatory_server)
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS dbo.py_meta")
    cur.execute("CREATE TABLE dbo.py_meta (id int NOT NULL, name nvarchar(50) NULL, amount decimal(10,2) NULL)")
    cur.execute(METADATA_BATCH)
    assert [tuple(r) for r in cur.fetchall()] == [(0,)]
    next_result_set(cur)
    assert [d[0] for d in cur.description] == ["id", "name", "amount"]
    assert cur.fetchall() == []
    next_result_set(cur)
    collations = [tuple(r)[:2] + (tuple(r)[3],) for r in cur.fetchall()]
    assert collations == [(1, "id", None), (2, "name", "SQL_Latin1_General_CP1_CI_AS"), (3, "amount", None)]
    conn.close()
