//! A self-signed certificate generated at start-up, so every encryption mode works with no
//! files to manage. Clients reach it with TrustServerCertificate=True (it is, deliberately, not
//! trusted by any root), which also lets tests prove that validation is on by default.

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig as TlsServerConfig;
use std::sync::Arc;

/// Returns the TLS settings and the certificate in PEM, so tests can trust it explicitly.
pub fn self_signed_tls_config(
    extra_name: &str,
    strict: bool,
) -> Result<(Arc<TlsServerConfig>, String), String> {
    let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    if !names.iter().any(|n| n == extra_name) {
        names.push(extra_name.to_string());
    }
    let key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
    let mut params = rcgen::CertificateParams::new(names).map_err(|e| e.to_string())?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Sluice test server");
    let cert = params.self_signed(&key).map_err(|e| e.to_string())?;
    let pem = cert.pem();
    let cert_der = CertificateDer::from(cert.der().to_vec());
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // TLS 1.3 only with TDS 8.0, as SQL Server 2022: inside PRELOGIN (TDS 7.x) clients such as
    // FreeTDS/GnuTLS expect TLS 1.2's flights and break on 1.3's.
    let versions: &[&rustls::SupportedProtocolVersion] = if strict {
        &[&rustls::version::TLS13, &rustls::version::TLS12]
    } else {
        &[&rustls::version::TLS12]
    };
    let mut config = TlsServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(vec![cert_der], key_der)
        .map_err(|e| e.to_string())?;
    // No TLS 1.3 session tickets: they would follow the handshake in PRELOGIN packets, which a
    // client that switches to bare TLS records (or drops TLS after LOGIN7) doesn't expect.
    config.send_tls13_tickets = 0;
    if strict {
        config.alpn_protocols = vec![b"tds/8.0".to_vec()];
    }
    Ok((Arc::new(config), pem))
}
