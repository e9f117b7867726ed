//! `perms![A, B]` and `perms![B, A]` are the same type, and repeating a permission changes
//! nothing; a token of either spelling is accepted where the other is expected.
use core::marker::PhantomData;

use fido_ctap::perms;
use fido_ctap::pin::{PermissionSet, PinToken, Session};
use fido_types::pin_protocol::Pin;

fn same<T>(_: PhantomData<T>, _: PhantomData<T>) {}

fn wants(_token: &PinToken<'_, perms![LargeBlobWrite, CredentialManagement]>) {}

#[allow(dead_code)]
fn acquire(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let token = session.pin_token::<perms![CredentialManagement, LargeBlobWrite]>(pin)?;
    wants(&token);
    Ok(())
}

fn main() {
    same(
        PhantomData::<perms![CredentialManagement, LargeBlobWrite]>,
        PhantomData::<perms![LargeBlobWrite, CredentialManagement]>,
    );
    same(
        PhantomData::<perms![MakeCredential, GetAssertion, BioEnrollment]>,
        PhantomData::<perms![BioEnrollment, MakeCredential, GetAssertion, MakeCredential]>,
    );
    assert_eq!(<perms![AuthenticatorConfig, MakeCredential] as PermissionSet>::BITS, 0x21);
    assert_eq!(<perms![] as PermissionSet>::BITS, 0);
    assert_eq!(
        <perms![
            PersistentCredentialManagementReadOnly,
            AuthenticatorConfig,
            LargeBlobWrite,
            BioEnrollment,
            CredentialManagement,
            GetAssertion,
            MakeCredential,
        ] as PermissionSet>::BITS,
        0x7f
    );
}
