//! Arbitrary bytes as a workbook: open, pick the default sheet, read every cell. Nothing may
//! panic out of the reader, hang or grow without bound; every failure is a `ReadError`.
//!
//! The first byte picks how the rest is used, so the fuzzer reaches past the zip and compound
//! file containers into the parsers behind them:
//! 0: the raw file (zip, OLE/xls, text, anything);
//! 1: the xlsx test workbook with its Orders worksheet XML replaced by the bytes;
//! 2: the same with its shared-strings part replaced;
//! 3: the ods test workbook with its content.xml replaced;
//! 4: the xlsb test workbook with its worksheet records replaced;
//! 5: an OLE compound file whose `Workbook` stream is the bytes (BIFF records, as in an xls).
//!
//! calamine itself panics on some malformed input; `SheetReader` catches those panics and
//! reports an error. libfuzzer-sys aborts on any panic, even a caught one, so the target
//! installs a panic hook that only notes where: a panic that escapes the reader still aborts
//! (libfuzzer-sys checks the unwind), a caught one does not.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_files::sheet::{SheetOptions, Workbook};
use sluice_files::RowSource;
use std::io::{Read, Write};
use std::sync::OnceLock;

static XLSX: &[u8] = include_bytes!("../../files/testdata/sample.xlsx");
static ODS: &[u8] = include_bytes!("../../files/testdata/sample.ods");
static XLSB: &[u8] = include_bytes!("../../files/testdata/sample.xlsb");

fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("test workbook");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("inflate");
            (f.name().expect("name").to_string(), data)
        })
        .collect()
}

fn with_part(template: &[(String, Vec<u8>)], part: &str, bytes: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    for (name, data) in template {
        w.start_file(name.as_str(), opts).expect("zip");
        w.write_all(if name == part { bytes } else { data }).expect("zip");
    }
    w.finish().expect("zip").into_inner()
}

fn compound_file(workbook: &[u8]) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    cfb.create_stream("/Workbook")
        .and_then(|mut s| s.write_all(workbook))
        .expect("cfb stream");
    cfb.flush().expect("cfb flush");
    cfb.into_inner().into_inner()
}

fn path() -> &'static std::path::Path {
    static P: OnceLock<std::path::PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        // Quiet for the panics the reader catches, but a one-line note of each, so a panic
        // that cannot unwind (and aborts) is still explained in the log.
        std::panic::set_hook(Box::new(|info| {
            let at = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
            eprintln!("sheet_reader: panic at {}", at.unwrap_or_default());
        }));
        std::env::temp_dir().join(format!("sluice-fuzz-sheet-{}", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    type Parts = Vec<(String, Vec<u8>)>;
    static TEMPLATES: OnceLock<(Parts, Parts, Parts)> = OnceLock::new();
    let (xlsx, ods, xlsb) = TEMPLATES.get_or_init(|| (entries(XLSX), entries(ODS), entries(XLSB)));
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let file = match mode % 6 {
        0 => rest.to_vec(),
        1 => with_part(xlsx, "xl/worksheets/sheet2.xml", rest),
        2 => with_part(xlsx, "xl/sharedStrings.xml", rest),
        3 => with_part(ods, "content.xml", rest),
        4 => with_part(xlsb, "xl/worksheets/sheet1.bin", rest),
        _ => compound_file(rest),
    };
    let path = path();
    std::fs::write(path, &file).expect("temp file");
    let Ok(mut wb) = Workbook::open(path) else {
        return;
    };
    let sheets: Vec<String> = wb.sheets().iter().map(|s| s.name.clone()).collect();
    let _ = wb.default_sheet();
    for name in sheets {
        let options = SheetOptions {
            sheet: Some(name),
            header_row: Some(1),
            ..Default::default()
        };
        let Ok(mut r) = wb.reader(&options) else {
            continue;
        };
        let mut rows = 0u32;
        while let Ok(true) = r.advance() {
            for i in 0..r.len().min(20_000) {
                let _ = r.field(i);
            }
            rows += 1;
            assert!(rows <= 1_048_576, "more rows than a sheet has");
        }
    }
});
