//! Core library of the demo workspace.

pub mod net;
pub mod shapes;
mod cycle_a;
mod cycle_b;

#[path = "extra/special.rs"]
pub mod special;

macro_rules! cfg_rt {
    ($($item:item)*) => { $( #[cfg(feature = "rt")] $item )* };
}

cfg_rt! {
    pub mod runtime;
}

pub use shapes::*;

/// Something that can be named.
pub trait Named {
    /// The name.
    fn name(&self) -> String;

    /// A greeting, by default built from the name.
    fn greet(&self) -> String {
        format!("hello {}", self.name())
    }
}

/// A named thing that also has an id.
pub trait Identified: Named {
    fn id(&self) -> u64;
}

/// Even/odd by mutual recursion.
pub fn is_even(n: u32) -> bool {
    if n == 0 { true } else { is_odd(n - 1) }
}

/// See [`is_even`].
pub fn is_odd(n: u32) -> bool {
    if n == 0 { false } else { is_even(n - 1) }
}
