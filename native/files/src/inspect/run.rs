//! The driver behind [`preview`] and [`inspect`]: open the right reader, take the first records,
//! decide the header, then observe rows.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::format::{is_xlsm, sniff, FileKind};
use super::{
    DetectionEvidence, HeaderSetting, Inspection, Options, Preview, PreviewColumn, Progress,
    DEFAULT_PREVIEW_ROWS, HEADER_SAMPLE_ROWS,
};
use crate::infer::cell_text::render_cell;
use crate::infer::{
    detect_header, header_names, HeaderChoice, InferOptions, Inferrer, NullPolicy, RecordSample,
};
use crate::read_ahead::{with_read_ahead, ReadAheadOptions};
use crate::sheet::{CellRange, SheetInfo, SheetOptions, Workbook};
use crate::text::{EscapeStyle, TextReader};
use crate::{Field, ReadError, ReadErrorKind, RowSource};

/// Progress is reported at most this often (and once at the end).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// Rows between looks at the clock and the cancel flag.
const CHECK_ROWS: u64 = 1024;

/// What the opened reader says about the file, before any row is taken.
struct Setup {
    format: String,
    encoding: Option<String>,
    delimiter: Option<String>,
    quote: Option<String>,
    escape: Option<EscapeStyle>,
    sheets: Vec<SheetInfo>,
    sheet: Option<String>,
    /// A spreadsheet header row the reader already read (`HeaderSetting::Row`).
    reader_header: Option<Vec<String>>,
    detection: DetectionEvidence,
}

/// The first records, the header decision and the inferrer that has seen the data among them.
struct Started {
    sample: RecordSample,
    /// Index in `sample` of the first data record (1 when record 1 is the header).
    data_from: usize,
    has_header: bool,
    inferrer: Inferrer,
}

/// The first rows of `path` (default 100) with the detected settings. Reads a bounded amount:
/// the detection sample of a text file (1 MiB) and the rows shown.
pub fn preview(path: &Path, options: &Options) -> Result<Preview, ReadError> {
    with_source(path, options, PreviewJob { options })
}

struct PreviewJob<'a> {
    options: &'a Options,
}

impl SourceJob for PreviewJob<'_> {
    type Out = Preview;

    fn run<S: RowSource + Send>(self, src: &mut S, mut setup: Setup) -> Result<Preview, ReadError> {
        let options = self.options;
        let rows = options.preview_rows.unwrap_or(DEFAULT_PREVIEW_ROWS);
        let started = start(src, &mut setup, options, rows, rows as u64)?;
        let data = started.sample.fields();
        let data = data.get(started.data_from..).unwrap_or_default();
        let data = data.get(..rows.min(data.len())).unwrap_or_default();
        let columns = started
            .inferrer
            .finish()
            .into_iter()
            .map(|c| PreviewColumn {
                name: c.name,
                proposed_name: c.proposed_name,
                sql_type: c.sql_type,
                nullable: c.nullable,
            })
            .collect();
        let row_numbers = (started.data_from..started.sample.len())
            .take(rows)
            .filter_map(|i| started.sample.row_number(i))
            .collect();
        Ok(Preview {
            format: setup.format,
            encoding: setup.encoding,
            delimiter: setup.delimiter,
            quote: setup.quote,
            escape: setup.escape,
            has_header: started.has_header,
            sheets: setup.sheets,
            sheet: setup.sheet,
            columns,
            rows: data
                .iter()
                .map(|r| r.iter().map(|f| display(*f)).collect())
                .collect(),
            row_numbers,
            detection: setup.detection,
        })
    }
}

/// Infers the schema of the whole file (or of its first `options.sample` data rows).
/// `on_progress` gets (bytes read, rows) at most every 100 ms while reading (the totals are in
/// the result: [`Inspection::bytes_read`], [`Inspection::row_count`]); setting
/// `cancel` stops the reading with [`ReadErrorKind::Cancelled`] within about a thousand rows.
pub fn inspect(
    path: &Path,
    options: &Options,
    on_progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Inspection, ReadError> {
    with_source(
        path,
        options,
        InspectJob {
            path,
            options,
            on_progress,
            cancel,
        },
    )
}

struct InspectJob<'a> {
    path: &'a Path,
    options: &'a Options,
    on_progress: &'a mut dyn FnMut(Progress),
    cancel: &'a AtomicBool,
}

