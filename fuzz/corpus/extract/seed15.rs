use crate::cycle_a::Ping;

pub struct Pong;

pub fn pong() -> Ping {
    Ping
}
