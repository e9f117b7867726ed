//! The authenticator's random bytes: a deterministic generator (HMAC-SHA-256 in counter
//! mode) keyed from a seed for golden tests, or from the system generator.

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

/// A deterministic random bit generator: block `i` is `HMAC-SHA-256(key, counter ‖ i)`.
/// Keyed from a seed it repeats exactly, so keys, credential IDs and tokens are
/// reproducible; keyed from the system generator it is as good as that generator.
pub(crate) struct Drbg {
    key: hmac::Key,
    counter: u64,
}

impl Drbg {
    /// A generator fixed by `seed`, a stream label and an epoch (how many times the
    /// persistent state was loaded), so that a restarted seeded authenticator does not
    /// repeat the nonces and IDs of its previous run. Label "" and epoch 0 is
    /// the plain seeded stream.
    pub(crate) fn from_seed_stream(seed: u64, label: &[u8], epoch: u64) -> Self {
        let mut material = Vec::with_capacity(48 + label.len());
        material.extend_from_slice(b"fido-rs seed");
        material.extend_from_slice(&seed.to_be_bytes());
        if !label.is_empty() || epoch != 0 {
            material.extend_from_slice(&epoch.to_be_bytes());
            material.extend_from_slice(label);
        }
        Self::from_key(&material)
    }

    /// A generator keyed from the system random number generator.
    ///
    /// # Errors
    /// [`Error::Rng`](crate::Error::Rng) if the system generator fails: there is no
    /// weaker fallback (such as the clock).
    pub(crate) fn from_system() -> Result<Self, crate::Error> {
        Self::from_source(|key| SystemRandom::new().fill(key).is_ok())
    }

    /// A generator keyed by 32 bytes that `fill` writes; `fill` returns whether it could.
    fn from_source(fill: impl FnOnce(&mut [u8]) -> bool) -> Result<Self, crate::Error> {
        let mut key = Zeroizing::new([0u8; 32]);
        if !fill(key.as_mut()) {
            return Err(crate::Error::Rng);
        }
        Ok(Self::from_key(key.as_ref()))
    }

    /// A generator keyed by `material` (a key-derivation stream, e.g. an RSA key's).
    pub(crate) fn from_material(material: &[u8]) -> Self {
        Self::from_key(material)
    }

    fn from_key(material: &[u8]) -> Self {
        Drbg {
            key: hmac::Key::new(hmac::HMAC_SHA256, material),
            counter: 0,
        }
    }

    /// Fills `out` with the next bytes of the stream.
    pub(crate) fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(32) {
            self.counter += 1;
            let tag = hmac::sign(&self.key, &self.counter.to_be_bytes());
            chunk.copy_from_slice(&tag.as_ref()[..chunk.len()]);
        }
    }

    /// The next `N` bytes, in a buffer zeroized on drop.
    pub(crate) fn secret<const N: usize>(&mut self) -> Zeroizing<[u8; N]> {
        let mut out = Zeroizing::new([0u8; N]);
        self.fill(out.as_mut());
        out
    }

    /// The next `n` bytes.
    pub(crate) fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = vec![0u8; n];
        self.fill(&mut out);
        out
    }
}

/// The generator as a `rand_core` generator, for crates that draw their own randomness
/// (RSA key generation, PSS salts). It never fails.
impl rand_core::TryRng for Drbg {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.fill(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Drbg {}

#[cfg(test)]
mod tests {
    use super::Drbg;

    #[test]
    fn a_failing_system_source_is_an_error_not_a_clock_fallback() {
        assert!(matches!(
            Drbg::from_source(|_| false),
            Err(crate::Error::Rng)
        ));
        let mut a = Drbg::from_source(|k| {
            k.fill(7);
            true
        })
        .unwrap();
        assert_eq!(a.bytes(32), Drbg::from_key(&[7; 32]).bytes(32));
        assert!(Drbg::from_system().is_ok());
    }

    #[test]
    fn same_seed_same_stream_other_seed_other_stream() {
        let a = Drbg::from_seed_stream(7, b"", 0).bytes(80);
        let b = Drbg::from_seed_stream(7, b"", 0).bytes(80);
        let c = Drbg::from_seed_stream(8, b"", 0).bytes(80);
        assert_eq!(a, b);
        assert_ne!(a, c);
        // Consecutive draws differ.
        let mut d = Drbg::from_seed_stream(7, b"", 0);
        assert_ne!(d.bytes(32), d.bytes(32));
        // Streams and epochs are independent of each other and of the plain seed.
        let e1 = Drbg::from_seed_stream(7, b"", 1).bytes(32);
        let l0 = Drbg::from_seed_stream(7, b"attestation", 0).bytes(32);
        assert_eq!(Drbg::from_seed_stream(7, b"", 0).bytes(80), a);
        assert_ne!(e1, a[..32]);
        assert_ne!(l0, a[..32]);
        assert_ne!(l0, e1);
    }
}
