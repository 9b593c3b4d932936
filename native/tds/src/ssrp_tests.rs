use super::*;

fn response(text: &str) -> Vec<u8> {
    let mut d = vec![SVR_RESP];
    d.extend_from_slice(&(text.len() as u16).to_le_bytes());
    d.extend_from_slice(text.as_bytes());
    d
}

#[test]
fn instance_request_is_type_0x04_the_name_and_a_nul() {
    let mut out = Vec::new();
    encode_instance_request("SQLEXPRESS", &mut out).unwrap();
    assert_eq!(
        out,
        [0x04, b'S', b'Q', b'L', b'E', b'X', b'P', b'R', b'E', b'S', b'S', 0x00]
    );
    assert_eq!(
        decode_request(&out).unwrap(),
        BrowserRequest::Instance("SQLEXPRESS".into())
    );
}

#[test]
fn instance_names_the_request_cannot_carry_are_refused() {
    for bad in ["", "a;b", "nul\0x", &"x".repeat(33)] {
        let mut out = Vec::new();
        let e = encode_instance_request(bad, &mut out).unwrap_err();
        assert!(matches!(e, SsrpEncodeError::InstanceName { .. }), "{bad:?}");
        assert!(out.is_empty(), "nothing written for {bad:?}");
    }
    let mut out = Vec::new();
    encode_instance_request(&"x".repeat(32), &mut out).expect("32 bytes is the limit");
}

#[test]
fn requests_of_every_kind_decode() {
    assert_eq!(
        decode_request(&[0x02]).unwrap(),
        BrowserRequest::AllInstances
    );
    assert_eq!(
        decode_request(&[0x03]).unwrap(),
        BrowserRequest::AllInstances
    );
    assert_eq!(
        decode_request(b"\x04INST").unwrap(),
        BrowserRequest::Instance("INST".into()),
        "a client that leaves out the NUL is still understood"
    );
    assert_eq!(
        decode_request(b"\x0F\x01INST\0").unwrap(),
        BrowserRequest::AdminConnection("INST".into())
    );
    for bad in [
        &b""[..],
        b"\x04",
        b"\x04\0",
        b"\x0F\x02I\0",
        b"\x09",
        b"\x0F",
    ] {
        assert!(decode_request(bad).is_err(), "{bad:?}");
    }
}

/// A response as SQL Server 2022's Browser sends it for CLNT_UCAST_INST.
const GOLDEN: &[u8] = b"\x05\x84\x00ServerName;DBHOST;InstanceName;SQLEXPRESS;IsClustered;No;\
Version;16.0.1000.6;tcp;50123;np;\\\\DBHOST\\pipe\\MSSQL$SQLEXPRESS\\sql\\query;;";

#[test]
fn golden_response_decodes_to_the_instance_and_its_tcp_port() {
    assert_eq!(
        usize::from(GOLDEN[1]),
        GOLDEN.len() - 3,
        "the vector's RESP_SIZE"
    );
    let got = decode_response(GOLDEN).unwrap();
    assert_eq!(
        got,
        vec![InstanceInfo {
            server_name: "DBHOST".into(),
            instance_name: "SQLEXPRESS".into(),
            is_clustered: false,
            version: "16.0.1000.6".into(),
            tcp_port: Some(50123),
            named_pipe: Some(r"\\DBHOST\pipe\MSSQL$SQLEXPRESS\sql\query".into()),
        }]
    );
    let mut again = Vec::new();
    encode_response(&got, &mut again).unwrap();
    assert_eq!(again, GOLDEN, "the encoder writes the same bytes");
}

#[test]
fn a_list_of_instances_with_other_transports_and_padding_decodes() {
    let text = "ServerName;H;InstanceName;A;IsClustered;Yes;Version;15.0.2000.5;\
                via;H,0:1433;bv;i;g;i;g;o;rpc;H;tcp;1500;;\
                ServerName;H;InstanceName;B;IsClustered;No;Version;15.0.2000.5;np;\\\\H\\pipe\\x;;\0\0";
    let got = decode_response(&response(text)).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(
        (
            got[0].instance_name.as_str(),
            got[0].tcp_port,
            got[0].is_clustered
        ),
        ("A", Some(1500), true)
    );
    assert_eq!(
        (got[1].instance_name.as_str(), got[1].tcp_port),
        ("B", None)
    );
}

#[test]
fn an_empty_response_lists_no_instances() {
    assert_eq!(decode_response(&[0x05, 0, 0]).unwrap(), vec![]);
}

#[test]
fn malformed_responses_are_errors_naming_what_is_wrong() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "shorter than its 3-byte header"),
        (b"\x04\x00\x00", "expected SVR_RESP"),
        (b"\x05\x10\x00ServerName;", "RESP_SIZE says 16"),
    ];
    for (bytes, says) in cases {
        let e = decode_response(bytes).unwrap_err().to_string();
        assert!(e.contains(says), "{bytes:?}: {e}");
    }
    let texts = [
        ("ServerName;H;InstanceName;I;tcp;0;;", "tcp port \"0\""),
        (
            "ServerName;H;InstanceName;I;tcp;70000;;",
            "tcp port \"70000\"",
        ),
        (
            "ServerName;H;InstanceName;I;IsClustered;maybe;;",
            "IsClustered",
        ),
        ("ServerName;H;InstanceName;I;tcp;1433", "not closed"),
        ("ServerName;H;InstanceName;I;tcp;1433;", "not closed"),
        (
            "ServerName;H;tcp;1433;;",
            "lacks ServerName or InstanceName",
        ),
        ("ServerName;;InstanceName;I;;", "ServerName is empty"),
        ("ServerName;H;InstanceName;I;;junk", "instance record 1"),
        ("ServerName;H;InstanceName;I;;;junk", "after the closing"),
        ("ServerName;H;InstanceName;I;bv;a;b;;", "has no value"),
    ];
    for (text, says) in texts {
        let e = decode_response(&response(text)).unwrap_err().to_string();
        assert!(e.contains(says), "{text:?}: {e}");
    }
}

#[test]
fn the_encoder_refuses_fields_the_format_cannot_hold() {
    let ok = InstanceInfo {
        server_name: "H".into(),
        instance_name: "I".into(),
        ..Default::default()
    };
    let mut out = Vec::new();
    encode_response(std::slice::from_ref(&ok), &mut out).unwrap();
    assert_eq!(decode_response(&out).unwrap(), vec![ok.clone()]);
    for bad in [
        InstanceInfo {
            server_name: String::new(),
            ..ok.clone()
        },
        InstanceInfo {
            instance_name: "a;b".into(),
            ..ok.clone()
        },
    ] {
        assert!(encode_response(&[bad], &mut Vec::new()).is_err());
    }
    let many = vec![ok; 3000];
    assert!(matches!(
        encode_response(&many, &mut Vec::new()),
        Err(SsrpEncodeError::TooLong { .. })
    ));
}
