use std::time::Duration;

use super::*;

fn ok(s: &str) -> ConnectionParams {
    match parse(s) {
        Ok(p) => p,
        Err(e) => panic!("{s:?} should parse, got {e}"),
    }
}

fn err(s: &str) -> ConnStringError {
    match parse(s) {
        Ok(p) => panic!("{s:?} should fail, parsed {p:?}"),
        Err(e) => e,
    }
}

fn invalid_key(e: &ConnStringError) -> &str {
    match e {
        ConnStringError::InvalidValue { key, .. } => key,
        other => panic!("expected InvalidValue, got {other:?}"),
    }
}

fn unsupported_reason(e: &ConnStringError) -> &'static str {
    match e {
        ConnStringError::Unsupported { reason, .. } => reason,
        other => panic!("expected Unsupported, got {other:?}"),
    }
}

const PORTAL_ADO: &str = "Server=tcp:myserver.database.windows.net,1433;Initial Catalog=mydb;\
    Persist Security Info=False;User ID=me;Password={p;a}}ss};MultipleActiveResultSets=False;\
    Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;\
    Authentication=\"Active Directory Password\";";

#[test]
fn azure_portal_ado_string_parses() {
    let p = ok(PORTAL_ADO);
    assert_eq!(p.host, "myserver.database.windows.net");
    assert_eq!(p.port, 1433);
    assert_eq!(p.instance, None);
    assert_eq!(p.database.as_deref(), Some("mydb"));
    assert_eq!(p.user.as_deref(), Some("me"));
    assert_eq!(p.password.as_ref().map(Password::expose), Some("p;a}ss"));
    assert_eq!(p.encrypt, Encrypt::On);
    assert!(!p.trust_server_certificate);
    assert_eq!(p.connect_timeout, Duration::from_secs(30));
    assert_eq!(p.authentication, Authentication::ActiveDirectoryPassword);
}

#[test]
fn azure_portal_odbc_string_parses() {
    let p = ok("Driver={ODBC Driver 18 for SQL Server};Server=tcp:srv.database.windows.net,1433;\
        Database=db;Uid=admin@srv;Pwd={s3cr=t;};Encrypt=yes;TrustServerCertificate=no;Connection Timeout=30;");
    assert_eq!(p.host, "srv.database.windows.net");
    assert_eq!(p.user.as_deref(), Some("admin@srv"));
    assert_eq!(p.password.as_ref().map(Password::expose), Some("s3cr=t;"));
    assert_eq!(p.encrypt, Encrypt::On);
}

#[test]
fn only_server_gives_sqlclient_defaults() {
    let p = ok("Server=db1");
    assert_eq!((p.host.as_str(), p.port, p.instance), ("db1", 1433, None));
    assert_eq!(
        (p.database, p.user, p.password, p.access_token),
        (None, None, None, None)
    );
    assert_eq!(p.encrypt, Encrypt::On);
    assert!(!p.trust_server_certificate);
    assert_eq!(p.host_name_in_certificate, None);
    assert_eq!(p.connect_timeout, Duration::from_secs(15));
    assert_eq!(p.command_timeout, None);
    assert_eq!(p.application_name, "Sluice");
    assert_eq!((p.workstation_id, p.language), (None, None));
    assert_eq!(p.packet_size, 8000);
    assert_eq!(p.authentication, Authentication::SqlPassword);
    assert!(!p.application_intent_read_only);
    assert!(!p.multi_subnet_failover);
    assert_eq!(p.browser_port, 1434);
}

#[test]
fn browser_port_names_the_sql_browser_udp_port_for_a_named_instance() {
    let p = ok(r"Server=h\INST;Browser Port=51434");
    assert_eq!(
        (p.instance.as_deref(), p.browser_port),
        (Some("INST"), 51434)
    );
    assert_eq!(ok(r"Server=h\INST;BrowserPort=7").browser_port, 7);
    for bad in ["0", "65536", "x", "-1"] {
        assert!(
            matches!(
                err(&format!("Server=h;Browser Port={bad}")),
                ConnStringError::InvalidValue { .. }
            ),
            "{bad}"
        );
    }
}

