use super::*;

#[test]
fn bom_settles_the_encoding_and_is_skipped() {
    let c = detect_encoding(b"\xff\xfea\x00", 4, None).unwrap();
    assert_eq!(
        (c.name, c.bom_len, c.evidence.as_str()),
        ("UTF-16LE", 2, "UTF-16LE byte-order mark")
    );
    let c = detect_encoding(b"\xef\xbb\xbfa", 4, None).unwrap();
    assert_eq!((c.name, c.bom_len), ("UTF-8", 3));
}

#[test]
fn valid_utf8_sample_says_so_with_its_size() {
    let c = detect_encoding("a,é\n".as_bytes(), 5, None).unwrap();
    assert_eq!(c.name, "UTF-8");
    assert_eq!(
        c.evidence,
        "no BOM; the 5-byte sample is valid UTF-8 (1 multi-byte characters)"
    );
    let ascii = detect_encoding(b"a,b\n", 4, None).unwrap();
    assert!(
        ascii.evidence.ends_with("(all ASCII)"),
        "{}",
        ascii.evidence
    );
}

#[test]
fn mostly_utf8_with_a_damaged_byte_stays_utf8() {
    let mut bytes = "é,ü,ö\nx".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\n");
    let c = detect_encoding(&bytes, bytes.len() as u64, None).unwrap();
    assert_eq!(c.name, "UTF-8");
    assert!(
        c.evidence
            .contains("3 valid multi-byte UTF-8 characters and 1 invalid"),
        "{}",
        c.evidence
    );
}

#[test]
fn character_cut_by_the_end_of_a_partial_sample_is_not_invalid() {
    let sample = &"abcé".as_bytes()[..4];
    let c = detect_encoding(sample, 1000, None).unwrap();
    assert_eq!(c.name, "UTF-8", "{}", c.evidence);
    // The same bytes as a whole file end in an invalid sequence.
    let whole = detect_encoding(sample, 4, None).unwrap();
    assert_ne!(whole.name, "UTF-8");
}

#[test]
fn legacy_text_goes_to_chardetng_with_its_evidence() {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Größe;Maß;Straße\nÄpfel;Öl;Übung\n");
    let c = detect_encoding(&bytes, bytes.len() as u64, None).unwrap();
    assert_eq!(c.name, "windows-1252");
    assert!(
        c.evidence.starts_with(
            "no BOM; not UTF-8 (invalid byte at offset 2); chardetng: windows-1252 over"
        ),
        "{}",
        c.evidence
    );
}

#[test]
fn utf16be_without_bom_is_found_by_its_zero_bytes() {
    let bytes: Vec<u8> = "id,name\n1,x\n"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let c = detect_encoding(&bytes, bytes.len() as u64, None).unwrap();
    assert_eq!((c.name, c.bom_len), ("UTF-16BE", 0));
}

#[test]
fn a_stray_nul_in_text_is_binary() {
    let e = detect_encoding(b"id,name\n1,a\x00b\n2,c\n", 20, None).unwrap_err();
    assert!(
        matches!(e, ReadErrorKind::Binary(ref m) if m.contains("offset 11")),
        "{e:?}"
    );
}
