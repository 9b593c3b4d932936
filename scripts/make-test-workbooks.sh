#!/usr/bin/env bash
# Regenerates the small real workbooks under native/files/testdata/ with LibreOffice, from a
# flat OpenDocument spreadsheet written below. CI does not run this: the outputs are committed.
# Needs `soffice` and its Python bridge (Debian: apt-get install --no-install-recommends
# libreoffice-calc-nogui python3-uno), and for the encrypted xlsx the PyPI package
# msoffcrypto-tool in .venv (LibreOffice 7.4 saves xls and ods with a password through UNO but
# ignores the password when it writes xlsx).
set -euo pipefail
cd "$(dirname "$0")/.."
out=native/files/testdata
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" # a throwaway LibreOffice profile

# The workbook: a cover sheet (merged title, notes), the data sheet, a hidden sheet, an empty
# sheet. Orders has one header row, typed cells of every kind, formulas with cached values
# (including #N/A and #DIV/0!), an empty row (4), a merged cell (B6:C6) and a duration.
cat > "$work/sample.fods" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
  xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="Ndate"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
  <number:date-style style:name="Ndt"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:date-style>
  <number:time-style style:name="Ntime"><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:time-style>
  <number:time-style style:name="Ndur" number:truncate-on-overflow="false"><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:time-style>
  <number:boolean-style style:name="Nbool"><number:boolean/></number:boolean-style>
  <style:style style:name="cbool" style:family="table-cell" style:data-style-name="Nbool"/>
  <style:style style:name="cdate" style:family="table-cell" style:data-style-name="Ndate"/>
  <style:style style:name="cdt" style:family="table-cell" style:data-style-name="Ndt"/>
  <style:style style:name="ctime" style:family="table-cell" style:data-style-name="Ntime"/>
  <style:style style:name="cdur" style:family="table-cell" style:data-style-name="Ndur"/>
  <style:style style:name="hidden" style:family="table"><style:table-properties table:display="false"/></style:style>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  <table:table table:name="Cover">
   <table:table-row><table:table-cell table:number-columns-spanned="4" office:value-type="string"><text:p>Quarterly orders</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="3"/></table:table-row>
   <table:table-row><table:table-cell/></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>Prepared by Finance</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>Do not edit</text:p></table:table-cell></table:table-row>
  </table:table>
  <table:table table:name="Orders">
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>customer</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>amount</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>paid</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>ordered</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>shipped_at</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>pickup</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>zip</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>check</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>took</text:p></table:table-cell>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>Ada Lovelace</text:p></table:table-cell>
    <table:table-cell office:value-type="float" office:value="12.5"><text:p>12.5</text:p></table:table-cell>
    <table:table-cell table:style-name="cbool" office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>
    <table:table-cell table:style-name="cdate" office:value-type="date" office:date-value="2024-03-05"><text:p>2024-03-05</text:p></table:table-cell>
    <table:table-cell table:style-name="cdt" office:value-type="date" office:date-value="2024-03-05T13:45:30"><text:p>2024-03-05 13:45:30</text:p></table:table-cell>
    <table:table-cell table:style-name="ctime" office:value-type="time" office:time-value="PT08H30M00S"><text:p>08:30:00</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>01234</text:p></table:table-cell>
    <table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value=""><text:p>#N/A</text:p></table:table-cell>
    <table:table-cell table:style-name="cdur" office:value-type="time" office:time-value="PT36H00M00S"><text:p>36:00:00</text:p></table:table-cell>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="float" office:value="2"><text:p>2</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>Bjørn Ñúñez</text:p></table:table-cell>
    <table:table-cell office:value-type="float" office:value="-3"><text:p>-3</text:p></table:table-cell>
    <table:table-cell table:style-name="cbool" office:value-type="boolean" office:boolean-value="false"><text:p>FALSE</text:p></table:table-cell>
    <table:table-cell table:style-name="cdate" office:value-type="date" office:date-value="1999-12-31"><text:p>1999-12-31</text:p></table:table-cell>
    <table:table-cell table:style-name="cdt" office:value-type="date" office:date-value="2024-02-29T23:59:59"><text:p>2024-02-29 23:59:59</text:p></table:table-cell>
    <table:table-cell table:style-name="ctime" office:value-type="time" office:time-value="PT23H59M59S"><text:p>23:59:59</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>90210</text:p></table:table-cell>
    <table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value=""><text:p>#DIV/0!</text:p></table:table-cell>
   </table:table-row>
   <table:table-row><table:table-cell table:number-columns-repeated="10"/></table:table-row>
   <table:table-row>
    <table:table-cell table:formula="of:=[.A2]+[.A3]" office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>
    <table:table-cell table:formula="of:=UPPER([.B2])" office:value-type="string" office:string-value="ADA LOVELACE"><text:p>ADA LOVELACE</text:p></table:table-cell>
    <table:table-cell table:formula="of:=[.C2]*2" office:value-type="float" office:value="25"><text:p>25</text:p></table:table-cell>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="float" office:value="4"><text:p>4</text:p></table:table-cell>
    <table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>merged</text:p></table:table-cell><table:covered-table-cell/>
    <table:table-cell table:style-name="cbool" office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>
   </table:table-row>
  </table:table>
  <table:table table:name="Hidden" table:style-name="hidden">
   <table:table-row><table:table-cell office:value-type="string"><text:p>secret</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>more</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="2"><text:p>2</text:p></table:table-cell></table:table-row>
  </table:table>
  <table:table table:name="Empty"><table:table-row><table:table-cell/></table:table-row></table:table>
 </office:spreadsheet></office:body>
