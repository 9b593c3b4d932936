//! SQL Server column types as they travel in TYPE_INFO (MS-TDS 2.2.5.4) and as they are
//! declared in SQL (`CREATE TABLE`, `INSERT BULK`).

use crate::collation::Collation;

/// Length of a variable-length column: a number, or `(max)` (sent as PLP, MS-TDS 2.2.5.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VarLen {
    /// Declared length: bytes for varchar/varbinary, characters for nvarchar.
    Len(u16),
    Max,
}

/// A column's SQL type with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqlType {
    Bit,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Real,
    Float,
    Decimal {
        precision: u8,
        scale: u8,
    },
    Numeric {
        precision: u8,
        scale: u8,
    },
    Money,
    SmallMoney,
    Date,
    /// `scale` is the number of fractional-second digits, 0..=7.
    Time {
        scale: u8,
    },
    DateTime,
    SmallDateTime,
    DateTime2 {
        scale: u8,
    },
    DateTimeOffset {
        scale: u8,
    },
    UniqueIdentifier,
    Char {
        len: u16,
        collation: Collation,
    },
    VarChar {
        len: VarLen,
        collation: Collation,
    },
    /// `len` in characters (the wire carries bytes, twice as many).
    NChar {
        len: u16,
        collation: Collation,
    },
    NVarChar {
        len: VarLen,
        collation: Collation,
    },
    Binary {
        len: u16,
    },
    VarBinary {
        len: VarLen,
    },
    /// `text` (deprecated): character data in the collation's code page, sent with a text
    /// pointer (MS-TDS 2.2.5.4.2 LONGLEN_TYPE).
    Text {
        collation: Collation,
    },
    /// `ntext` (deprecated): UTF-16 text, sent like `text`.
    NText {
        collation: Collation,
    },
    /// `image` (deprecated): binary data, sent like `text`.
    Image,
    /// `xml`, sent as PLP UTF-16 (MS-TDS 2.2.5.5.3). A schema collection bound to the column is
    /// read from TYPE_INFO and not kept: values travel the same way with or without one.
    Xml,
    /// `sql_variant`: each value carries its own base type (MS-TDS 2.2.5.5.4).
    Variant,
    /// A CLR user-defined type; values are the type's serialized bytes, sent as PLP.
    Udt {
        kind: UdtKind,
    },
}

/// The CLR user-defined types SQL Server ships, told apart by their type name in UDT_INFO
/// (MS-TDS 2.2.5.5.5.2); any other user-defined type is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UdtKind {
    HierarchyId,
    Geometry,
    Geography,
    Other,
}

impl UdtKind {
    /// The type's name as SQL declares it (`udt` for a user's own type, whose name is not kept).
    pub fn name(self) -> &'static str {
        match self {
            UdtKind::HierarchyId => "hierarchyid",
            UdtKind::Geometry => "geometry",
            UdtKind::Geography => "geography",
            UdtKind::Other => "udt",
        }
    }

    /// The kind for a UDT_INFO type name (case-insensitive, as SQL Server's names are).
    pub fn from_type_name(name: &str) -> UdtKind {
        match name.to_ascii_lowercase().as_str() {
            "hierarchyid" => UdtKind::HierarchyId,
            "geometry" => UdtKind::Geometry,
            "geography" => UdtKind::Geography,
            _ => UdtKind::Other,
        }
    }
}

/// How a column's type is written in TYPE_INFO.
///
/// SQL Server describes NOT NULL fixed-length columns with the fixed forms (INT4 0x38, BIT 0x32…)
/// and nullable ones with the "N" forms (INTN 0x26 + length…); the row encoding differs (the
/// fixed forms carry no length byte), so a decoder must remember which it saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypeInfo {
    pub ty: SqlType,
    /// True when the wire form is a fixed-length type with no length prefix in rows.
    pub fixed: bool,
}

impl TypeInfo {
    /// The nullable ("N") wire form, which can carry NULL; what clients send in bulk loads.
    pub fn nullable(ty: SqlType) -> Self {
        TypeInfo { ty, fixed: false }
    }
}

/// Column flags from COLMETADATA (MS-TDS 2.2.7.4).
pub mod column_flags {
    pub const NULLABLE: u16 = 0x0001;
    pub const CASE_SEN: u16 = 0x0002;
    pub const UPDATEABLE_READ_WRITE: u16 = 0x0008;
    pub const IDENTITY: u16 = 0x0010;
    pub const COMPUTED: u16 = 0x0020;
}

/// One column of a COLMETADATA token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMeta {
    pub name: String,
    pub user_type: u32,
    pub flags: u16,
    pub type_info: TypeInfo,
}

impl ColumnMeta {
    pub fn is_nullable(&self) -> bool {
        self.flags & column_flags::NULLABLE != 0
    }
    pub fn is_identity(&self) -> bool {
        self.flags & column_flags::IDENTITY != 0
    }
    pub fn is_computed(&self) -> bool {
        self.flags & column_flags::COMPUTED != 0
    }
}
