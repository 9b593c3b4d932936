//! The 5-byte SQL collation carried in TYPE_INFO and ENVCHANGE (MS-TDS 2.2.5.1.2), and the code
//! page it implies for `char`/`varchar` data.
//!
//! Only non-Unicode types depend on the collation's code page: `nchar`/`nvarchar` are always
//! UTF-16LE on the wire. A collation names its code page in one of three ways, checked in this
//! order: the fUTF8 flag (SQL Server 2019+, code page 65001), a non-zero SortId (the legacy
//! `SQL_*` collations, each tied to one code page), or the LCID of a Windows collation.

use std::borrow::Cow;

use encoding_rs::Encoding;

/// LCID (20 bits), comparison flags (8 bits) and version (4 bits) packed in the first four bytes
/// (little-endian), then the SortId byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Collation {
    pub info: u32,
    pub sort_id: u8,
}

/// Bits of [`Collation::info`] (MS-TDS 2.2.5.1.2).
pub mod flags {
    pub const IGNORE_CASE: u32 = 1 << 20;
    pub const IGNORE_ACCENT: u32 = 1 << 21;
    pub const IGNORE_WIDTH: u32 = 1 << 22;
    pub const IGNORE_KANA: u32 = 1 << 23;
    pub const BINARY: u32 = 1 << 24;
    pub const BINARY2: u32 = 1 << 25;
    pub const UTF8: u32 = 1 << 26;
}

/// Why a string could not be converted to or from a collation's code page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CharsetError {
    /// The collation's code page is unknown, Unicode-only, or has no converter here (437, 850);
    /// only ASCII text can be carried.
    #[error("code page {code_page:?} of collation {info:#010x}/{sort_id} is not supported for non-ASCII text")]
    UnsupportedCodePage {
        code_page: Option<u16>,
        info: u32,
        sort_id: u8,
    },
    /// The text has a character the code page cannot represent.
    #[error("character {ch:?} cannot be represented in code page {code_page}")]
    Unrepresentable { ch: char, code_page: u16 },
}

impl Collation {
    /// `SQL_Latin1_General_CP1_CI_AS`, the default of a fresh SQL Server install: LCID 0x0409,
    /// ignore case/kana/width flags, SortId 52 (code page 1252).
    pub const SQL_LATIN1_GENERAL_CP1_CI_AS: Collation = Collation {
        info: 0x00D0_0409,
        sort_id: 52,
    };

    /// `Latin1_General_100_CI_AS_SC_UTF8`: a Windows collation whose varchar data is UTF-8.
    pub const LATIN1_GENERAL_100_CI_AS_SC_UTF8: Collation = Collation {
        info: 0x24D0_0409,
        sort_id: 0,
    };

    pub fn from_bytes(b: [u8; 5]) -> Self {
        Collation {
            info: u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            sort_id: b[4],
        }
    }

    pub fn to_bytes(self) -> [u8; 5] {
        let i = self.info.to_le_bytes();
        [i[0], i[1], i[2], i[3], self.sort_id]
    }

    pub fn lcid(self) -> u32 {
        self.info & 0x000F_FFFF
    }

    /// The UTF-8 flag (fUTF8, bit 26 of the info word; SQL Server 2019+).
    pub fn is_utf8(self) -> bool {
        self.info & flags::UTF8 != 0
    }

    /// The Windows code page of `char`/`varchar` data in this collation: 65001 for UTF-8
    /// collations, else from the SortId (SQL collations) or the LCID (Windows collations).
    /// `None` for Unicode-only locales (e.g. Hindi) and unknown ids.
    pub fn code_page(self) -> Option<u16> {
        if self.is_utf8() {
            Some(65001)
        } else if self.sort_id != 0 {
            code_page_of_sort_id(self.sort_id)
        } else {
            // The low 16 bits are the Windows LANGID; bits 16-19 select an alternate sort
            // order of the same language, which does not change the code page.
            code_page_of_langid((self.info & 0xFFFF) as u16)
        }
    }

    /// The converter for [`Collation::code_page`]; `None` when the code page is unknown or has no
    /// converter here (the DOS code pages 437 and 850 of a few old `SQL_*` collations).
    pub fn encoding(self) -> Option<&'static Encoding> {
        encoding_of_code_page(self.code_page()?)
    }

    /// Decodes `char`/`varchar` bytes. Byte sequences the code page does not define become
    /// U+FFFD, as for UTF-16 in [`crate::reader::decode_utf16le`]: a result set is shown, not
    /// rejected. Without a converter only ASCII bytes can be decoded.
    pub fn decode_str(self, bytes: &[u8]) -> Result<String, CharsetError> {
        match self.encoding() {
            Some(enc) => Ok(enc.decode_without_bom_handling(bytes).0.into_owned()),
            None if bytes.is_ascii() => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
            None => Err(self.unsupported()),
        }
    }

    /// Encodes `s` for a `char`/`varchar` column. Unlike SQL Server, which silently replaces a
    /// character its code page lacks with `?`, this refuses: a loader must not change data.
    /// ASCII text is returned borrowed (every supported code page is ASCII-compatible).
    pub fn encode_str(self, s: &str) -> Result<Cow<'_, [u8]>, CharsetError> {
        let enc = match self.encoding() {
            Some(enc) => enc,
            None if s.is_ascii() => return Ok(Cow::Borrowed(s.as_bytes())),
            None => return Err(self.unsupported()),
        };
        if enc == encoding_rs::UTF_8 || s.is_ascii() {
            return Ok(Cow::Borrowed(s.as_bytes()));
        }
        let (bytes, _, had_errors) = enc.encode(s);
        if had_errors {
            let code_page = self.code_page().unwrap_or(0);
            let ch = first_unmappable(enc, s).unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(CharsetError::Unrepresentable { ch, code_page });
        }
        Ok(bytes)
    }

    fn unsupported(self) -> CharsetError {
        CharsetError::UnsupportedCodePage {
            code_page: self.code_page(),
            info: self.info,
            sort_id: self.sort_id,
        }
    }
}

