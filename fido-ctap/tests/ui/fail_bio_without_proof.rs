//! A bio enrollment helper needs the getInfo proof; another capability's proof is not it.
use fido_ctap::capability::CredMgmtSupport;
use fido_ctap::manage::BioEnroller;
use fido_ctap::perms;
use fido_ctap::pin::PinToken;

fn enroll(token: &mut PinToken<'_, perms![BioEnrollment]>, wrong: CredMgmtSupport) {
    let _bio = BioEnroller::new(token, wrong);
}

fn main() {}
