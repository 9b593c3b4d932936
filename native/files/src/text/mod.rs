//! Delimited text (CSV, TSV, …): encodings, dialect and header detection, the streaming reader.
