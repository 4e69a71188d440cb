//! Declared inside the `cfg_rt! { … }` macro call.

use crate::net::tcp;

pub struct Runtime;

impl Runtime {
    pub fn start(&self) -> tcp::Stream {
        tcp::open("localhost")
    }
}
