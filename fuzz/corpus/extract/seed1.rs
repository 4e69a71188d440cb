pub const NAME: &str = "café";