impl SourceJob for InspectJob<'_> {
    type Out = Inspection;

    fn run<S: RowSource + Send>(
        self,
        src: &mut S,
        mut setup: Setup,
    ) -> Result<Inspection, ReadError> {
        let InspectJob {
            path,
            options,
            on_progress,
            cancel,
        } = self;
        let cancelled = |bytes: u64| ReadError {
            file: path.to_path_buf(),
            byte_offset: Some(bytes),
            row: None,
            column: None,
            kind: ReadErrorKind::Cancelled,
        };
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled(src.bytes_read()));
        }
        let limit = options.sample.unwrap_or(u64::MAX);
        let first = usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .min(HEADER_SAMPLE_ROWS);
        let mut started = start(src, &mut setup, options, first, limit)?;
        let inferrer = &mut started.inferrer;
        // The rest of the file: a second thread reads and splits it while this one infers.
        let (complete, bytes_read) = with_read_ahead(src, ReadAheadOptions::default(), |src| {
            let mut last = Instant::now();
            let mut complete = true;
            loop {
                let seen = inferrer.rows();
                if seen >= limit {
                    complete = false;
                    break;
                }
                if seen % CHECK_ROWS == 0 {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(cancelled(src.bytes_read()));
                    }
                    if last.elapsed() >= PROGRESS_EVERY {
                        last = Instant::now();
                        on_progress(Progress {
                            bytes_read: src.bytes_read(),
                            rows: seen,
                        });
                    }
                }
                if !src.advance()? {
                    break;
                }
                inferrer.observe(src);
            }
            // A sample that ends exactly at the end of the data is the whole file.
            if !complete && !src.advance()? {
                complete = true;
            }
            Ok((complete, src.bytes_read()))
        })?;
        Ok(Inspection {
            bytes_read,
            format: setup.format,
            encoding: setup.encoding,
            delimiter: setup.delimiter,
            quote: setup.quote,
            escape: setup.escape,
            has_header: started.has_header,
            row_count: inferrer.rows(),
            complete,
            sheet: setup.sheet,
            columns: inferrer.finish(),
            detection: setup.detection,
        })
    }
}

/// What runs over the opened reader: generic over the reader so the per-field calls of the
/// hot loop are static, not virtual.
trait SourceJob {
    type Out;
    fn run<S: RowSource + Send>(self, src: &mut S, setup: Setup) -> Result<Self::Out, ReadError>;
}

/// Opens `path` with the reader its content calls for and runs `f` over it.
fn with_source<J: SourceJob>(path: &Path, options: &Options, job: J) -> Result<J::Out, ReadError> {
    let invalid = |m: String| ReadError {
        file: path.to_path_buf(),
        byte_offset: None,
        row: None,
        column: None,
        kind: ReadErrorKind::Invalid(m),
    };
    if let Some(label) = options.varchar_code_page.as_deref() {
        super::code_page_encoding(label).map_err(invalid)?;
    }
    match sniff(path)? {
        FileKind::Text => {
            if options.sheet.is_some() || options.range.is_some() {
                return Err(invalid(
                    "--sheet and --range apply to spreadsheets; this file is delimited text"
                        .to_string(),
                ));
            }
            let text_options = options.text_options();
            let mut reader = TextReader::open(path, &text_options)?;
            let d = reader.detection();
            let delimiter = d.dialect.delimiter;
            let setup = Setup {
                format: if delimiter == b'\t' { "tsv" } else { "csv" }.to_string(),
                encoding: Some(d.encoding.name.to_string()),
                delimiter: Some(char::from(delimiter).to_string()),
                quote: d.dialect.quote.map(|q| char::from(q).to_string()),
                escape: d.dialect.quote.map(|_| d.dialect.escape),
                sheets: Vec::new(),
                sheet: None,
                reader_header: None,
                detection: DetectionEvidence {
                    encoding: Some(d.encoding.evidence.clone()),
                    delimiter: Some(d.delimiter_evidence.clone()),
                    escape: Some(d.escape_evidence.clone()),
                    quote: Some(d.quote_evidence.clone()),
                    header: String::new(),
                    sheet: None,
                },
            };
            if let HeaderSetting::Row(n) = options.header {
                if n == 0 {
                    return Err(invalid(
                        "the header row is 1-based; 0 is no row".to_string(),
                    ));
                }
                // Records above the header are not data.
                for _ in 1..n {
                    if !reader.advance()? {
                        break;
                    }
                }
            }
            job.run(&mut reader, setup)
        }
        FileKind::Workbook => {
            if options.has_text_settings() {
                return Err(invalid(
                    "--delimiter, --encoding, --quote and --escape apply to delimited text; this \
                     file is a workbook"
                        .to_string(),
                ));
            }
            let range = match &options.range {
                Some(r) => Some(r.parse::<CellRange>().map_err(|e| invalid(e.to_string()))?),
                None => None,
            };
            let mut wb = Workbook::open(path)?;
            let format = match wb.format().name() {
                "xlsx" if is_xlsm(path) => "xlsm",
                other => other,
            }
            .to_string();
            let sheets = wb.sheets().to_vec();
            let (sheet, reason) = match &options.sheet {
                Some(s) => {
                    let info = wb.find_sheet(s)?;
                    (info.name.clone(), format!("chosen by the user ({s})"))
                }
                None => {
                    let c = wb.default_sheet()?;
                    (c.name, c.reason)
                }
            };
            let header_row = match options.header {
                HeaderSetting::Row(n) => Some(n),
                _ => None,
            };
            let mut reader = wb.reader(&SheetOptions {
                sheet: Some(sheet.clone()),
                range,
                header_row,
            })?;
            let setup = Setup {
                format,
                encoding: None,
                delimiter: None,
                quote: None,
                escape: None,
                sheets,
                sheet: Some(sheet),
                reader_header: header_row.map(|_| reader.header().to_vec()),
                detection: DetectionEvidence {
                    encoding: None,
                    delimiter: None,
                    escape: None,
                    quote: None,
                    header: String::new(),
                    sheet: Some(reason),
                },
            };
            job.run(&mut reader, setup)
        }
    }
}

