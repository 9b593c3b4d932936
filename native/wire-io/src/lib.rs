//! The byte plumbing under a TDS session, shared by the client (`sluice-client`) and the test
//! server (`sluice-server`): whole packets over a stream, TLS carried inside PRELOGIN packets
//! (TDS 7.x) or bare (TDS 8.0), and one transport type for plain and TLS sockets.
//! No protocol decisions live here: what a payload means is `tds`'s, what to do with it the caller's.

pub mod packet_io;
pub mod prelogin_tls;
pub mod transport;
