//! LOGIN7 (MS-TDS 2.2.6.4): the client's credentials and session settings.
//! Encoded by the client, decoded by the test server.

use crate::error::{DecodeError, DecodeResult};
use crate::reader::{decode_utf16le, put_utf16le};
use bytes::{BufMut, BytesMut};

/// TDS 7.4, what SQL Server 2012+ speaks and what every current driver asks for.
pub const TDS_VERSION_7_4: u32 = 0x7400_0004;
/// TDS 8.0 is negotiated by ALPN; LOGIN7 still carries 7.4's number there (MS-TDS 2.2.6.4).
const FIXED_LEN: usize = 94;

pub mod flags1 {
    pub const USE_DB_ON: u8 = 0x20;
    pub const INIT_DB_FATAL: u8 = 0x40;
    pub const SET_LANG_ON: u8 = 0x80;
}
pub mod flags2 {
    pub const INIT_LANG_FATAL: u8 = 0x01;
    pub const ODBC_ON: u8 = 0x02;
}
pub mod flags3 {
    pub const EXTENSION: u8 = 0x10;
}

/// Feature extension ids (MS-TDS 2.2.6.4, FeatureExt).
pub mod feature {
    pub const SESSION_RECOVERY: u8 = 0x01;
    pub const FEDAUTH: u8 = 0x02;
    pub const COLUMN_ENCRYPTION: u8 = 0x04;
    pub const GLOBAL_TRANSACTIONS: u8 = 0x05;
    pub const UTF8_SUPPORT: u8 = 0x0A;
    pub const TERMINATOR: u8 = 0xFF;
}

/// FEDAUTH's library for a token the client already has (an Entra ID access token).
pub const FEDAUTH_LIBRARY_SECURITY_TOKEN: u8 = 0x01;

#[derive(Clone, PartialEq, Eq)]
pub enum FeatureExt {
    /// An Entra ID (Azure AD) access token, sent as UTF-16LE.
    FedAuthToken {
        echo: bool,
        token: String,
    },
    Utf8Support,
    Other {
        id: u8,
        data: Vec<u8>,
    },
}

impl std::fmt::Debug for FeatureExt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeatureExt::FedAuthToken { echo, .. } => {
                write!(f, "FedAuthToken {{ echo: {echo}, token: *** }}")
            }
            FeatureExt::Utf8Support => write!(f, "Utf8Support"),
            FeatureExt::Other { id, data } => {
                write!(f, "Other {{ id: {id:#04x}, {} bytes }}", data.len())
            }
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct Login7 {
    pub tds_version: u32,
    pub packet_size: u32,
    pub client_prog_ver: u32,
    pub client_pid: u32,
    pub connection_id: u32,
    pub option_flags1: u8,
    pub option_flags2: u8,
    pub type_flags: u8,
    pub option_flags3: u8,
    pub client_time_zone: i32,
    pub client_lcid: u32,
    pub hostname: String,
    pub username: String,
    pub password: String,
    pub app_name: String,
    pub server_name: String,
    pub library_name: String,
    pub language: String,
    pub database: String,
    pub client_id: [u8; 6],
    pub features: Vec<FeatureExt>,
}

impl std::fmt::Debug for Login7 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login7")
            .field("tds_version", &format_args!("{:#010x}", self.tds_version))
            .field("packet_size", &self.packet_size)
            .field("hostname", &self.hostname)
            .field("username", &self.username)
            .field("password", &"***")
            .field("app_name", &self.app_name)
            .field("server_name", &self.server_name)
            .field("library_name", &self.library_name)
            .field("language", &self.language)
            .field("database", &self.database)
            .field("features", &self.features)
            .finish_non_exhaustive()
    }
}

impl Default for Login7 {
    fn default() -> Self {
        Login7 {
            tds_version: TDS_VERSION_7_4,
            packet_size: 4096,
            client_prog_ver: 0,
            client_pid: 0,
            connection_id: 0,
            option_flags1: flags1::USE_DB_ON | flags1::INIT_DB_FATAL | flags1::SET_LANG_ON,
            option_flags2: flags2::INIT_LANG_FATAL | flags2::ODBC_ON,
            type_flags: 0,
            option_flags3: 0,
            client_time_zone: 0,
            client_lcid: 0x0409,
            hostname: String::new(),
            username: String::new(),
            password: String::new(),
            app_name: String::new(),
            server_name: String::new(),
            library_name: String::new(),
            language: String::new(),
            database: String::new(),
            client_id: [0; 6],
            features: Vec::new(),
        }
    }
}

