//! The large-blob helper (`fido_ctap::manage::LargeBlobs`) against the virtual
//! authenticator, with both PIN/UV protocols: get, put and delete per credential by the
//! largeBlobKey credential management reports, other entries byte-identical, fragments
//! within maxFragmentLength; a damaged array reported and not overwritten unless replaced
//! wholesale; writes without largeBlobWrite refused before anything is sent.

mod manage_common;

use std::sync::{Arc, Mutex, PoisonError};

use fido_authenticator::Config;
use fido_ctap::capability::{CredMgmtSupport, LargeBlobSupport};
use fido_ctap::device::{CancelToken, CtapDevice, DeviceInfo, Timeouts, TransportError};
use fido_ctap::error::{Error, PermissionError, ResponseError};
use fido_ctap::large_blob::LargeBlobError;
use fido_ctap::large_blob::array::LargeBlobArray;
use fido_ctap::manage::{CredentialManager, LargeBlobs};
use fido_ctap::perms;
use fido_ctap::pin::{DynPermissions, Session};
use fido_types::cbor::Value;
use fido_types::generated::{
    CtaphidCommand, KeepaliveStatus, LargeBlobsRequest, LargeBlobsResponse,
};
use fido_types::pin_protocol::{PinProtocol, ProtocolOne, ProtocolTwo};
use manage_common::{authenticator, ok_answer, open, pin, resident, session};

const USERS: [&str; 3] = ["alice", "bob", "carol"];

/// The empty serialized array, the initial value (CTAP 2.1 §6.10.2).
const EMPTY: [u8; 17] = [
    0x80, 0x76, 0xbe, 0x8b, 0x52, 0x8d, 0x00, 0x75, 0xf7, 0xaa, 0xe9, 0x8d, 0x6f, 0xa5, 0x7a, 0x6d,
    0x3c,
];

/// One authenticatorLargeBlobs request as sent: a read of `count` bytes or a write of
/// `len` bytes, at `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    Get { offset: u32, count: u32 },
    Set { offset: u32, len: usize },
}

/// A device that logs authenticatorLargeBlobs requests and, while `damaged` holds an
/// array, answers reads from it instead of the authenticator.
struct Spy<D> {
    inner: D,
    sent: Arc<Mutex<Vec<Sent>>>,
    damaged: Arc<Mutex<Option<Vec<u8>>>>,
}

impl<D: CtapDevice> CtapDevice for Spy<D> {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        if cmd == CtaphidCommand::CBOR && payload.first() == Some(&0x0C) {
            let request: LargeBlobsRequest = fido_types::cbor::from_slice(&payload[1..]).unwrap();
            let sent = match (&request.get, &request.set) {
                (Some(count), _) => Sent::Get {
                    offset: request.offset,
                    count: *count,
                },
                (_, Some(set)) => Sent::Set {
                    offset: request.offset,
                    len: set.len(),
                },
                _ => panic!("neither get nor set"),
            };
            self.sent
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(sent);
            let damaged = self.damaged.lock().unwrap_or_else(PoisonError::into_inner);
            if let (Sent::Get { offset, count }, Some(array)) = (sent, damaged.as_ref()) {
                let start = (offset as usize).min(array.len());
                let end = (start + count as usize).min(array.len());
                let response = LargeBlobsResponse {
                    config: Some(array[start..end].to_vec()),
                    ..Default::default()
                };
                return Ok(ok_answer(fido_types::cbor::to_vec(&response).unwrap()));
            }
        }
        self.inner.call(cmd, payload, cancel, on_keepalive)
    }

    fn info(&self) -> &DeviceInfo {
        self.inner.info()
    }

    fn timeouts(&self) -> Timeouts {
        self.inner.timeouts()
    }

    fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.inner.set_timeouts(timeouts);
    }

    fn close(&mut self) {
        self.inner.close();
    }
}

type SpySession<P> = Session<Spy<Box<dyn CtapDevice>>, P>;

