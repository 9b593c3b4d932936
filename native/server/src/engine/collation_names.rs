//! Collation names (`COLLATE Latin1_General_100_CI_AS_SC_UTF8`) to the 5-byte TDS collation
//! (MS-TDS 2.2.5.1.2): LCID (20 bits), the flags fIgnoreCase (bit 20), fIgnoreAccent (21),
//! fIgnoreKana (22), fIgnoreWidth (23), fBinary (24), fBinary2 (25), fUTF8 (26), a 4-bit
//! version (28–31), then the SortId byte that SQL collations (`SQL_*`) carry.

use tds::collation::Collation;

/// The server default, as on a fresh SQL Server install.
pub(crate) const DEFAULT_COLLATION_NAME: &str = "SQL_Latin1_General_CP1_CI_AS";

const IGNORE_CASE: u32 = 1 << 20;
const IGNORE_ACCENT: u32 = 1 << 21;
const IGNORE_KANA: u32 = 1 << 22;
const IGNORE_WIDTH: u32 = 1 << 23;
const BINARY: u32 = 1 << 24;
const BINARY2: u32 = 1 << 25;
const UTF8: u32 = 1 << 26;

/// Windows collation families and their LCIDs.
const WINDOWS_BASES: &[(&str, u32)] = &[
    ("Latin1_General", 0x0409),
    ("French", 0x040C),
    ("German_PhoneBook", 0x10407),
    ("Modern_Spanish", 0x0C0A),
    ("Traditional_Spanish", 0x040A),
    ("Japanese", 0x0411),
    ("Chinese_PRC", 0x0804),
    ("Chinese_Taiwan_Stroke", 0x0404),
    ("Korean_Wansung", 0x0412),
    ("Cyrillic_General", 0x0419),
    ("Greek", 0x0408),
    ("Turkish", 0x041F),
    ("Hebrew", 0x040D),
    ("Arabic", 0x0401),
    ("Polish", 0x0415),
    ("Czech", 0x0405),
    ("Danish_Norwegian", 0x0406),
    ("Finnish_Swedish", 0x040B),
    ("Hungarian", 0x040E),
    ("Thai", 0x041E),
    ("Vietnamese", 0x042A),
    ("Ukrainian", 0x0422),
    ("Romanian", 0x0418),
    ("Croatian", 0x041A),
    ("Estonian", 0x0425),
];

/// SQL collations: name, SortId, comparison flags. The code page follows from the SortId.
const SQL_COLLATIONS: &[(&str, u8, u32)] = &[
    (
        "SQL_Latin1_General_CP1_CS_AS",
        51,
        IGNORE_KANA | IGNORE_WIDTH,
    ),
    (
        "SQL_Latin1_General_CP1_CI_AS",
        52,
        IGNORE_CASE | IGNORE_KANA | IGNORE_WIDTH,
    ),
    (
        "SQL_Latin1_General_Pref_CP1_CI_AS",
        53,
        IGNORE_CASE | IGNORE_KANA | IGNORE_WIDTH,
    ),
    (
        "SQL_Latin1_General_CP1_CI_AI",
        54,
        IGNORE_CASE | IGNORE_ACCENT | IGNORE_KANA | IGNORE_WIDTH,
    ),
];

/// A collation the engine knows: its TDS form and its name spelled as SQL Server spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NamedCollation {
    pub collation: Collation,
    pub name: String,
}

pub(crate) fn default_collation() -> NamedCollation {
    NamedCollation {
        collation: Collation::SQL_LATIN1_GENERAL_CP1_CI_AS,
        name: DEFAULT_COLLATION_NAME.to_string(),
    }
}

/// Looks a collation name up (case-insensitively); `None` when SQL Server would raise 448.
pub(crate) fn lookup(name: &str) -> Option<NamedCollation> {
    if let Some((canonical, sort_id, flags)) = SQL_COLLATIONS
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
    {
        return Some(NamedCollation {
            collation: Collation {
                info: 0x0409 | flags,
                sort_id: *sort_id,
            },
            name: (*canonical).to_string(),
        });
    }
    windows_collation(name)
}