/// A LOGIN7 text field, for errors that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login7Field {
    HostName,
    UserName,
    Password,
    AppName,
    ServerName,
    LibraryName,
    Language,
    Database,
}

/// The most characters SQL Server takes in each LOGIN7 text field: 128 for every field Sluice
/// sends (MS-TDS 2.2.6.4 gives HostName, UserName, Password, AppName, ServerName, CltIntName,
/// Language and Database 128 characters each). The wire format itself holds 16-bit offsets and
/// lengths, so an unchecked long field would wrap them and shift every field after it.
pub const MAX_FIELD_CHARS: usize = 128;

/// A LOGIN7 text field longer than SQL Server accepts; nothing was encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("LOGIN7 {field:?} is {chars} characters; SQL Server accepts at most {limit}")]
pub struct FieldTooLong {
    pub field: Login7Field,
    /// UTF-16 code units, as LOGIN7 counts them.
    pub chars: usize,
    pub limit: usize,
}

/// The LOGIN7 password scrambling: swap each byte's nibbles, then XOR 0xA5 (MS-TDS 2.2.6.4).
/// It is obfuscation, not protection; TLS is what protects the password.
fn scramble(b: u8) -> u8 {
    b.rotate_left(4) ^ 0xA5
}

fn unscramble(b: u8) -> u8 {
    (b ^ 0xA5).rotate_left(4)
}

impl Login7 {
    /// The text fields with their names, in wire order (Extension excluded).
    fn text_fields(&self) -> [(Login7Field, &str); 8] {
        [
            (Login7Field::HostName, &self.hostname),
            (Login7Field::UserName, &self.username),
            (Login7Field::Password, &self.password),
            (Login7Field::AppName, &self.app_name),
            (Login7Field::ServerName, &self.server_name),
            (Login7Field::LibraryName, &self.library_name),
            (Login7Field::Language, &self.language),
            (Login7Field::Database, &self.database),
        ]
    }

    /// Checks every text field against [`MAX_FIELD_CHARS`]; the first one over it is the error.
    pub fn check_lengths(&self) -> Result<(), FieldTooLong> {
        for (field, text) in self.text_fields() {
            let chars = text.encode_utf16().count();
            if chars > MAX_FIELD_CHARS {
                return Err(FieldTooLong {
                    field,
                    chars,
                    limit: MAX_FIELD_CHARS,
                });
            }
        }
        Ok(())
    }

