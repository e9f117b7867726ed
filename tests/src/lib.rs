//! Cross-crate and interop tests for fido-rs; the tests live in `tests/tests/`.