</office:document>
XML

# A workbook in the 1904 date system (LibreOffice calls it the null date).
cat > "$work/dates1904.fods" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="Ndate"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
  <style:style style:name="cdate" style:family="table-cell" style:data-style-name="Ndate"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  <table:calculation-settings><table:null-date table:date-value="1904-01-01"/></table:calculation-settings>
  <table:table table:name="Dates">
   <table:table-row><table:table-cell office:value-type="string"><text:p>day</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>n</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell table:style-name="cdate" office:value-type="date" office:date-value="2024-03-05"><text:p>2024-03-05</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell table:style-name="cdate" office:value-type="date" office:date-value="1904-01-02"><text:p>1904-01-02</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="2"><text:p>2</text:p></table:table-cell></table:table-row>
  </table:table>
 </office:spreadsheet></office:body>
</office:document>
XML

# A workbook whose only sheet is empty.
cat > "$work/empty.fods" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:body><office:spreadsheet>
  <table:table table:name="Sheet1"><table:table-row><table:table-cell/></table:table-row></table:table>
 </office:spreadsheet></office:body>
</office:document>
XML

convert() { # source target-extension filter [filter-options]
  soffice --headless --norestore --convert-to "$2:$3" --outdir "$work" "$work/$1" >/dev/null 2>&1
}
convert sample.fods xlsx "Calc MS Excel 2007 XML"
convert sample.fods xls "MS Excel 97"
convert sample.fods ods "calc8"
convert dates1904.fods xlsx "Calc MS Excel 2007 XML"
convert empty.fods xlsx "Calc MS Excel 2007 XML"
cp "$work/sample.xlsx" "$work/sample.xls" "$work/sample.ods" "$out/"
cp "$work/dates1904.xlsx" "$work/empty.xlsx" "$out/"

# Password-protected copies (password `secret`): xls and ods saved by LibreOffice through UNO.
cat > "$work/encrypt.py" <<'PY'
import subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

src, port, outs = sys.argv[1], sys.argv[2], sys.argv[3:]
office = subprocess.Popen(["soffice", "--headless", "--norestore", "--invisible",
                           f"--accept=socket,host=127.0.0.1,port={port};urp;"])
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(150):
        try:
            ctx = resolver.resolve(
                f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.2)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                       (prop("Hidden", True),))
    for path, filt in zip(outs[0::2], outs[1::2]):
        doc.storeToURL(uno.systemPathToFileUrl(path),
                       (prop("FilterName", filt), prop("Password", "secret")))
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    office.wait(timeout=60)
PY
/usr/bin/python3 "$work/encrypt.py" "$work/sample.xlsx" 20871 \
  "$work/encrypted.xls" "MS Excel 97" "$work/encrypted.ods" calc8 >/dev/null 2>&1
cp "$work/encrypted.xls" "$work/encrypted.ods" "$out/"
# The xlsx: ECMA-376 agile encryption by msoffcrypto-tool.
.venv/bin/python - "$out/sample.xlsx" "$out/encrypted.xlsx" <<'PY'
import sys
from msoffcrypto.format.ooxml import OOXMLFile
with open(sys.argv[1], "rb") as src, open(sys.argv[2], "wb") as dst:
    OOXMLFile(src).encrypt("secret", dst)