    /// Appends the LOGIN7 payload. Refuses (appending nothing) a text field longer than SQL
    /// Server accepts, which also keeps every offset and length inside its 16 bits.
    pub fn encode(&self, buf: &mut BytesMut) -> Result<(), FieldTooLong> {
        self.check_lengths()?;
        let start = buf.len();
        let mut var = BytesMut::new();
        let mut offsets: Vec<(u16, u16)> = Vec::new();
        let push_str = |var: &mut BytesMut, s: &str, scrambled: bool| {
            let at = FIXED_LEN + var.len();
            let before = var.len();
            put_utf16le(var, s);
            if scrambled {
                for b in &mut var[before..] {
                    *b = scramble(*b);
                }
            }
            ((at) as u16, s.encode_utf16().count() as u16)
        };
        let has_ext = !self.features.is_empty();
        offsets.push(push_str(&mut var, &self.hostname, false));
        offsets.push(push_str(&mut var, &self.username, false));
        offsets.push(push_str(&mut var, &self.password, true));
        offsets.push(push_str(&mut var, &self.app_name, false));
        offsets.push(push_str(&mut var, &self.server_name, false));
        // Extension: a 4-byte pointer to the FeatureExt block, which goes last.
        let ext_at = FIXED_LEN + var.len();
        if has_ext {
            var.put_u32_le(0);
            offsets.push((ext_at as u16, 4));
        } else {
            offsets.push((ext_at as u16, 0));
        }
        offsets.push(push_str(&mut var, &self.library_name, false));
        offsets.push(push_str(&mut var, &self.language, false));
        offsets.push(push_str(&mut var, &self.database, false));
        if has_ext {
            let feat_at = (FIXED_LEN + var.len()) as u32;
            let p = ext_at - FIXED_LEN;
            var[p..p + 4].copy_from_slice(&feat_at.to_le_bytes());
            for f in &self.features {
                encode_feature(f, &mut var);
            }
            var.put_u8(feature::TERMINATOR);
        }
        let total = FIXED_LEN + var.len();
        buf.put_u32_le(total as u32);
        buf.put_u32_le(self.tds_version);
        buf.put_u32_le(self.packet_size);
        buf.put_u32_le(self.client_prog_ver);
        buf.put_u32_le(self.client_pid);
        buf.put_u32_le(self.connection_id);
        buf.put_u8(self.option_flags1);
        buf.put_u8(self.option_flags2);
        buf.put_u8(self.type_flags);
        buf.put_u8(self.option_flags3 | if has_ext { flags3::EXTENSION } else { 0 });
        buf.put_i32_le(self.client_time_zone);
        buf.put_u32_le(self.client_lcid);
        for (i, (off, len)) in offsets.iter().enumerate() {
            buf.put_u16_le(*off);
            buf.put_u16_le(*len);
            if i == 8 {
                break;
            }
        }
        buf.extend_from_slice(&self.client_id);
        let end = (FIXED_LEN + var.len()) as u16;
        buf.put_u16_le(end); // SSPI
        buf.put_u16_le(0);
        buf.put_u16_le(end); // AtchDBFile
        buf.put_u16_le(0);
        buf.put_u16_le(end); // ChangePassword
        buf.put_u16_le(0);
        buf.put_u32_le(0); // cbSSPILong
        debug_assert_eq!(buf.len() - start, FIXED_LEN);
        buf.extend_from_slice(&var);
        Ok(())
    }

    /// Decodes a whole LOGIN7 payload (the test server's side).
    pub fn decode(p: &[u8]) -> DecodeResult<Login7> {
        let bad = |d: &str| DecodeError::malformed("LOGIN7", d.to_string());
        if p.len() < FIXED_LEN {
            return Err(bad("shorter than its fixed part"));
        }
        let u32_at = |at: usize| u32::from_le_bytes([p[at], p[at + 1], p[at + 2], p[at + 3]]);
        let u16_at = |at: usize| u16::from_le_bytes([p[at], p[at + 1]]);
        let length = u32_at(0) as usize;
        if length > p.len() || length < FIXED_LEN {
            return Err(bad("Length field disagrees with the message"));
        }
        let p = &p[..length];
        let text = |idx: usize| -> DecodeResult<&[u8]> {
            let at = 36 + idx * 4;
            let off = u16_at(at) as usize;
            let chars = u16_at(at + 2) as usize;
            p.get(off..off + chars * 2)
                .ok_or_else(|| bad("a string points outside the message"))
        };
        let string = |idx: usize| -> DecodeResult<String> { decode_utf16le(text(idx)?) };
        let password_bytes: Vec<u8> = text(2)?.iter().map(|b| unscramble(*b)).collect();
        let option_flags3 = p[27];
        let mut features = Vec::new();
        if option_flags3 & flags3::EXTENSION != 0 {
            let ext = text_bytes(p, u16_at(56) as usize, u16_at(58) as usize)?;
            if ext.len() >= 4 {
                let feat_at = u32::from_le_bytes([ext[0], ext[1], ext[2], ext[3]]) as usize;
                features = decode_features(
                    p.get(feat_at..)
                        .ok_or_else(|| bad("FeatureExt points outside the message"))?,
                )?;
            }
        }
        let mut client_id = [0u8; 6];
        client_id.copy_from_slice(&p[72..78]);
        Ok(Login7 {
            tds_version: u32_at(4),
            packet_size: u32_at(8),
            client_prog_ver: u32_at(12),
            client_pid: u32_at(16),
            connection_id: u32_at(20),
            option_flags1: p[24],
            option_flags2: p[25],
            type_flags: p[26],
            option_flags3,
            client_time_zone: u32_at(28) as i32,
            client_lcid: u32_at(32),
            hostname: string(0)?,
            username: string(1)?,
            password: decode_utf16le(&password_bytes)?,
            app_name: string(3)?,
            server_name: string(4)?,
            library_name: string(6)?,
            language: string(7)?,
            database: string(8)?,
            client_id,
            features,
        })
    }
}

