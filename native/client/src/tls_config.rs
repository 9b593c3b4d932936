//! rustls settings for the client, following Microsoft's drivers: certificates checked against
//! the system's roots by default; `TrustServerCertificate=True` skips the chain and name checks
//! (never the handshake's own signatures) — except under `Encrypt=Strict`, where, as in SqlClient,
//! ODBC 18 and tedious, the certificate is always validated; `HostNameInCertificate` names the host
//! the certificate must be for when it differs from the host dialled (a load balancer, an IP
//! address); `ServerCertificate` pins the exact certificate (the way to reach a self-signed server
//! under Strict).

use crate::error::Error;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::{Arc, OnceLock};

/// The ALPN protocol id of TDS 8.0 (MS-TDS 2.2.6.5 / 3.2.5.1).
pub const ALPN_TDS_8: &[u8] = b"tds/8.0";

#[derive(Clone)]
pub struct TlsOptions {
    pub trust_server_certificate: bool,
    pub host_name_in_certificate: Option<String>,
    /// A file with the exact certificate the server must present (PEM or DER).
    pub server_certificate: Option<String>,
    pub strict: bool,
}

impl TlsOptions {
    /// Whether `TrustServerCertificate=True` takes effect: never under Strict (TDS 8.0 exists to
    /// make the certificate check unavoidable; SqlClient ignores the setting there too).
    pub fn skips_validation(&self) -> bool {
        self.trust_server_certificate && !self.strict
    }

    /// A hint for a failed certificate check that the user may have meant to skip.
    pub fn validation_hint(&self) -> Option<&'static str> {
        (self.strict && self.trust_server_certificate && self.server_certificate.is_none()).then_some(
            "TrustServerCertificate=True is ignored under Encrypt=Strict: the certificate is always validated. For a \
             self-signed server pin its certificate with ServerCertificate=FILE (sluice serve --cert-out FILE writes it)",
        )
    }
}

/// Reads a pinned certificate: the first certificate of a PEM file, or a DER file.
fn load_pinned(path: &str) -> Result<CertificateDer<'static>, Error> {
    use rustls::pki_types::pem::PemObject;
    let bytes =
        std::fs::read(path).map_err(|e| Error::Tls(format!("ServerCertificate {path:?}: {e}")))?;
    if let Some(Ok(cert)) = CertificateDer::pem_slice_iter(&bytes).next() {
        return Ok(cert);
    }
    if bytes.first() == Some(&0x30) {
        return Ok(CertificateDer::from(bytes));
    }
    Err(Error::Tls(format!(
        "ServerCertificate {path:?} holds no PEM or DER certificate"
    )))
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The system's trusted roots, loaded once per process.
fn system_roots() -> Result<Arc<RootCertStore>, Error> {
    static ROOTS: OnceLock<Result<Arc<RootCertStore>, String>> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let loaded = rustls_native_certs::load_native_certs();
            let mut store = RootCertStore::empty();
            let (added, _ignored) = store.add_parsable_certificates(loaded.certs);
            if added == 0 {
                let why = loaded.errors.first().map(|e| e.to_string()).unwrap_or_else(|| "none were found".into());
                return Err(format!(
                    "no trusted root certificates could be loaded from the system ({why}); install ca-certificates \
                     or pin the server's certificate with ServerCertificate=FILE"
                ));
            }
            Ok(Arc::new(store))
        })
        .clone()
        .map_err(Error::Tls)
}

pub fn client_config(opts: &TlsOptions) -> Result<Arc<ClientConfig>, Error> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Tls(e.to_string()))?;
    let mut config = if opts.server_certificate.is_some() || opts.skips_validation() {
        let pinned = opts
            .server_certificate
            .as_deref()
            .map(load_pinned)
            .transpose()?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(OwnCertificateCheck {
                pinned,
                provider: provider(),
            }))
            .with_no_client_auth()
    } else {
        let roots = system_roots()?;
        let webpki = rustls::client::WebPkiServerVerifier::builder_with_provider(roots, provider())
            .build()
            .map_err(|e| Error::Tls(e.to_string()))?;
        match &opts.host_name_in_certificate {
            Some(name) => {
                let name = ServerName::try_from(name.clone()).map_err(|_| {
                    Error::Tls(format!(
                        "HostNameInCertificate {name:?} is not a valid host name"
                    ))
                })?;
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(NameOverride {
                        inner: webpki,
                        name,
                    }))
                    .with_no_client_auth()
            }
            None => builder.with_webpki_verifier(webpki).with_no_client_auth(),
        }
    };
    if opts.strict {
        config.alpn_protocols = vec![ALPN_TDS_8.to_vec()];
    }
    Ok(Arc::new(config))
}

/// The checks that replace chain validation. `ServerCertificate=…` (`pinned`): the server must
/// present exactly that certificate (SqlClient's rule: the pin replaces chain and host-name
/// checks). `TrustServerCertificate=True` (no pin): any certificate is accepted. Either way the
/// handshake signatures are verified, so the session is bound to the key the server presented.
#[derive(Debug)]
struct OwnCertificateCheck {
    pinned: Option<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for OwnCertificateCheck {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self
            .pinned
            .as_ref()
            .is_none_or(|p| p.as_ref() == end_entity.as_ref())
        {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// `HostNameInCertificate=…`: full validation, against that name instead of the dialled host.
#[derive(Debug)]
struct NameOverride {
    inner: Arc<rustls::client::WebPkiServerVerifier>,
    name: ServerName<'static>,
}

impl ServerCertVerifier for NameOverride {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner
            .verify_server_cert(end_entity, intermediates, &self.name, ocsp, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}
