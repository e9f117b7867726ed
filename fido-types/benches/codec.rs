//! Codec benchmark (filled in by the foundation issue).
fn main() {}
