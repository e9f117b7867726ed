//! trybuild: every key-set error of `#[derive(CborMap)]` is a compile error naming the
//! offending field, with the span on that field.

#[test]
fn derive_errors() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
