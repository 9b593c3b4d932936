//! The one interface every reader offers: a lending cursor over rows.

use encoding_rs::Encoding;

use crate::{Field, ReadError};

/// A cursor over a file's records. After [`advance`](RowSource::advance) returns `Ok(true)`,
/// the accessors describe the current record until the next call.
pub trait RowSource {
    /// Moves to the next record (header rows, blank and comment lines already skipped).
    /// `Ok(false)` at the end of the data.
    fn advance(&mut self) -> Result<bool, ReadError>;
    /// The current record's row number as the user sees it: the 1-based line of the file on
    /// which the record starts (a quoted newline makes a record span lines), or the sheet row.
    fn row_number(&self) -> u64;
    /// Number of fields in the current record.
    fn len(&self) -> usize;
    /// True when the current record has no fields.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Field `i` of the current record; [`Field::Empty`] past the end (ragged rows).
    fn field(&self, i: usize) -> Field<'_>;
    /// The current record's original bytes exactly as in the file (its encoding and quoting,
    /// without the line terminator), where the format has such a thing (delimited text).
    fn raw_record(&self) -> Option<&[u8]> {
        None
    }
    /// The single-byte code page (windows-1252, say) the current record's text was decoded
    /// from, when [`field_code_page_bytes`](RowSource::field_code_page_bytes) offers its fields
    /// as they are in the file: a writer whose target takes that code page copies those bytes
    /// instead of encoding the text again, and any other target transcodes them once. `None`
    /// for UTF-8 and transcoded files, spreadsheets, a record that needed no decoding (all
    /// ASCII: its text is its bytes) or that held a byte the code page does not define.
    fn record_code_page(&self) -> Option<&'static Encoding> {
        None
    }
    /// Field `i` of the current record as its bytes in
    /// [`record_code_page`](RowSource::record_code_page), unquoted and unescaped: exactly the
    /// bytes [`field`](RowSource::field)'s text is decoded from. `None` when that is `None`,
    /// or past the end.
    fn field_code_page_bytes(&self, _i: usize) -> Option<&[u8]> {
        None
    }
    /// Appends every field of [`field_code_page_bytes`](RowSource::field_code_page_bytes) to
    /// `bytes` and each one's `(start, end)` in `bytes` to `spans`, returning the code page;
    /// `None` (and nothing appended) when [`record_code_page`](RowSource::record_code_page)
    /// is. For a caller that copies whole records (the read-ahead): a reader may do it in one
    /// copy.
    fn copy_code_page_fields(
        &self,
        bytes: &mut Vec<u8>,
        spans: &mut Vec<(usize, usize)>,
    ) -> Option<&'static Encoding> {
        let encoding = self.record_code_page()?;
        let (bytes_at, spans_at) = (bytes.len(), spans.len());
        for i in 0..self.len() {
            let Some(b) = self.field_code_page_bytes(i) else {
                bytes.truncate(bytes_at);
                spans.truncate(spans_at);
                return None;
            };
            let start = bytes.len();
            bytes.extend_from_slice(b);
            spans.push((start, bytes.len()));
        }
        Some(encoding)
    }
    /// The current record's fields as one text and the end of each field in it: field `i` is
    /// `text[ends[i - 1]..ends[i]]` (from 0 for the first), and an empty one is
    /// [`Field::Empty`]. For a copier that takes a whole record at once (the read-ahead);
    /// `None` (the default, and wherever an empty field may be something else): field by field.
    fn record_text(&self) -> Option<(&str, &[usize])> {
        None
    }
    /// Bytes of the file consumed so far (for progress).
    fn bytes_read(&self) -> u64;
    /// The file offset at which the record after the current one starts (a reader can go on
    /// from there: [`crate::text::TextReader::seek_to_offset`]), where the format has such a
    /// thing and the reader knows it exactly (delimited text read without transcoding).
    fn resume_offset(&self) -> Option<u64> {
        None
    }
    /// The current record's fields already converted, each under the rule the source was
    /// given for it (a read-ahead converts on its own thread: `ReadAheadOptions::convert`), or
    /// `None`: the caller converts the fields itself. Indexed by the field numbers of
    /// the file the record came from: a source that rearranges fields (the several-files
    /// `Combined`) hands the file's row on, and its caller maps columns to the file's fields.
    #[inline]
    fn converted_row(&self) -> Option<crate::read_ahead::ConvertedRow<'_>> {
        None
    }
}
