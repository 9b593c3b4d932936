//! The 5-byte SQL collation carried in TYPE_INFO and ENVCHANGE (MS-TDS 2.2.5.1.2).

/// LCID (20 bits), comparison flags (8 bits) and version (4 bits) packed in the first four bytes
/// (little-endian), then the SortId byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Collation {
    pub info: u32,
    pub sort_id: u8,
}

impl Collation {
    /// `SQL_Latin1_General_CP1_CI_AS`, the default of a fresh SQL Server install: LCID 0x0409,
    /// ignore case/kana/width flags, SortId 52 (code page 1252).
    pub const SQL_LATIN1_GENERAL_CP1_CI_AS: Collation = Collation { info: 0x00D0_0409, sort_id: 52 };

    /// `Latin1_General_100_CI_AS_SC_UTF8`: a Windows collation whose varchar data is UTF-8.
    pub const LATIN1_GENERAL_100_CI_AS_SC_UTF8: Collation = Collation { info: 0x24D0_0409, sort_id: 0 };

    pub fn from_bytes(b: [u8; 5]) -> Self {
        Collation { info: u32::from_le_bytes([b[0], b[1], b[2], b[3]]), sort_id: b[4] }
    }

    pub fn to_bytes(self) -> [u8; 5] {
        let i = self.info.to_le_bytes();
        [i[0], i[1], i[2], i[3], self.sort_id]
    }

    pub fn lcid(self) -> u32 {
        self.info & 0x000F_FFFF
    }

    /// The UTF-8 flag (fUTF8, bit 27 of the info word; SQL Server 2019+).
    pub fn is_utf8(self) -> bool {
        self.info & (1 << 26) != 0
    }
}
