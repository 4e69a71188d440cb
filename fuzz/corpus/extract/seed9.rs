//! Shapes, in the mod-rs layout, re-exported with a glob from the crate root.

mod circle;

pub use circle::Circle;

/// Anything with an area.
pub trait Shape {
    /// Area in square units.
    fn area(&self) -> f64;

    /// Twice the area; `Square` overrides it.
    fn double(&self) -> f64 {
        self.area() * 2.0
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Square(pub f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }

    fn double(&self) -> f64 {
        2.0 * self.area()
    }
}