/// The first character of `s` that `enc` cannot encode, for the error message.
fn first_unmappable(enc: &'static Encoding, s: &str) -> Option<char> {
    let mut tmp = [0u8; 4];
    s.chars().find(|c| enc.encode(c.encode_utf8(&mut tmp)).2)
}

/// The code pages of `char`/`varchar` data that [`encoding_of_code_page`] converts.
pub const CODE_PAGES: [u16; 15] = [
    65001, 874, 932, 936, 949, 950, 1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258,
];

/// The converter for a Windows code page that SQL Server collations use (65001 for UTF-8);
/// `None` for the others.
pub fn encoding_of_code_page(code_page: u16) -> Option<&'static Encoding> {
    use encoding_rs::*;
    Some(match code_page {
        65001 => UTF_8,
        874 => WINDOWS_874,
        932 => SHIFT_JIS,
        936 => GBK,
        949 => EUC_KR,
        950 => BIG5,
        1250 => WINDOWS_1250,
        1251 => WINDOWS_1251,
        1252 => WINDOWS_1252,
        1253 => WINDOWS_1253,
        1254 => WINDOWS_1254,
        1255 => WINDOWS_1255,
        1256 => WINDOWS_1256,
        1257 => WINDOWS_1257,
        1258 => WINDOWS_1258,
        _ => return None,
    })
}

/// SQL collations (non-zero SortId) each fix a code page; ids from SQL Server's sort-order table
/// (`SELECT name, COLLATIONPROPERTY(name, 'SortId'), COLLATIONPROPERTY(name, 'CodePage')
/// FROM fn_helpcollations()`).
fn code_page_of_sort_id(sort_id: u8) -> Option<u16> {
    Some(match sort_id {
        30..=35 => 437,
        40..=45 | 49 | 55..=61 => 850,
        50..=54 | 71..=75 | 183..=186 | 210..=217 => 1252,
        80..=98 => 1250,
        104..=108 => 1251,
        112..=114 | 120..=122 | 124 => 1253,
        128..=130 => 1254,
        136..=138 => 1255,
        144..=146 => 1256,
        152..=160 => 1257,
        192 | 193 | 200 => 932,
        194 | 195 | 201 => 949,
        196 | 197 | 202 => 950,
        198 | 199 | 203 => 936,
        204..=206 => 874,
        _ => return None,
    })
}