struct Fixture<P: PinProtocol> {
    session: SpySession<P>,
    sent: Arc<Mutex<Vec<Sent>>>,
    damaged: Arc<Mutex<Option<Vec<u8>>>>,
    /// The largeBlobKey of each of [`USERS`], from credential management.
    keys: Vec<Vec<u8>>,
    support: LargeBlobSupport,
}

impl<P: PinProtocol> Fixture<P> {
    fn sent(&self) -> Vec<Sent> {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn clear(&self) {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn writes(&self) -> usize {
        self.sent()
            .iter()
            .filter(|s| matches!(s, Sent::Set { .. }))
            .count()
    }

    fn damage(&self, array: Option<Vec<u8>>) {
        *self.damaged.lock().unwrap_or_else(PoisonError::into_inner) = array;
    }

    /// The array as the authenticator holds it, read without a token.
    fn device_array(&mut self) -> Vec<u8> {
        let support = self.support;
        LargeBlobs::new(self.session.ctap_mut(), support)
            .read_serialized()
            .unwrap()
    }
}

/// An authenticator with a PIN and one discoverable credential with a largeBlobKey per
/// user, and the keys as credential management reports them.
fn fixture<P: PinProtocol>() -> Fixture<P> {
    let auth = authenticator(Config::default());
    let sent = Arc::default();
    let damaged = Arc::default();
    let spy = Spy {
        inner: open(&auth),
        sent: Arc::clone(&sent),
        damaged: Arc::clone(&damaged),
    };
    let mut session = session::<P, _>(spy);
    for user in USERS {
        let mut request = resident("example.com", user);
        let mut extensions = fido_types::cbor::StrMap::new();
        extensions.insert("largeBlobKey".to_owned(), Value::Bool(true));
        request.extensions = Some(extensions);
        let mut token = session
            .pin_token_for_rp::<perms![MakeCredential]>(&pin(), "example.com")
            .unwrap();
        token.make_credential(request).unwrap();
    }
    let cred_support = CredMgmtSupport::check(session.ctap().info()).unwrap();
    let support = LargeBlobSupport::check(session.ctap().info()).unwrap();
    let keys = {
        let mut token = session
            .pin_token::<perms![CredentialManagement]>(&pin())
            .unwrap();
        let credentials = CredentialManager::new(&mut token, cred_support)
            .credentials_for("example.com")
            .unwrap();
        USERS
            .iter()
            .map(|user| {
                let c = credentials
                    .iter()
                    .find(|c| c.user.id == user.as_bytes())
                    .unwrap();
                let key = c.large_blob_key.as_ref().expect("a largeBlobKey");
                key.expose_secret().to_vec()
            })
            .collect()
    };
    Fixture {
        session,
        sent,
        damaged,
        keys,
        support,
    }
}

/// Bytes DEFLATE cannot shrink (a fixed xorshift sequence), so a blob of `n` of them
/// takes about `n` bytes in the array.
fn incompressible(n: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn get_put_delete<P: PinProtocol>() {
    let mut f = fixture::<P>();
    let support = f.support;
    assert_eq!(support.declared_max_array(), Some(4096));
    let keys = f.keys.clone();
    assert_eq!(f.device_array(), EMPTY.to_vec());
    {
        let mut token = f
            .session
            .pin_token::<perms![LargeBlobWrite]>(&pin())
            .unwrap();
        let mut blobs = LargeBlobs::new(&mut token, support);
        assert!(blobs.get(&keys[0]).unwrap().is_none());
        blobs.put(&keys[0], b"alice's blob").unwrap();
        blobs.put(&keys[1], b"bob's blob").unwrap();
        assert_eq!(
            blobs.get(&keys[0]).unwrap().unwrap().as_slice(),
            b"alice's blob"
        );
        assert_eq!(
            blobs.get(&keys[1]).unwrap().unwrap().as_slice(),
            b"bob's blob"
        );
        assert!(blobs.get(&keys[2]).unwrap().is_none());
    }
    // Replacing alice's entry leaves bob's entry byte-identical.
    let before = LargeBlobArray::parse(&f.device_array()).unwrap();
    {
        let mut token = f
            .session
            .pin_token::<perms![LargeBlobWrite]>(&pin())
            .unwrap();
        LargeBlobs::new(&mut token, support)
            .put(&keys[0], b"alice's second blob")
            .unwrap();
    }
    let after = LargeBlobArray::parse(&f.device_array()).unwrap();
    assert_eq!(after.entries().len(), 2);
    assert_ne!(after.entries()[0], before.entries()[0]);
    assert_eq!(after.entries()[1].bytes(), before.entries()[1].bytes());
    // A bare authenticator reads (no token needed).
    let read = LargeBlobs::new(f.session.ctap_mut(), support)
        .get(&keys[0])
        .unwrap();
    assert_eq!(read.unwrap().as_slice(), b"alice's second blob");

    // A blob larger than maxFragmentLength (2048 - 64) travels in fragments no longer.
    let big = incompressible(2500);
    f.clear();
    {
        let mut token = f
            .session
            .pin_token::<perms![LargeBlobWrite]>(&pin())
            .unwrap();
        let mut blobs = LargeBlobs::new(&mut token, support);
        blobs.put(&keys[2], &big).unwrap();
        assert_eq!(blobs.get(&keys[2]).unwrap().unwrap().as_slice(), big);
    }
    let sent = f.sent();
    let sets: Vec<_> = sent
        .iter()
        .filter_map(|s| match s {
            Sent::Set { offset, len } => Some((*offset, *len)),
            Sent::Get { .. } => None,
        })
        .collect();
    assert_eq!(sets.len(), 2, "{sent:?}");
    assert_eq!(sets[0], (0, 1984));
    assert_eq!(sets[1].0, 1984);
    assert!(sent.iter().all(|s| match s {
        Sent::Get { count, .. } => *count == 1984,
        Sent::Set { len, .. } => *len <= 1984,
    }));
    // The other two entries are still byte-identical.
    let with_big = LargeBlobArray::parse(&f.device_array()).unwrap();
    assert_eq!(&with_big.entries()[..2], after.entries());

    // Delete: once true, then false without writing; the others stay.
    let mut token = f
        .session
        .pin_token::<perms![LargeBlobWrite]>(&pin())
        .unwrap();
    let mut blobs = LargeBlobs::new(&mut token, support);
    assert!(blobs.delete(&keys[1]).unwrap());
    f.sent.lock().unwrap().clear();
    assert!(!blobs.delete(&keys[1]).unwrap());
    assert!(blobs.get(&keys[1]).unwrap().is_none());
    assert_eq!(blobs.get(&keys[2]).unwrap().unwrap().as_slice(), big);
    let array = blobs.read().unwrap();
    assert_eq!(array.entries()[0], after.entries()[0]);
    assert_eq!(array.entries().len(), 2);
    drop(token);
    assert_eq!(f.writes(), 0, "a delete of nothing writes nothing");
}

#[test]
fn get_put_delete_protocol_one() {
    get_put_delete::<ProtocolOne>();
}

#[test]
fn get_put_delete_protocol_two() {
    get_put_delete::<ProtocolTwo>();
}

fn damaged_array<P: PinProtocol>() {
    let mut f = fixture::<P>();
    let support = f.support;
    let keys = f.keys.clone();
    {
        let mut token = f
            .session
            .pin_token::<perms![LargeBlobWrite]>(&pin())
            .unwrap();
        LargeBlobs::new(&mut token, support)
            .put(&keys[0], b"kept")
            .unwrap();
    }
    let good = f.device_array();
    // One flipped bit in an entry: the hash no longer matches.
    let mut flipped = good.clone();
    flipped[5] ^= 1;
    // Shorter than its own hash.
    let truncated = good[..10].to_vec();
    for (damaged, hash) in [(flipped, true), (truncated, false)] {
        f.damage(Some(damaged));
        f.clear();
        let mut token = f
            .session
            .pin_token::<perms![LargeBlobWrite]>(&pin())
            .unwrap();
        let mut blobs = LargeBlobs::new(&mut token, support);
        let check = |e: LargeBlobError| {
            if hash {
                assert!(matches!(e, LargeBlobError::HashMismatch), "{e:?}");
            } else {
                assert!(matches!(e, LargeBlobError::MalformedArray(_)), "{e:?}");
            }
        };
        check(blobs.get(&keys[0]).unwrap_err());
        check(blobs.put(&keys[1], b"new").unwrap_err());
        check(blobs.delete(&keys[0]).unwrap_err());
        check(blobs.read_serialized().unwrap_err());
        drop(token);
        assert_eq!(f.writes(), 0, "a damaged array is never written over");
        f.damage(None);
        assert_eq!(f.device_array(), good);
    }
    // Replacing it wholesale is the caller's explicit choice, and works.
    f.damage(Some(vec![0x80; 17]));
    let mut token = f
        .session
        .pin_token::<perms![LargeBlobWrite]>(&pin())
        .unwrap();
    let mut blobs = LargeBlobs::new(&mut token, support);
    assert!(blobs.read().is_err());
    blobs.replace(&LargeBlobArray::empty()).unwrap();
    // A damaged serialized array given to replace is refused before sending.
    f.sent.lock().unwrap().clear();
    let e = blobs.replace_serialized(&[0x80; 17]).unwrap_err();
    assert!(matches!(e, LargeBlobError::HashMismatch), "{e:?}");
    drop(token);
    assert_eq!(f.writes(), 0);
    f.damage(None);
    assert_eq!(f.device_array(), EMPTY.to_vec());
}

#[test]
fn damaged_array_is_reported_and_not_overwritten_protocol_one() {
    damaged_array::<ProtocolOne>();
}

#[test]
fn damaged_array_is_reported_and_not_overwritten_protocol_two() {
    damaged_array::<ProtocolTwo>();
}

#[test]
fn writes_without_large_blob_write_are_refused_before_sending() {
    let mut f = fixture::<ProtocolTwo>();
    let support = f.support;
    let keys = f.keys.clone();
    f.clear();
    // The bare authenticator reads but may not write.
    let e = LargeBlobs::new(f.session.ctap_mut(), support)
        .put(&keys[0], b"x")
        .unwrap_err();
    assert!(
        matches!(
            e,
            LargeBlobError::Ctap(Error::Permission(PermissionError::Missing { .. }))
        ),
        "{e:?}"
    );
    // Nor may a run-time token without largeBlobWrite.
    let without = DynPermissions::of::<perms![CredentialManagement]>();
    let mut token = f.session.pin_token_dyn(&pin(), without, None).unwrap();
    let mut blobs = LargeBlobs::new(&mut token, support);
    let e = blobs.put(&keys[0], b"x").unwrap_err();
    assert!(
        matches!(
            e,
            LargeBlobError::Ctap(Error::Permission(PermissionError::Missing { .. }))
        ),
        "{e:?}"
    );
    assert!(
        !blobs.delete(&keys[0]).unwrap(),
        "nothing to delete, nothing sent"
    );
    drop(token);
    assert_eq!(f.writes(), 0);
    assert_eq!(f.device_array(), EMPTY.to_vec());
}

#[test]
fn oversized_blobs_and_bad_keys_are_refused_before_sending() {
    let mut f = fixture::<ProtocolOne>();
    let support = f.support;
    let keys = f.keys.clone();
    f.clear();
    let mut token = f
        .session
        .pin_token::<perms![LargeBlobWrite]>(&pin())
        .unwrap();
    let mut blobs = LargeBlobs::new(&mut token, support);
    let e = blobs.put(&keys[0], &incompressible(5000)).unwrap_err();
    assert!(
        matches!(e, LargeBlobError::TooLarge { limit: 4096, .. }),
        "{e:?}"
    );
    let e = blobs.get(&[0; 31]).unwrap_err();
    assert!(
        matches!(
            e,
            LargeBlobError::Ctap(Error::Response(ResponseError::Invalid { .. }))
        ),
        "{e:?}"
    );
    drop(token);
    assert_eq!(f.writes(), 0);
}