#[test]
fn every_synonym_sets_its_field() {
    for key in [
        "Server",
        "Data Source",
        "Address",
        "Addr",
        "Network Address",
    ] {
        assert_eq!(ok(&format!("{key}=h")).host, "h", "{key}");
    }
    for key in ["Database", "Initial Catalog"] {
        assert_eq!(
            ok(&format!("Server=h;{key}=d")).database.as_deref(),
            Some("d"),
            "{key}"
        );
    }
    for key in ["User ID", "UID", "User"] {
        assert_eq!(
            ok(&format!("Server=h;{key}=u")).user.as_deref(),
            Some("u"),
            "{key}"
        );
    }
    for key in ["Password", "PWD"] {
        let p = ok(&format!("Server=h;{key}=pw"));
        assert_eq!(
            p.password.as_ref().map(Password::expose),
            Some("pw"),
            "{key}"
        );
    }
    for key in ["AccessToken", "Access Token"] {
        let p = ok(&format!("Server=h;{key}=tok"));
        assert_eq!(
            p.access_token.as_ref().map(Password::expose),
            Some("tok"),
            "{key}"
        );
    }
    for key in ["TrustServerCertificate", "Trust Server Certificate"] {
        assert!(
            ok(&format!("Server=h;{key}=yes")).trust_server_certificate,
            "{key}"
        );
    }
    for key in ["HostNameInCertificate", "Host Name In Certificate"] {
        let p = ok(&format!("Server=h;{key}=*.x.net"));
        assert_eq!(
            p.host_name_in_certificate.as_deref(),
            Some("*.x.net"),
            "{key}"
        );
    }
    for key in ["Connect Timeout", "Connection Timeout", "Timeout"] {
        assert_eq!(
            ok(&format!("Server=h;{key}=7")).connect_timeout,
            Duration::from_secs(7),
            "{key}"
        );
    }
    for key in ["Application Name", "App"] {
        assert_eq!(
            ok(&format!("Server=h;{key}=etl")).application_name,
            "etl",
            "{key}"
        );
    }
    for key in ["Workstation ID", "WSID"] {
        assert_eq!(
            ok(&format!("Server=h;{key}=w")).workstation_id.as_deref(),
            Some("w"),
            "{key}"
        );
    }
    for key in ["Current Language", "Language"] {
        assert_eq!(
            ok(&format!("Server=h;{key}=us_english"))
                .language
                .as_deref(),
            Some("us_english")
        );
    }
    for key in ["ApplicationIntent", "Application Intent"] {
        assert!(
            ok(&format!("Server=h;{key}=ReadOnly")).application_intent_read_only,
            "{key}"
        );
    }
    for key in ["MultiSubnetFailover", "Multi Subnet Failover"] {
        assert!(
            ok(&format!("Server=h;{key}=True")).multi_subnet_failover,
            "{key}"
        );
    }
    let p =
        ok("Server=h;Command Timeout=60;Packet Size=4096;Authentication=SqlPassword;Encrypt=no");
    assert_eq!(p.command_timeout, Some(Duration::from_secs(60)));
    assert_eq!(p.packet_size, 4096);
    assert_eq!(p.encrypt, Encrypt::Off);
}

#[test]
fn keys_are_case_insensitive_and_trimmed_but_inner_spaces_count() {
    let p = ok("  sErVeR  = h ;  INITIAL catalog=d; user id =u");
    assert_eq!(
        (p.host.as_str(), p.database.as_deref(), p.user.as_deref()),
        ("h", Some("d"), Some("u"))
    );
    assert_eq!(
        err("Server=h;UserID=u"),
        ConnStringError::UnknownKey {
            key: "UserID".into(),
            suggestion: Some("User ID")
        }
    );
}

