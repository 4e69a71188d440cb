//! The app library: uses `demo-core` under the renamed name `dcore`.

use dcore::net::Config;
use dcore::{Named, Shape};

/// A user of the app.
#[derive(Debug, Clone)]
pub struct User {
    pub login: String,
}

impl Named for User {
    fn name(&self) -> String {
        self.login.clone()
    }

    fn greet(&self) -> String {
        format!("welcome back, {}", self.name())
    }
}

impl dcore::Identified for User {
    fn id(&self) -> u64 {
        self.login.len() as u64
    }
}

/// Total area of some circles (found through the crate-root glob re-export).
pub fn total_area(circles: &[dcore::Circle]) -> f64 {
    circles.iter().map(|c| c.area()).sum()
}

pub fn default_config() -> Config {
    Config::new("example.org")
}
