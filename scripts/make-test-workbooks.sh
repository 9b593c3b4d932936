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
ls -l "$out"