fn text_bytes(p: &[u8], off: usize, len: usize) -> DecodeResult<&[u8]> {
    p.get(off..off + len)
        .ok_or_else(|| DecodeError::malformed("LOGIN7", "Extension points outside the message"))
}

fn encode_feature(f: &FeatureExt, buf: &mut BytesMut) {
    match f {
        FeatureExt::FedAuthToken { echo, token } => {
            let mut t = BytesMut::new();
            put_utf16le(&mut t, token);
            buf.put_u8(feature::FEDAUTH);
            buf.put_u32_le((1 + 4 + t.len()) as u32);
            buf.put_u8((FEDAUTH_LIBRARY_SECURITY_TOKEN << 1) | (*echo as u8));
            buf.put_u32_le(t.len() as u32);
            buf.extend_from_slice(&t);
        }
        FeatureExt::Utf8Support => {
            buf.put_u8(feature::UTF8_SUPPORT);
            buf.put_u32_le(0);
        }
        FeatureExt::Other { id, data } => {
            buf.put_u8(*id);
            buf.put_u32_le(data.len() as u32);
            buf.extend_from_slice(data);
        }
    }
}

fn decode_features(mut b: &[u8]) -> DecodeResult<Vec<FeatureExt>> {
    let bad = |d: String| DecodeError::malformed("LOGIN7 FeatureExt", d);
    let mut out = Vec::new();
    loop {
        let (&id, rest) = b
            .split_first()
            .ok_or_else(|| bad("not terminated".into()))?;
        if id == feature::TERMINATOR {
            return Ok(out);
        }
        if rest.len() < 4 || out.len() > 64 {
            return Err(bad("truncated feature header".into()));
        }
        let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let data = rest
            .get(4..4usize.saturating_add(len))
            .ok_or_else(|| bad(format!("feature 0x{id:02X} is longer than the message")))?;
        b = &rest[4 + len..];
        out.push(match id {
            feature::FEDAUTH => {
                let (&opts, rest) = data
                    .split_first()
                    .ok_or_else(|| bad("empty FEDAUTH".into()))?;
                if opts >> 1 != FEDAUTH_LIBRARY_SECURITY_TOKEN {
                    return Err(bad(format!(
                        "FEDAUTH library 0x{:02X} is not supported",
                        opts >> 1
                    )));
                }
                if rest.len() < 4 {
                    return Err(bad("FEDAUTH token length missing".into()));
                }
                let tlen = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
                let tok = rest
                    .get(4..4usize.saturating_add(tlen))
                    .ok_or_else(|| bad("FEDAUTH token is longer than its feature".into()))?;
                FeatureExt::FedAuthToken {
                    echo: opts & 1 != 0,
                    token: decode_utf16le(tok)?,
                }
            }
            feature::UTF8_SUPPORT => FeatureExt::Utf8Support,
            _ => FeatureExt::Other {
                id,
                data: data.to_vec(),
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_scrambling_matches_the_spec_example() {
        // 'a' = 0x61 0x00 in UTF-16LE; 0x61 → nibbles swapped 0x16 → XOR 0xA5 = 0xB3; 0x00 → 0xA5.
        assert_eq!(scramble(0x61), 0xB3);
        assert_eq!(scramble(0x00), 0xA5);
        for b in 0..=255u8 {
            assert_eq!(unscramble(scramble(b)), b);
        }
    }

    #[test]
    fn golden_fixed_part() {
        let l = Login7 {
            hostname: "h".into(),
            username: "sa".into(),
            password: "a".into(),
            ..Default::default()
        };
        let mut b = BytesMut::new();
        l.encode(&mut b).unwrap();
        assert_eq!(
            u32::from_le_bytes(b[0..4].try_into().unwrap()) as usize,
            b.len()
        );
        assert_eq!(&b[4..8], &[0x04, 0x00, 0x00, 0x74]);
        // HostName at 94, 1 char; UserName at 96, 2 chars; Password at 100, 1 char.
        assert_eq!(&b[36..48], &[94, 0, 1, 0, 96, 0, 2, 0, 100, 0, 1, 0]);
        assert_eq!(&b[94..100], &[b'h', 0, b's', 0, b'a', 0]);
        assert_eq!(&b[100..102], &[0xB3, 0xA5]);
    }

    #[test]
    fn round_trips_with_fedauth_token() {
        let l = Login7 {
            hostname: "client".into(),
            username: "".into(),
            app_name: "Sluice".into(),
            server_name: "db.example".into(),
            library_name: "Sluice".into(),
            database: "sales".into(),
            features: vec![
                FeatureExt::FedAuthToken {
                    echo: false,
                    token: "eyJ0eXAi".into(),
                },
                FeatureExt::Utf8Support,
            ],
            ..Default::default()
        };
        let mut b = BytesMut::new();
        l.encode(&mut b).unwrap();
        let d = Login7::decode(&b).unwrap();
        assert_ne!(d.option_flags3 & flags3::EXTENSION, 0);
        assert_eq!(
            d,
            Login7 {
                option_flags3: flags3::EXTENSION,
                ..l
            }
        );
        assert!(!format!("{d:?}").contains("eyJ0"));
    }

    #[test]
    fn round_trips_sql_login_and_hides_password_in_debug() {
        let l = Login7 {
            username: "sa".into(),
            password: "Secr3t!pässword".into(),
            database: "master".into(),
            ..Default::default()
        };
        let mut b = BytesMut::new();
        l.encode(&mut b).unwrap();
        let d = Login7::decode(&b).unwrap();
        assert_eq!(d.password, "Secr3t!pässword");
        assert!(!format!("{d:?}").contains("Secr3t"));
    }

    #[test]
    fn an_over_long_field_is_refused_by_name_instead_of_wrapping_the_offsets() {
        // 40,000 characters is 80,000 bytes: as a u16 the offsets after it would wrap and the
        // server would read the database name out of the application name.
        let l = Login7 {
            app_name: "a".repeat(40_000),
            database: "sales".into(),
            ..Default::default()
        };
        let mut b = BytesMut::new();
        let e = l.encode(&mut b).unwrap_err();
        assert_eq!(e.field, Login7Field::AppName);
        assert_eq!(e.chars, 40_000);
        assert!(b.is_empty());
    }

    #[test]
    fn every_field_accepts_128_characters_and_refuses_129() {
        let set = |l: &mut Login7, f: Login7Field, s: String| match f {
            Login7Field::HostName => l.hostname = s,
            Login7Field::UserName => l.username = s,
            Login7Field::Password => l.password = s,
            Login7Field::AppName => l.app_name = s,
            Login7Field::ServerName => l.server_name = s,
            Login7Field::LibraryName => l.library_name = s,
            Login7Field::Language => l.language = s,
            Login7Field::Database => l.database = s,
        };
        let fields = Login7::default().text_fields().map(|(f, _)| f);
        for f in fields {
            let mut l = Login7::default();
            set(&mut l, f, "é".repeat(127) + "x");
            let mut b = BytesMut::new();
            l.encode(&mut b).unwrap();
            assert_eq!(
                Login7::decode(&b).unwrap().text_fields()
                    [fields.iter().position(|x| *x == f).unwrap()]
                .1
                .chars()
                .count(),
                128
            );
            // A character outside the BMP counts twice (UTF-16 code units, as LOGIN7 counts).
            set(&mut l, f, "x".repeat(127) + "😀");
            assert_eq!(
                l.encode(&mut BytesMut::new()),
                Err(FieldTooLong {
                    field: f,
                    chars: 129,
                    limit: 128
                })
            );
        }
    }

    #[test]
    fn truncated_or_lying_messages_are_errors() {
        let l = Login7 {
            username: "sa".into(),
            ..Default::default()
        };
        let mut b = BytesMut::new();
        l.encode(&mut b).unwrap();
        for n in 0..b.len() {
            let _ = Login7::decode(&b[..n]);
        }
        let mut lying = b.to_vec();
        lying[40] = 0xFF; // UserName offset far outside
        lying[41] = 0x7F;
        assert!(Login7::decode(&lying).is_err());
    }
}