/// Takes `rows` records (one more when record 1 may be the header), decides the header and lets
/// a new inferrer observe the first `observe_max` data records among them.
fn start<S: RowSource>(
    src: &mut S,
    setup: &mut Setup,
    options: &Options,
    rows: usize,
    observe_max: u64,
) -> Result<Started, ReadError> {
    let header_in_data = setup.reader_header.is_none();
    let want = if header_in_data {
        rows.saturating_add(1)
    } else {
        rows
    };
    let mut sample = RecordSample::default();
    while sample.len() < want && src.advance()? {
        sample.push_current(src);
    }
    let fields = sample.fields();
    let choice = match options.header {
        HeaderSetting::Detect => HeaderChoice::Detect,
        HeaderSetting::Row(_) => HeaderChoice::Present,
        HeaderSetting::Absent => HeaderChoice::Absent,
    };
    let (has_header, names, data_from) = match setup.reader_header.take() {
        Some(names) => {
            setup.detection.header = format!(
                "set by the user: sheet row {} holds the names",
                match options.header {
                    HeaderSetting::Row(n) => n,
                    _ => 0,
                }
            );
            (true, Some(names), 0)
        }
        None => {
            let decision = detect_header(&fields, choice);
            setup.detection.header = decision.evidence;
            if decision.has_header {
                let names = fields.first().map(|r| header_names(r)).unwrap_or_default();
                (true, Some(names), 1)
            } else {
                (false, None, 0)
            }
        }
    };
    let data_from = data_from.min(fields.len());
    // Checked in `with_source`, with the file's name.
    let varchar_code_page = options
        .varchar_code_page
        .as_deref()
        .and_then(|label| super::code_page_encoding(label).ok());
    let infer_options = InferOptions {
        nulls: match &options.null_tokens {
            Some(t) => NullPolicy::new(t.iter().cloned(), true),
            None => NullPolicy::default(),
        },
        varchar_code_page,
        ..InferOptions::default()
    };
    let mut inferrer = Inferrer::new(infer_options, names);
    let keep = usize::try_from(observe_max).unwrap_or(usize::MAX);
    for (i, record) in fields.iter().enumerate().skip(data_from).take(keep) {
        inferrer.observe_fields(sample.row_number(i).unwrap_or(0), record);
    }
    drop(fields);
    Ok(Started {
        sample,
        data_from,
        has_header,
        inferrer,
    })
}

/// A field as a preview shows it.
fn display(field: Field<'_>) -> Option<String> {
    match field {
        Field::Empty => None,
        Field::Text(s) | Field::Error(s) => Some(s.to_string()),
        cell => render_cell(cell).map(|t| t.as_str().to_string()),
    }
}
