//! Imports `cycle_b`, which imports this module back.

use crate::cycle_b::Pong;

pub struct Ping;

pub fn ping() -> Pong {
    Pong
}