fn windows_collation(name: &str) -> Option<NamedCollation> {
    // Longest base first so that `Chinese_Taiwan_Stroke` wins over a shorter prefix.
    let mut bases: Vec<&(&str, u32)> = WINDOWS_BASES.iter().collect();
    bases.sort_by_key(|(b, _)| std::cmp::Reverse(b.len()));
    let (base, lcid) = bases.into_iter().find(|(b, _)| {
        name.len() > b.len()
            && name.is_char_boundary(b.len())
            && name[..b.len()].eq_ignore_ascii_case(b)
            && name[b.len()..].starts_with('_')
    })?;
    let mut parts = name[base.len() + 1..].split('_').peekable();
    let mut version = 0u32;
    let mut version_text = String::new();
    if let Some(v) = parts.peek() {
        version = match *v {
            "90" => 1,
            "100" => 2,
            "140" => 3,
            _ => 0,
        };
        if version != 0 {
            version_text = format!("_{v}");
            parts.next();
        }
    }
    let options: Vec<String> = parts.map(|p| p.to_ascii_uppercase()).collect();
    let mut flags = 0u32;
    let opts: Vec<&str> = options.iter().map(String::as_str).collect();
    let rest: &[&str] = match opts.as_slice() {
        ["BIN", rest @ ..] => {
            flags |= BINARY;
            rest
        }
        ["BIN2", rest @ ..] => {
            flags |= BINARY2;
            rest
        }
        [case @ ("CI" | "CS"), accent @ ("AI" | "AS"), rest @ ..] => {
            if *case == "CI" {
                flags |= IGNORE_CASE;
            }
            if *accent == "AI" {
                flags |= IGNORE_ACCENT;
            }
            flags |= IGNORE_KANA | IGNORE_WIDTH;
            rest
        }
        _ => return None,
    };
    let mut seen = Vec::new();
    for opt in rest {
        if seen.contains(opt) {
            return None;
        }
        seen.push(*opt);
        match *opt {
            "KS" if flags & (BINARY | BINARY2) == 0 => flags &= !IGNORE_KANA,
            "WS" if flags & (BINARY | BINARY2) == 0 => flags &= !IGNORE_WIDTH,
            "VSS" | "SC" => {}
            // UTF-8 needs a version-100 or later collation (SQL Server 2019).
            "UTF8" if version >= 2 => flags |= UTF8,
            _ => return None,
        }
    }
    Some(NamedCollation {
        collation: Collation {
            info: lcid | flags | (version << 28),
            sort_id: 0,
        },
        name: format!("{base}{version_text}_{}", options.join("_")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_sql_latin1_general_cp1_ci_as() {
        let c = lookup("sql_latin1_general_cp1_ci_as").unwrap();
        assert_eq!(c.collation, Collation::SQL_LATIN1_GENERAL_CP1_CI_AS);
        assert_eq!(c.name, "SQL_Latin1_General_CP1_CI_AS");
        assert_eq!(
            default_collation().collation.to_bytes(),
            [0x09, 0x04, 0xD0, 0x00, 52]
        );
    }

    #[test]
    fn utf8_windows_collation_matches_the_codec_constant() {
        let c = lookup("Latin1_General_100_CI_AS_SC_UTF8").unwrap();
        assert_eq!(c.collation, Collation::LATIN1_GENERAL_100_CI_AS_SC_UTF8);
        assert!(c.collation.is_utf8());
    }

    #[test]
    fn windows_collation_flags_follow_the_name() {
        let ci_as = lookup("Latin1_General_CI_AS").unwrap().collation;
        assert_eq!(
            ci_as,
            Collation {
                info: 0x00D0_0409,
                sort_id: 0
            }
        );
        let cs_as_ks_ws = lookup("Latin1_General_CS_AS_KS_WS").unwrap().collation;
        assert_eq!(cs_as_ks_ws.info, 0x0409);
        let bin2 = lookup("Latin1_General_BIN2").unwrap().collation;
        assert_eq!(bin2.info, 0x0409 | BINARY2);
        let french = lookup("French_100_CI_AI").unwrap().collation;
        assert_eq!(
            french.info,
            0x040C | IGNORE_CASE | IGNORE_ACCENT | IGNORE_KANA | IGNORE_WIDTH | (2 << 28)
        );
    }

    #[test]
    fn unknown_or_malformed_names_are_rejected() {
        for bad in [
            "Klingon_CI_AS",
            "Latin1_General",
            "Latin1_General_CI",
            "Latin1_General_CI_AS_UTF8",
            "Latin1_General_CI_AS_KS_KS",
            "",
        ] {
            assert!(lookup(bad).is_none(), "{bad}");
        }
    }
}
