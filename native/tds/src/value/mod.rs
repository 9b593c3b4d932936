//! Column values: the decoded form used for query results and the test server's storage.
//!
//! This is *not* the bulk-load hot path: bulk rows are encoded straight from their source into
//! the packet buffer without building a [`Value`]. `Value` serves results read back from a
//! server, the test server's in-memory tables and tests.

/// A date as days since 0001-01-01 (the proleptic Gregorian calendar), the TDS `date` unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub u32);

/// A time of day in units of 10^-scale seconds since midnight, as TDS sends `time(n)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    pub units: u64,
    pub scale: u8,
}

/// An exact decimal: `mantissa × 10^-scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bit(bool),
    TinyInt(u8),
    SmallInt(i16),
    Int(i32),
    BigInt(i64),
    Real(f32),
    Float(f64),
    Decimal(Decimal),
    /// money and smallmoney: the value × 10^4.
    Money(i64),
    Date(Date),
    Time(Time),
    /// datetime: days since 1900-01-01 and 1/300-second ticks since midnight.
    DateTime {
        days: i32,
        ticks: u32,
    },
    /// smalldatetime: days since 1900-01-01 and minutes since midnight.
    SmallDateTime {
        days: u16,
        minutes: u16,
    },
    DateTime2 {
        date: Date,
        time: Time,
    },
    /// `date` and `time` are UTC; `offset_minutes` is the offset of the local time from UTC.
    DateTimeOffset {
        date: Date,
        time: Time,
        offset_minutes: i16,
    },
    /// The 16 bytes in display order: the string `00112233-4455-…` is bytes 0x00, 0x11, ….
    Guid([u8; 16]),
    String(String),
    Binary(Vec<u8>),
}

pub mod decode;
pub mod encode;
mod large;
pub mod text;
pub mod variant;

pub use text::ConvertError;
