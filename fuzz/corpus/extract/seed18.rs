//! Shapes: a trait with defaults and impls that keep, override or repeat them.
#![allow(clippy::unwrap_used, reason = "examples unwrap")]

pub mod levels;
pub mod wrap;

/// Something with an area.
pub trait Shape {
    /// The area.
    fn area(&self) -> f64;
    /// A display name.
    fn name(&self) -> String {
        "shape".to_string()
    }
    /// One line about the shape.
    fn describe(&self) -> String {
        format!("{} of area {}", self.name(), self.area())
    }
    /// Number of sides.
    const SIDES: u32 = 0;
}

/// Something with a label.
pub trait Label {
    /// A display name.
    fn name(&self) -> String {
        "label".to_string()
    }
}

/// A circle.
pub struct Circle {
    /// Radius.
    pub r: f64,
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        3.14 * self.r * self.r
    }
    fn name(&self) -> String {
        "circle".to_string()
    }
    const SIDES: u32 = 0;
}

impl Label for Circle {}

/// A square.
pub struct Square(pub f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
    fn describe(&self) -> String {
        format!("{} of area {}", self.name(), self.area())
    }
    const SIDES: u32 = 4;
}

impl Square {
    /// The area, without the trait in scope.
    pub fn area(&self) -> f64 {
        self.0 * self.0
    }
}

/// A triangle that keeps every default.
pub struct Triangle;

impl Shape for Triangle {
    fn area(&self) -> f64 {
        0.5
    }
}

/// The names of a few shapes.
pub fn names() -> Vec<String> {
    vec![Circle { r: 1.0 }.describe(), Triangle.describe()]
}