/// Windows collations: the ANSI code page of the locale. A LANGID is a primary language (low 10
/// bits) and a sub-language (high 6 bits); only a few languages change code page by script or
/// region (Chinese, Serbian/Bosnian, Azeri, Uzbek).
fn code_page_of_langid(langid: u16) -> Option<u16> {
    let sub = langid >> 10;
    Some(match langid & 0x3FF {
        // Chinese: Taiwan, Hong Kong and Macao use Big5; PRC and Singapore GBK.
        0x04 => match sub {
            1 | 3 | 5 => 950,
            _ => 936,
        },
        // Croatian, Serbian, Bosnian: Cyrillic variants use 1251.
        0x1A => match sub {
            3 | 7 | 8 => 1251,
            _ => 1250,
        },
        // Azeri and Uzbek: Latin script 1254, Cyrillic 1251.
        0x2C | 0x43 => match sub {
            2 => 1251,
            _ => 1254,
        },
        0x05 | 0x0E | 0x15 | 0x18 | 0x1B | 0x1C | 0x24 | 0x42 => 1250,
        0x02 | 0x19 | 0x22 | 0x23 | 0x28 | 0x2F | 0x3F | 0x40 | 0x44 | 0x50 | 0x6D | 0x85 => 1251,
        0x03
        | 0x06
        | 0x07
        | 0x09..=0x0C
        | 0x0F
        | 0x10
        | 0x13
        | 0x14
        | 0x16
        | 0x17
        | 0x1D
        | 0x21
        | 0x2B
        | 0x2D
        | 0x2E
        | 0x32
        | 0x34..=0x38
        | 0x3B
        | 0x3C
        | 0x3E
        | 0x41
        | 0x52
        | 0x56
        | 0x5D..=0x5F
        | 0x62
        | 0x64
        | 0x68
        | 0x6A..=0x6C
        | 0x6E..=0x70
        | 0x78
        | 0x7A
        | 0x7C
        | 0x7E
        | 0x82..=0x84
        | 0x86..=0x88 => 1252,
        0x08 => 1253,
        0x1F => 1254,
        0x0D => 1255,
        0x01 | 0x20 | 0x29 | 0x80 | 0x8C => 1256,
        0x25..=0x27 => 1257,
        0x2A => 1258,
        0x1E => 874,
        0x11 => 932,
        0x12 => 949,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows(lcid: u32) -> Collation {
        Collation {
            info: 0x00D0_0000 | lcid,
            sort_id: 0,
        }
    }

    #[test]
    fn sql_collations_take_the_code_page_from_the_sort_id() {
        assert_eq!(
            Collation::SQL_LATIN1_GENERAL_CP1_CI_AS.code_page(),
            Some(1252)
        );
        assert_eq!(
            Collation {
                info: 0x0000_0409,
                sort_id: 51
            }
            .code_page(),
            Some(1252)
        );
        assert_eq!(
            Collation {
                info: 0x0000_0405,
                sort_id: 84
            }
            .code_page(),
            Some(1250)
        );
        assert_eq!(
            Collation {
                info: 0x0000_0409,
                sort_id: 42
            }
            .code_page(),
            Some(850)
        );
        assert_eq!(
            Collation {
                info: 0x0000_0409,
                sort_id: 42
            }
            .encoding(),
            None
        );
        assert_eq!(
            Collation {
                info: 0,
                sort_id: 1
            }
            .code_page(),
            None
        );
    }

    #[test]
    fn windows_collations_take_the_code_page_from_the_lcid() {
        let cases = [
            (0x0409, 1252),
            (0x0809, 1252),
            (0x0405, 1250),
            (0x0415, 1250),
            (0x0419, 1251),
            (0x0408, 1253),
            (0x041F, 1254),
            (0x040D, 1255),
            (0x0401, 1256),
            (0x0426, 1257),
            (0x042A, 1258),
            (0x041E, 874),
            (0x0411, 932),
            (0x0804, 936),
            (0x0412, 949),
            (0x0404, 950),
            (0x0C04, 950),
            (0x081A, 1250),
            (0x0C1A, 1251),
            (0x042C, 1254),
            (0x082C, 1251),
            // An alternate sort (bits 16-19) keeps the language's code page.
            (0x1_0407, 1252),
        ];
        for (lcid, cp) in cases {
            assert_eq!(windows(lcid).code_page(), Some(cp), "lcid {lcid:#x}");
            assert!(windows(lcid).encoding().is_some(), "lcid {lcid:#x}");
        }
        assert_eq!(windows(0x0439).code_page(), None, "Hindi is Unicode-only");
    }

    #[test]
    fn utf8_flag_wins_over_the_lcid() {
        assert!(Collation::LATIN1_GENERAL_100_CI_AS_SC_UTF8.is_utf8());
        assert_eq!(
            Collation::LATIN1_GENERAL_100_CI_AS_SC_UTF8.code_page(),
            Some(65001)
        );
        assert!(!Collation::SQL_LATIN1_GENERAL_CP1_CI_AS.is_utf8());
    }

    #[test]
    fn cp1252_round_trips_accents_and_refuses_cyrillic() {
        let c = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;
        assert_eq!(c.encode_str("café €").unwrap().as_ref(), b"caf\xE9 \x80");
        assert_eq!(c.decode_str(b"caf\xE9 \x80").unwrap(), "café €");
        assert_eq!(
            c.encode_str("aЖ"),
            Err(CharsetError::Unrepresentable {
                ch: 'Ж',
                code_page: 1252
            })
        );
        assert!(matches!(c.encode_str("plain"), Ok(Cow::Borrowed(_))));
    }

    #[test]
    fn multibyte_code_pages_round_trip() {
        for (lcid, text) in [
            (0x0411, "日本語"),
            (0x0804, "中文"),
            (0x0412, "한국어"),
            (0x0404, "中文"),
        ] {
            let c = windows(lcid);
            let bytes = c.encode_str(text).unwrap();
            assert_eq!(bytes.len(), 2 * text.chars().count(), "lcid {lcid:#x}");
            assert_eq!(c.decode_str(&bytes).unwrap(), text);
        }
    }

    #[test]
    fn unsupported_code_page_carries_ascii_only() {
        let c = Collation {
            info: 0x0409,
            sort_id: 42,
        };
        assert_eq!(c.decode_str(b"abc").unwrap(), "abc");
        assert!(matches!(
            c.decode_str(b"\x80"),
            Err(CharsetError::UnsupportedCodePage {
                code_page: Some(850),
                ..
            })
        ));
        assert!(c.encode_str("é").is_err());
    }

    #[test]
    fn undefined_bytes_decode_to_replacement_characters() {
        let c = windows(0x0411);
        assert_eq!(c.decode_str(&[0x82]).unwrap(), "\u{FFFD}");
    }
}