PY
# xlsb: LibreOffice reads it but cannot write it, so it is built record by record here
# ([MS-XLSB] 2.1.4 record layout: a 1–2 byte type and a 1–4 byte length, 7 bits each; 2.4 the
# records). Small, but every cell record kind calamine reads: RK integers (and RK ÷ 100), doubles,
# booleans, errors, shared and inline strings, a cached formula number, a built-in date format
# (14) and a custom date-time format.
python3 - "$out/sample.xlsb" <<'PY'
import struct, sys, zipfile

def varint_type(t):
    return bytes([t]) if t < 0x80 else bytes([(t & 0x7F) | 0x80, t >> 7])

def varint_len(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)

def rec(t, data=b""):
    return varint_type(t) + varint_len(len(data)) + data

def wide(s):
    u = s.encode("utf-16-le")
    return struct.pack("<I", len(u) // 2) + u

def cell(col, style, extra):
    return struct.pack("<I", col) + struct.pack("<I", style & 0xFFFFFF) + extra

def rk_int(n, d100=False):
    return struct.pack("<i", (n << 2) | 2 | (1 if d100 else 0))

strings = ["id", "name", "amount", "paid", "day", "stamp", "check", "Ada Lovelace"]
S = {s: i for i, s in enumerate(strings)}

sst = rec(0x009F, struct.pack("<II", len(strings), len(strings)))
for s in strings:
    sst += rec(0x0013, b"\x00" + wide(s))
sst += rec(0x00A0)

styles = rec(0x0267, struct.pack("<I", 1)) + rec(0x002C, struct.pack("<H", 164) + wide("yyyy-mm-dd hh:mm:ss")) + rec(0x0268)
styles += rec(0x0269, struct.pack("<I", 3))
for fmt in (0, 14, 164):
    styles += rec(0x002F, struct.pack("<HH", 0xFFFF, fmt) + bytes(12))
styles += rec(0x026A)

workbook = rec(0x0083) + rec(0x0099, struct.pack("<II", 0, 0) + wide(""))
workbook += rec(0x008F)
workbook += rec(0x009C, struct.pack("<II", 0, 1) + wide("rId1") + wide("Data"))
workbook += rec(0x0090)
workbook += rec(0x009D, bytes(30)) + rec(0x0084)

def row(r):
    return rec(0x0000, struct.pack("<I", r) + bytes(13))

sheet = rec(0x0081) + rec(0x0094, struct.pack("<IIII", 0, 4, 0, 6)) + rec(0x0091)
sheet += row(0)
for c, name in enumerate(strings[:7]):
    sheet += rec(0x0007, cell(c, 0, struct.pack("<I", S[name])))
sheet += row(1)
sheet += rec(0x0002, cell(0, 0, rk_int(1)))
sheet += rec(0x0007, cell(1, 0, struct.pack("<I", S["Ada Lovelace"])))
sheet += rec(0x0005, cell(2, 0, struct.pack("<d", 12.5)))
sheet += rec(0x0004, cell(3, 0, b"\x01"))
sheet += rec(0x0005, cell(4, 1, struct.pack("<d", 45356.0)))
sheet += rec(0x0005, cell(5, 2, struct.pack("<d", 45356.5732638889)))
sheet += rec(0x0003, cell(6, 0, b"\x2A"))
sheet += row(2)
sheet += rec(0x0002, cell(0, 0, rk_int(2)))
sheet += rec(0x0006, cell(1, 0, wide("Bjørn Ñúñez")))
sheet += rec(0x0002, cell(2, 0, rk_int(-300, d100=True)))
sheet += rec(0x0004, cell(3, 0, b"\x00"))
sheet += rec(0x0002, cell(4, 1, rk_int(36525)))
sheet += rec(0x0009, cell(5, 0, struct.pack("<d", 3.0) + bytes(6)))
sheet += rec(0x0003, cell(6, 0, b"\x07"))
sheet += row(4)
sheet += rec(0x0002, cell(0, 0, rk_int(4)))
sheet += rec(0x0092) + rec(0x0082)

rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/>'
        '</Relationships>')
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.bin", workbook)
    z.writestr("xl/_rels/workbook.bin.rels", rels)
    z.writestr("xl/styles.bin", styles)
    z.writestr("xl/sharedStrings.bin", sst)
    z.writestr("xl/worksheets/sheet1.bin", sheet)
PY

ls -l "$out"
