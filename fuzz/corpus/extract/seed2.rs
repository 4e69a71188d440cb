pub mod good;
pub mod bad;
mod missing;
mod latin1;

#[path = "../../outside.rs"]
mod outside;

pub trait Check {
    fn check(&self) -> bool;
}
