//! The keys a connection string may use: SqlClient's names and synonyms, a few ODBC spellings,
//! and Sluice's own `AccessToken`.

/// The settings Sluice distinguishes; many spellings map to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Server,
    Database,
    User,
    Password,
    AccessToken,
    Encrypt,
    TrustServerCertificate,
    HostNameInCertificate,
    ServerCertificate,
    ConnectTimeout,
    CommandTimeout,
    ApplicationName,
    WorkstationId,
    Language,
    PacketSize,
    Authentication,
    ApplicationIntent,
    MultiSubnetFailover,
    MultipleActiveResultSets,
    IntegratedSecurity,
    NetworkLibrary,
    /// Sluice's own: the SQL Browser's UDP port for `host\instance` (tests run it unprivileged).
    BrowserPort,
    /// Accepted because SqlClient or ODBC accepts it, but irrelevant to a bulk loader.
    Ignored,
}

/// Every accepted spelling, compared ASCII-case-insensitively after trimming. Inner spaces
/// count: `User ID` is a key, `UserID` is not (SqlClient agrees).
const KEYS: &[(Key, &[&str])] = &[
    (
        Key::Server,
        &[
            "Server",
            "Data Source",
            "Address",
            "Addr",
            "Network Address",
        ],
    ),
    (Key::Database, &["Database", "Initial Catalog"]),
    (Key::User, &["User ID", "UID", "User"]),
    (Key::Password, &["Password", "PWD"]),
    (Key::AccessToken, &["AccessToken", "Access Token"]),
    (Key::Encrypt, &["Encrypt"]),
    (
        Key::TrustServerCertificate,
        &["TrustServerCertificate", "Trust Server Certificate"],
    ),
    (
        Key::HostNameInCertificate,
        &["HostNameInCertificate", "Host Name In Certificate"],
    ),
    (
        Key::ServerCertificate,
        &["ServerCertificate", "Server Certificate"],
    ),
    (
        Key::ConnectTimeout,
        &["Connect Timeout", "Connection Timeout", "Timeout"],
    ),
    (Key::CommandTimeout, &["Command Timeout"]),
    (Key::ApplicationName, &["Application Name", "App"]),
    (Key::WorkstationId, &["Workstation ID", "WSID"]),
    (Key::Language, &["Current Language", "Language"]),
    (Key::PacketSize, &["Packet Size"]),
    (Key::Authentication, &["Authentication"]),
    (
        Key::ApplicationIntent,
        &["ApplicationIntent", "Application Intent"],
    ),
    (
        Key::MultiSubnetFailover,
        &["MultiSubnetFailover", "Multi Subnet Failover"],
    ),
    (
        Key::MultipleActiveResultSets,
        &["MultipleActiveResultSets", "MARS_Connection"],
    ),
    (
        Key::IntegratedSecurity,
        &["Integrated Security", "Trusted_Connection"],
    ),
    (Key::NetworkLibrary, &["Network Library", "Network", "Net"]),
    (Key::BrowserPort, &["Browser Port", "BrowserPort"]),
    (
        Key::Ignored,
        &[
            "Persist Security Info",
            "PersistSecurityInfo",
            "Pooling",
            "Min Pool Size",
            "Max Pool Size",
            "Pool Blocking Period",
            "PoolBlockingPeriod",
            "Load Balance Timeout",
            "Connection Lifetime",
            "Replication",
            "TransparentNetworkIPResolution",
            "Transparent Network IP Resolution",
            "ConnectRetryCount",
            "Connect Retry Count",
            "ConnectRetryInterval",
            "Connect Retry Interval",
            "Column Encryption Setting",
            "IPAddressPreference",
            "IP Address Preference",
            "Type System Version",
            "Enlist",
            "Driver",
        ],
    ),
];

fn spellings() -> impl Iterator<Item = (Key, &'static str)> {
    KEYS.iter()
        .flat_map(|&(key, names)| names.iter().map(move |&name| (key, name)))
}

impl Key {
    pub(super) fn lookup(written: &str) -> Option<Key> {
        spellings()
            .find(|(_, name)| name.eq_ignore_ascii_case(written))
            .map(|(key, _)| key)
    }

    /// The canonical name of a key whose value is a secret.
    pub(super) fn secret_name(self) -> Option<&'static str> {
        match self {
            Key::Password => Some("Password"),
            Key::AccessToken => Some("AccessToken"),
            _ => None,
        }
    }
}

/// The nearest known spelling, if it is close enough to be a plausible typo.
pub(super) fn nearest_key(written: &str) -> Option<&'static str> {
    // Bounded so a fuzzer's megabyte-long key costs nothing.
    if written.chars().count() > 64 {
        return None;
    }
    let written = written.to_ascii_lowercase();
    spellings()
        .map(|(_, name)| (edit_distance(&written, &name.to_ascii_lowercase()), name))
        .filter(|&(distance, name)| distance <= 2 || distance * 4 <= name.len())
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        if let Some(first) = current.first_mut() {
            *first = left;
        }
        for ((slot, &above), &cb) in current
            .iter_mut()
            .skip(1)
            .zip(previous.iter().skip(1))
            .zip(&b)
        {
            left = (diagonal + usize::from(ca != cb))
                .min(above + 1)
                .min(left + 1);
            *slot = left;
            diagonal = above;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("password", "password"), 0);
    }

    #[test]
    fn every_spelling_is_unique() {
        let all: Vec<String> = spellings().map(|(_, n)| n.to_ascii_lowercase()).collect();
        for (i, name) in all.iter().enumerate() {
            assert!(
                !all.iter().skip(i + 1).any(|other| other == name),
                "{name} listed twice"
            );
        }
    }
}
