//! Prints a workbook's sheets and one sheet's typed fields, for looking at a file by hand:
//! `cargo run -p sluice-files --example sheet_dump -- FILE [SHEET] [HEADER_ROW] [RANGE]`.

use sluice_files::sheet::{SheetOptions, Workbook};
use sluice_files::RowSource;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: sheet_dump FILE [SHEET] [HEADER_ROW] [RANGE]");
        std::process::exit(2);
    };
    if let Err(e) = dump(path, &args[1..]) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

fn dump(path: &str, rest: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let mut wb = Workbook::open(path.as_ref())?;
    println!("format: {}", wb.format().name());
    for s in wb.sheets() {
        println!(
            "sheet {}: {} visible={} worksheet={}",
            s.index, s.name, s.visible, s.is_worksheet
        );
    }
    let options = SheetOptions {
        sheet: rest.first().filter(|s| !s.is_empty()).cloned(),
        header_row: rest.get(1).and_then(|h| h.parse().ok()),
        range: rest.get(2).map(|r| r.parse()).transpose()?,
    };
    if options.sheet.is_none() {
        println!("default: {:?}", wb.default_sheet()?);
    }
    let mut r = wb.reader(&options)?;
    println!("header: {:?}", r.header());
    while r.advance()? {
        let fields: Vec<String> = (0..r.len()).map(|i| format!("{:?}", r.field(i))).collect();
        println!("row {}: {}", r.row_number(), fields.join(" | "));
    }
    println!("bytes read: {}", r.bytes_read());
    Ok(())
}
