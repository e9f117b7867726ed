//! Compile-fail tests of the typestate: permission misuse, token lifetimes, forged
//! permission sets, tokens without a session, protocol mixing; and the pass tests for
//! order-independent permission sets; the management helpers without their getInfo proof,
//! forged proofs, and a token used after each path that ends it (reset or ClientPIN
//! through the lent authenticator, the session, setMinPINLength). Run with `cargo test -p fido-ctap --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass_*.rs");
    t.compile_fail("tests/ui/fail_*.rs");
}
