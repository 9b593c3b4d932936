//! Whole-file type inference and the parsing functions the loader converts with.
