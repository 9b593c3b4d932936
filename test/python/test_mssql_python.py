"""mssql-python (Microsoft's driver, with ODBC Driver 18 inside) against the test server:
it must connect over TLS with TrustServerCertificate, run queries and read typed values."""
import datetime
import decimal
import uuid

import mssql_python
import pytest


def connect(server, extra="Encrypt=yes;TrustServerCertificate=yes"):
    return mssql_python.connect(server.odbc(extra), autocommit=True)


def test_connects_over_tls_and_selects(mandatory_server):
    conn = connect(mandatory_server)
    cur = conn.cursor()
    cur.execute("SELECT @@VERSION")
    assert cur.fetchone()[0].startswith("Microsoft SQL Server 2022")
    cur.execute("SELECT 1 AS one")
    assert cur.fetchall()[0][0] == 1
    assert cur.description[0][0] == "one"
    conn.close()


def test_creates_a_table_and_reads_typed_rows(mandatory_server):
    conn = connect(mandatory_server)
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS dbo.py_typed")
    cur.execute(
        "CREATE TABLE dbo.py_typed (id int NOT NULL, big bigint NULL, flag bit NULL, price decimal(18,4) NULL,"
        " ratio float NULL, name nvarchar(50) NULL, code varchar(10) NULL, born date NULL, at datetime2(3) NULL,"
        " guid uniqueidentifier NULL, raw varbinary(8) NULL)"
    )
    cur.execute(
        "INSERT INTO dbo.py_typed VALUES (1, 9007199254740993, 1, 12.3456, 0.5, N'Zoë', 'abc', '2024-02-29',"
        " '2024-02-29 13:45:01.123', '6F9619FF-8B86-D011-B42D-00C04FC964FF', 0x01FF),"
        " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
    )
    cur.execute("SELECT * FROM dbo.py_typed")
    rows = cur.fetchall()
    assert len(rows) == 2
    r = rows[0]
    assert r[0] == 1
    assert r[1] == 9007199254740993
    assert r[2] is True
    assert r[3] == decimal.Decimal("12.3456")
    assert r[4] == 0.5
    assert r[5] == "Zoë"
    assert r[6] == "abc"
    assert r[7] == datetime.date(2024, 2, 29)
    assert r[8] == datetime.datetime(2024, 2, 29, 13, 45, 1, 123000)
    assert str(r[9]).upper() == "6F9619FF-8B86-D011-B42D-00C04FC964FF" or r[9] == uuid.UUID("6F9619FF-8B86-D011-B42D-00C04FC964FF")
    assert bytes(r[10]) == b"\x01\xff"
    assert all(v is None for v in list(rows[1])[1:])
    cur.execute("SELECT COUNT(*) FROM dbo.py_typed")
    assert cur.fetchone()[0] == 2
    conn.close()


def test_server_errors_arrive_with_their_number(mandatory_server):
    conn = connect(mandatory_server)
    cur = conn.cursor()
    with pytest.raises(mssql_python.Error) as e:
        cur.execute("SELECT * FROM dbo.no_such_table")
    assert "Invalid object name" in str(e.value)
    conn.close()


def test_wrong_password_is_refused(mandatory_server):
    with pytest.raises(mssql_python.Error) as e:
        mssql_python.connect(
            f"Server={mandatory_server.host},{mandatory_server.port};UID=sa;PWD=wrong;Encrypt=yes;TrustServerCertificate=yes",
            autocommit=True,
        )
    assert "Login failed for user 'sa'" in str(e.value)


def test_strict_tds8(strict_server):
    # Under TDS 8.0 ODBC Driver 18 always validates the certificate (TrustServerCertificate is
    # ignored), so it pins the test server's own certificate with ServerCertificate.
    conn = connect(strict_server, f"Encrypt=strict;ServerCertificate={strict_server.cert_path}")
    cur = conn.cursor()
    cur.execute("SELECT 42")
    assert cur.fetchone()[0] == 42
    conn.close()
