//! Opening a file for the loader: delimited text through [`TextReader`], spreadsheets through
//! [`Workbook`]/[`SheetReader`], both as a [`RowSource`], with the header record decided once
//! and skipped. The format comes from the file's first bytes ([`format::sniff`]), never its
//! name: a CSV named `.xlsx` is read as text, a workbook without an extension as a workbook.

use std::path::{Path, PathBuf};

use sluice_files::infer::{detect_header, header_names, HeaderChoice, RecordSample};
use sluice_files::inspect::format::{self, FileKind};
use sluice_files::sheet::{SheetOptions, Workbook};
use sluice_files::text::{EscapeStyle, QuoteSetting, TextOptions, TextReader};
use sluice_files::{Field, ReadError, RowSource};

use crate::infer_cache::ReadSettings;

/// Records looked at to decide whether record 1 is a header.
const HEADER_SAMPLE: usize = 50;

/// How to read one file.
#[derive(Debug, Clone, Default)]
pub struct SourceSpec {
    pub path: PathBuf,
    pub delimiter: Option<u8>,
    pub encoding: Option<String>,
    /// The quote character or quoting off; `None`: detected.
    pub quote: Option<QuoteSetting>,
    pub escape: Option<EscapeStyle>,
    pub sheet: Option<String>,
    /// `None`: decided from the data.
    pub has_header: Option<bool>,
    /// Go on from this file offset (a resume), past the header, when the reader can.
    pub resume_offset: Option<u64>,
}

/// What opening a file learned: the header names, the header record's raw bytes (for the reject
/// file), and the delimiter of delimited text.
#[derive(Debug, Clone, Default)]
pub struct SourceInfo {
    pub has_header: bool,
    pub header: Vec<String>,
    pub raw_header: Option<Vec<u8>>,
    pub delimiter: u8,
    pub is_sheet: bool,
    /// The reader went straight to `SourceSpec::resume_offset`.
    pub resumed_at: Option<u64>,
    /// The settings the file is read with in the end (detected where not given).
    pub read_as: crate::infer_cache::ReadSettings,
}

impl SourceSpec {
    /// The text reader's options for this spec (what it leaves open is detected).
    pub fn text_options(&self) -> TextOptions {
        let mut o = TextOptions {
            delimiter: self.delimiter,
            encoding: self.encoding.clone(),
            escape: self.escape,
            ..Default::default()
        };
        o.set_quote(self.quote);
        o
    }
}

/// True when the file's first bytes are a workbook container (zip or OLE).
fn is_sheet(path: &Path) -> Result<bool, crate::LoadError> {
    Ok(format::sniff(path).map_err(read_error)? == FileKind::Workbook)
}

/// Opens `spec`, positions past the header (when there is one) and calls `f` with the source.
pub fn with_source<T>(
    spec: &SourceSpec,
    f: impl FnOnce(&mut (dyn RowSource + Send), &SourceInfo) -> Result<T, crate::LoadError>,
) -> Result<T, crate::LoadError> {
    if is_sheet(&spec.path)? {
        let mut wb = Workbook::open(&spec.path).map_err(read_error)?;
        let opts = SheetOptions {
            sheet: spec.sheet.clone(),
            ..Default::default()
        };
        let info = {
            let mut reader = wb.reader(&opts).map_err(read_error)?;
            sniff(&mut reader, spec, b',', true)?
        };
        let mut reader = wb.reader(&opts).map_err(read_error)?;
        if info.has_header {
            reader.advance().map_err(read_error)?;
        }
        let mut info = info;
        info.read_as = ReadSettings {
            sheet: Some(reader.sheet_name().to_string()),
            has_header: Some(info.has_header),
            ..Default::default()
        };
        return f(&mut reader, &info);
    }
    let mut reader = TextReader::open(&spec.path, &spec.text_options()).map_err(read_error)?;
    let delimiter = reader.detection().dialect.delimiter;
    let info = sniff(&mut reader, spec, delimiter, false)?;
    reader.rewind().map_err(read_error)?;
    if info.has_header {
        reader.advance().map_err(read_error)?;
    }
    let mut info = info;
    let detected = reader.detection();
    info.read_as = ReadSettings::new(
        Some(detected.dialect.delimiter),
        Some(detected.encoding.name),
        Some(
            detected
                .dialect
                .quote
                .map_or(QuoteSetting::Off, QuoteSetting::Char),
        ),
        Some(detected.dialect.escape),
        None,
        Some(info.has_header),
    );
    if let Some(offset) = spec.resume_offset {
        if reader.seek_to_offset(offset).map_err(read_error)? {
            info.resumed_at = Some(offset);
        }
    }
    f(&mut reader, &info)
}

/// Reads the first records and decides the header.
fn sniff(
    src: &mut dyn RowSource,
    spec: &SourceSpec,
    delimiter: u8,
    is_sheet: bool,
) -> Result<SourceInfo, crate::LoadError> {
    let mut sample = RecordSample::default();
    let mut raw_first = None;
    while sample.len() < HEADER_SAMPLE && src.advance().map_err(read_error)? {
        if sample.is_empty() {
            // A sheet has no raw bytes: its header row goes to the reject file as a CSV line,
            // as its rejected rows do.
            raw_first = match src.raw_record() {
                Some(raw) => Some(raw.to_vec()),
                None => {
                    let mut line = Vec::new();
                    render_csv(&*src, &mut line);
                    Some(line)
                }
            };
        }
        sample.push_current(src);
    }
    let records = sample.fields();
    let choice = match spec.has_header {
        None => HeaderChoice::Detect,
        Some(true) => HeaderChoice::Present,
        Some(false) => HeaderChoice::Absent,
    };
    let decision = detect_header(&records, choice);
    let header = match (decision.has_header, records.first()) {
        (true, Some(first)) => header_names(first),
        _ => Vec::new(),
    };
    Ok(SourceInfo {
        has_header: decision.has_header && !records.is_empty(),
        header,
        raw_header: if decision.has_header { raw_first } else { None },
        delimiter,
        is_sheet,
        resumed_at: None,
        read_as: ReadSettings::default(),
    })
}

pub(crate) fn read_error(e: ReadError) -> crate::LoadError {
    crate::LoadError::input(e.to_string())
}

/// A spreadsheet row rendered as one CSV line (for the reject file: a sheet has no raw bytes).
pub fn render_csv(src: &dyn RowSource, out: &mut Vec<u8>) {
    for i in 0..src.len() {
        if i > 0 {
            out.push(b',');
        }
        match src.field(i) {
            Field::Empty => {}
            Field::Text(s) | Field::Error(s) => push_csv_field(s, out),
            Field::Int(v) => out.extend_from_slice(v.to_string().as_bytes()),
            Field::Float(v) => out.extend_from_slice(v.to_string().as_bytes()),
            Field::Bool(b) => out.extend_from_slice(if b { b"TRUE" } else { b"FALSE" }),
            Field::DateTime(dt) => {
                let text = sluice_files::infer::cell_text::render_cell(Field::DateTime(dt));
                push_csv_field(text.as_ref().map_or("", |t| t.as_str()), out);
            }
        }
    }
}

/// Writes `s` as an RFC 4180 field: quoted (quotes doubled) when it holds a delimiter, quote or
/// line break.
pub fn push_csv_field(s: &str, out: &mut Vec<u8>) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}
