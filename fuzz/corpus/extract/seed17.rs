//! A wrapper whose own method hides the wrapped type's.

use std::ops::Deref;

/// A list of numbers.
pub struct Numbers(pub Vec<u32>);

impl Numbers {
    /// How many numbers.
    pub fn count(&self) -> usize {
        self.0.len()
    }
    /// The largest number.
    pub fn max(&self) -> Option<u32> {
        self.0.iter().copied().max()
    }
}

/// Numbers with a name.
pub struct Named {
    /// The name.
    pub name: String,
    numbers: Numbers,
}

impl Deref for Named {
    type Target = Numbers;
    fn deref(&self) -> &Numbers {
        &self.numbers
    }
}

impl Named {
    /// Counts the name's characters, not the numbers.
    pub fn count(&self) -> usize {
        self.name.len()
    }
}
