//! Spreadsheets through calamine: xlsx, xlsm, xlsb, xls, ods.
