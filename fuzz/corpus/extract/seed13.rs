//! Networking, in the non-mod-rs layout (`net.rs` + `net/tcp.rs`).

pub mod tcp;

use crate::Named;

/// Connection settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub host: String,
    pub port: u16,
}

impl Config {
    /// A config for `host` on the default port.
    pub fn new(host: &str) -> Config {
        Config { host: host.to_string(), port: 80 }
    }

    /// The address as `host:port`.
    pub fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

impl Named for Config {
    fn name(&self) -> String {
        self.address()
    }
}

impl std::fmt::Display for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.address())
    }
}
