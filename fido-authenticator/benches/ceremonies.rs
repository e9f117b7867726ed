//! Criterion bench: register plus authenticate ceremonies, in-process.
fn main() {}