#[test]
fn quoted_values_keep_separators_and_unescape_doubled_quotes() {
    let pw = |s: &str| {
        ok(&format!("Server=h;{s}"))
            .password
            .map(|p| p.expose().to_owned())
    };
    assert_eq!(pw(r#"Password="a;b=c""d""#).as_deref(), Some(r#"a;b=c"d"#));
    assert_eq!(pw("Password='it''s; ok'").as_deref(), Some("it's; ok"));
    assert_eq!(pw("Password={x}}y;z}").as_deref(), Some("x}y;z"));
    assert_eq!(
        pw("Password=  \" spaced \"  ;").as_deref(),
        Some(" spaced ")
    );
    assert_eq!(pw("Password='\"'").as_deref(), Some("\""));
    assert_eq!(pw("Password={'}").as_deref(), Some("'"));
    assert_eq!(pw("Password=a=b").as_deref(), Some("a=b"));
    assert_eq!(
        pw("Password=  padded value  ").as_deref(),
        Some("padded value")
    );
}

#[test]
fn separators_and_whitespace_between_pairs_are_skipped() {
    assert_eq!(
        ok(";; Server=h ;;; Database=d;;  ").database.as_deref(),
        Some("d")
    );
    assert_eq!(ok("Server=h;Database=").database, None);
}

#[test]
fn malformed_strings_report_the_byte_position() {
    let malformed = |s: &str| match err(s) {
        ConnStringError::Malformed { position, .. } => position,
        other => panic!("expected Malformed for {s:?}, got {other:?}"),
    };
    assert_eq!(malformed("Server=h;Password=\"abc"), 18);
    assert_eq!(malformed("Server=h;Password='abc''"), 18);
    assert_eq!(malformed("Server=h;Password={abc}}"), 18);
    assert_eq!(malformed("Server=h;Password=\"a\"b"), 21);
    assert_eq!(malformed("Server=h;Database"), 9);
    assert_eq!(malformed("Server=h;Database;x=y"), 9);
    assert_eq!(malformed("Server=h; =x"), 10);
    assert_eq!(
        parse_bytes(b"Server=h;Database=\xff"),
        Err(ConnStringError::Malformed {
            position: 18,
            reason: "not valid UTF-8"
        })
    );
    assert_eq!(parse_bytes(b"Server=h").map(|p| p.host), Ok("h".to_owned()));
}

#[test]
fn last_occurrence_wins_even_across_synonyms() {
    let p = ok("Server=a;Database=x;Data Source=b;Initial Catalog=y;Encrypt=Strict;Encrypt=False");
    assert_eq!(
        (p.host.as_str(), p.database.as_deref(), p.encrypt),
        ("b", Some("y"), Encrypt::Off)
    );
    // Only the surviving value is validated, as SqlClient validates its final dictionary.
    assert_eq!(
        ok("Server=h;Packet Size=1;Packet Size=512").packet_size,
        512
    );
    // An empty value resets to the default.
    assert_eq!(ok("Server=h;App=x;App=").application_name, "Sluice");
}

#[test]
fn booleans_accept_true_false_yes_no_in_any_case() {
    for (v, want) in [
        ("true", true),
        ("TRUE", true),
        ("Yes", true),
        ("false", false),
        ("NO", false),
    ] {
        assert_eq!(
            ok(&format!("Server=h;MultiSubnetFailover={v}")).multi_subnet_failover,
            want
        );
    }
    assert_eq!(
        invalid_key(&err("Server=h;trustservercertificate=1")),
        "trustservercertificate"
    );
}

#[test]
fn encrypt_values() {
    for (v, want) in [
        ("False", Encrypt::Off),
        ("no", Encrypt::Off),
        ("Optional", Encrypt::Off),
        ("off", Encrypt::Off),
        ("True", Encrypt::On),
        ("yes", Encrypt::On),
        ("Mandatory", Encrypt::On),
        ("STRICT", Encrypt::Strict),
    ] {
        assert_eq!(ok(&format!("Server=h;Encrypt={v}")).encrypt, want, "{v}");
    }
    assert_eq!(invalid_key(&err("Server=h;Encrypt=maybe")), "Encrypt");
}

#[test]
fn timeouts_in_seconds_with_zero_meaning_no_limit() {
    assert_eq!(
        ok("Server=h;Connect Timeout=0").connect_timeout,
        Duration::ZERO
    );
    assert_eq!(ok("Server=h;Command Timeout=0").command_timeout, None);
    assert_eq!(
        ok("Server=h;Command Timeout=30").command_timeout,
        Some(Duration::from_secs(30))
    );
    for v in ["-1", "1.5", "ten", "99999999999"] {
        assert_eq!(
            invalid_key(&err(&format!("Server=h;Timeout={v}"))),
            "Timeout"
        );
        assert_eq!(
            invalid_key(&err(&format!("Server=h;Command Timeout={v}"))),
            "Command Timeout"
        );
    }
}

#[test]
fn packet_size_must_be_512_to_32767() {
    assert_eq!(ok("Server=h;Packet Size=512").packet_size, 512);
    assert_eq!(ok("Server=h;Packet Size=32767").packet_size, 32767);
    for v in ["511", "32768", "0", "4k"] {
        assert_eq!(
            invalid_key(&err(&format!("Server=h;Packet Size={v}"))),
            "Packet Size"
        );
    }
}

#[test]
fn authentication_names_parse_with_or_without_spaces_in_any_case() {
    use Authentication::*;
    for (v, want) in [
        ("SqlPassword", SqlPassword),
        ("Sql Password", SqlPassword),
        ("accesstoken", AccessToken),
        ("Active Directory Password", ActiveDirectoryPassword),
        ("ActiveDirectoryPassword", ActiveDirectoryPassword),
        (
            "active directory service principal",
            ActiveDirectoryServicePrincipal,
        ),
        ("ActiveDirectoryDefault", ActiveDirectoryDefault),
        ("Active Directory Interactive", ActiveDirectoryInteractive),
        (
            "ActiveDirectoryManagedIdentity",
            ActiveDirectoryManagedIdentity,
        ),
        ("Active Directory Integrated", ActiveDirectoryIntegrated),
        ("ActiveDirectoryMSI", ActiveDirectoryMsi),
    ] {
        assert_eq!(
            ok(&format!("Server=h;Authentication={v}")).authentication,
            want,
            "{v}"
        );
    }
    assert_eq!(
        invalid_key(&err(
            "Server=h;Authentication=ActiveDirectoryDeviceCodeFlow"
        )),
        "Authentication"
    );
}

#[test]
fn access_token_key_selects_token_authentication() {
    let p = ok("Server=h;AccessToken=eyJ0;Authentication=AccessToken");
    assert_eq!(p.authentication, Authentication::AccessToken);
    assert_eq!(
        ok("Server=h;Access Token=eyJ0").authentication,
        Authentication::AccessToken
    );
}

#[test]
fn application_intent_values() {
    assert!(!ok("Server=h;ApplicationIntent=readwrite").application_intent_read_only);
    assert_eq!(
        invalid_key(&err("Server=h;ApplicationIntent=write")),
        "ApplicationIntent"
    );
}

#[test]
fn sqlclient_keys_irrelevant_to_sluice_are_ignored() {
    ok(
        "Server=h;Persist Security Info=True;MultipleActiveResultSets=False;Pooling=false;\
        Min Pool Size=1;Max Pool Size=100;Replication=false;TransparentNetworkIPResolution=false;\
        ConnectRetryCount=3;ConnectRetryInterval=10;Column Encryption Setting=Disabled;\
        Load Balance Timeout=0;Enlist=false;Driver={ODBC Driver 18 for SQL Server};\
        Trusted_Connection=no;Integrated Security=false;Network Library=DBMSSOCN",
    );
}

#[test]
fn mars_and_windows_authentication_are_unsupported() {
    assert!(unsupported_reason(&err("Server=h;MultipleActiveResultSets=True")).contains("MARS"));
    for s in [
        "Integrated Security=True",
        "Integrated Security=SSPI",
        "Trusted_Connection=yes",
    ] {
        assert_eq!(
            unsupported_reason(&err(&format!("Server=h;{s}"))),
            "Integrated Security (Windows authentication) is not supported; use SQL or Entra ID authentication"
        );
    }
    assert_eq!(
        invalid_key(&err("Server=h;Integrated Security=maybe")),
        "Integrated Security"
    );
    unsupported_reason(&err("Server=h;Network Library=dbnmpntw"));
}

#[test]
fn unknown_keys_are_named_with_a_suggestion_when_close() {
    assert_eq!(
        err("Server=h;Pasword=x"),
        ConnStringError::UnknownKey {
            key: "Pasword".into(),
            suggestion: Some("Password")
        }
    );
    assert_eq!(
        err("Server=h;Initial Catalogue=d"),
        ConnStringError::UnknownKey {
            key: "Initial Catalogue".into(),
            suggestion: Some("Initial Catalog")
        }
    );
    assert_eq!(
        err("Server=h;Frobnicate=1"),
        ConnStringError::UnknownKey {
            key: "Frobnicate".into(),
            suggestion: None
        }
    );
    assert_eq!(
        err("Server=h;Pasword=x").to_string(),
        "unknown connection string key 'Pasword'; did you mean 'Password'?"
    );
}

#[test]
fn conflicting_settings_are_rejected() {
    let conflict = |s: &str| match err(&format!("Server=h;{s}")) {
        ConnStringError::Conflicting { a, b } => (a, b),
        other => panic!("expected Conflicting for {s:?}, got {other:?}"),
    };
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        conflict("AccessToken=t;Password=p"),
        pair("AccessToken", "Password")
    );
    assert_eq!(
        conflict("AccessToken=t;User ID=u"),
        pair("AccessToken", "User ID")
    );
    assert_eq!(
        conflict("AccessToken=t;Authentication=SqlPassword"),
        pair("AccessToken", "Authentication")
    );
    assert_eq!(
        conflict("Authentication=AccessToken;Password=p").1,
        "Password"
    );
    assert_eq!(
        conflict("Authentication=ActiveDirectoryIntegrated;UID=u"),
        pair("Authentication=Active Directory Integrated", "User ID")
    );
    assert_eq!(
        conflict("Authentication=Active Directory MSI;PWD=p").1,
        "Password"
    );
    assert_eq!(
        conflict("Authentication=ActiveDirectoryDefault;PWD=p").1,
        "Password"
    );
    // Parses (SqlClient accepts it too); the client ignores the trust setting under Strict.
    let strict = ok("Server=h;User ID=u;Password=p;Encrypt=Strict;TrustServerCertificate=True");
    assert!(strict.trust_server_certificate && strict.encrypt == Encrypt::Strict);
    // A user-assigned managed identity is named by its client id in User ID.
    ok("Server=h;Authentication=ActiveDirectoryManagedIdentity;User ID=client-id");
}

#[test]
fn secrets_print_as_stars() {
    let p = ok("Server=h;User ID=u;Password=Hunter2Secret");
    let token = ok("Server=h;AccessToken=Hunter2Secret");
    for text in [
        format!("{p:?}"),
        format!("{token:?}"),
        p.redacted(),
        token.redacted(),
        format!("{}", Password::new("Hunter2Secret")),
    ] {
        assert!(!text.contains("Hunter2"), "{text}");
    }
    assert_eq!(format!("{:?}", Password::new("x")), "***");
}

#[test]
fn errors_never_contain_the_password_or_token() {
    const SECRET: &str = "Hunter2Secret";
    let cases = [
        "Server=h;Password=Hunter2Secret;Encrypt=maybe",
        "Server=h;Password=Hunter2;Secret=1",
        "Server=h;Password=Hunter2;Secret",
        "Server=h;PWD=Hunter2;Secret;x=1",
        "Server=h;Password={Hunter2Secret",
        "Server=h;Password=\"Hunter2Secret\"x",
        "Server=h;Password=Hunter2Secret;AccessToken=Hunter2Secret",
        "Server=h;AccessToken=Hunter2;Secret=1",
        "Server=h;AccessToken=Hunter2Secret;Authentication=SqlPassword",
        "Server=np:h;Password=Hunter2Secret",
        "Password=Hunter2Secret",
        "Server=h;Password=Hunter2Secret;Authentication=ActiveDirectoryDefault",
    ];
    for s in cases {
        let e = err(s);
        let shown = format!("{e} {e:?}");
        assert!(
            !shown.contains("Hunter2") && !shown.contains(SECRET) && !shown.contains("Secret="),
            "{s}: {shown}"
        );
    }
    assert!(matches!(
        err(cases[1]),
        ConnStringError::UnknownKeyAfterSecret {
            secret_key: "Password"
        }
    ));
    // A secret-keyed value in InvalidValue is masked even if a future rule rejects it.
    let entry = Entry {
        key: Key::Password,
        written: "PWD".into(),
        value: SECRET.into(),
    };
    assert!(!entry.invalid("anything").to_string().contains(SECRET));
}

#[test]
fn redacted_parses_back_to_the_same_parameters_without_secrets() {
    for s in [
        PORTAL_ADO,
        "Server=h\\INST;Browser Port=2000;App=\"my; app\";WSID=' w ';Language={us_english};Command Timeout=5",
        "Server=[::1],1500;AccessToken=t;Encrypt=Strict;Connect Timeout=0;ApplicationIntent=ReadOnly",
        "Server=.;MultiSubnetFailover=yes;Packet Size=512;HostNameInCertificate=\"a\"\"b\"",
    ] {
        let p = ok(s);
        let mut back = ok(&p.redacted());
        assert_eq!(back.password.take().map(|p| p.expose().to_owned()), p.password.as_ref().map(|_| "***".to_owned()));
        assert_eq!(back.access_token.take().is_some(), p.access_token.is_some());
        let mut p = p;
        (p.password, p.access_token) = (None, None);
        assert_eq!(back, p, "{s}");
    }
}

#[test]
fn no_input_panics() {
    // A tiny deterministic fuzzer over the characters the grammar cares about.
    let alphabet: Vec<char> = "=;\"'{} ,\\:[]tcpnServerPasswordEncryptx1é\u{0}\t"
        .chars()
        .collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..5_000 {
        let mut s = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 40) as usize;
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            s.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        let _ = parse(&s);
        let _ = parse(&format!("Server=h;{s}"));
        let _ = parse_bytes(s.as_bytes());
    }
    let long_key = "k".repeat(1_000_000);
    assert!(matches!(
        parse(&format!("{long_key}=1")),
        Err(ConnStringError::UnknownKey {
            suggestion: None,
            ..
        })
    ));
}
