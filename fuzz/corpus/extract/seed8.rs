//! TCP streams.

use super::Config;

/// An open stream.
pub struct Stream {
    config: Config,
}

impl Stream {
    /// Connects with the given config.
    pub(crate) fn connect(config: Config) -> Stream {
        Stream { config }
    }

    /// The peer's address.
    pub fn peer(&self) -> String {
        self.config.address()
    }
}

pub fn open(host: &str) -> Stream {
    Stream::connect(Config::new(host))
}
