//! Pre-flight of exclude and allow lists: which credential of a long list does the
//! authenticator hold? (python-fido2 `_Ctap2ClientBackend._filter_creds`.)
//!
//! Authenticators accept at most `maxCredentialCountInList` entries per request and
//! credential IDs of at most `maxCredentialIdLength` bytes (getInfo; CTAP 2.1 §6.4). A
//! client sends the list in batches as silent getAssertions (`up: false`) until one
//! matches, then sends the real request with just the match: for makeCredential the
//! excluded credential (so the authenticator refuses after a touch), for getAssertion
//! the allowed one, or a dummy descriptor when none matched, so the user is still asked
//! for presence before the failure (python-fido2: "DO NOT FAIL EARLY").
//!
//! This module is the device-independent part: [`Preflight::batches`] and the search
//! over batches, [`Preflight::find_match`], with the silent getAssertion passed in as a
//! closure.
//!
//! ```
//! use fido_types::generated::PublicKeyCredentialDescriptor;
//! use fido_webauthn::preflight::{Preflight, Probe};
//!
//! let list: Vec<PublicKeyCredentialDescriptor> = (0u8..5)
//!     .map(|i| PublicKeyCredentialDescriptor { id: vec![i; 16], ..Default::default() })
//!     .collect();
//! let preflight = Preflight::new(64, 2);
//! assert_eq!(preflight.batches(&list).iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
//!
//! // The authenticator knows credential 3 (in the second batch).
//! let found = preflight.find_match(&list, |batch| {
//!     Ok::<_, ()>(match batch.iter().find(|c| c.id[0] == 3) {
//!         Some(c) => Probe::Found(Some((*c).clone())),
//!         None => Probe::NoCredentials,
//!     })
//! });
//! assert_eq!(found.unwrap().unwrap().id, vec![3; 16]);
//! ```

use fido_types::generated::{Info, PublicKeyCredentialDescriptor, PublicKeyCredentialType};

/// The list limits of an authenticator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preflight {
    max_credential_id_length: u64,
    max_credential_count_in_list: u64,
}

/// What one silent getAssertion over a batch found.
#[derive(Debug, Clone, PartialEq)]
pub enum Probe {
    /// CTAP2_ERR_NO_CREDENTIALS: nothing in the batch.
    NoCredentials,
    /// A credential matched: the one the assertion names, or `None` when the
    /// authenticator omitted it (allowed for a one-entry list, CTAP 2.1 §6.2.2).
    Found(Option<PublicKeyCredentialDescriptor>),
}

impl Preflight {
    /// Limits as getInfo gives them; 0 means absent (no ID length limit, one credential
    /// per request, as python-fido2 `max_creds_in_list or 1`).
    pub fn new(max_credential_id_length: u64, max_credential_count_in_list: u64) -> Self {
        Preflight {
            max_credential_id_length,
            max_credential_count_in_list,
        }
    }

    /// The limits from getInfo.
    pub fn from_info(info: &Info) -> Self {
        Self::new(
            info.max_credential_id_length(),
            info.max_credential_count_in_list(),
        )
    }

    /// `list` without IDs the authenticator cannot have issued (longer than
    /// `maxCredentialIdLength`), in batches of at most `maxCredentialCountInList`.
    pub fn batches<'a>(
        &self,
        list: &'a [PublicKeyCredentialDescriptor],
    ) -> Vec<Vec<&'a PublicKeyCredentialDescriptor>> {
        let max_len = self.max_credential_id_length;
        let kept: Vec<&PublicKeyCredentialDescriptor> = list
            .iter()
            .filter(|c| max_len == 0 || (c.id.len() as u64) <= max_len)
            .collect();
        // Bounded by the list we were given, whatever the authenticator claims.
        let size = usize::try_from(self.max_credential_count_in_list.max(1))
            .unwrap_or(usize::MAX)
            .min(kept.len().max(1));
        kept.chunks(size).map(<[_]>::to_vec).collect()
    }

    /// Probes the batches in order and returns the first match: the credential the
    /// probe names, or the batch's only entry when the authenticator named none.
    /// `Ok(None)` when no batch matched.
    ///
    /// # Errors
    /// The first error of `probe` other than [`Probe::NoCredentials`] ends the search.
    pub fn find_match<E>(
        &self,
        list: &[PublicKeyCredentialDescriptor],
        mut probe: impl FnMut(&[&PublicKeyCredentialDescriptor]) -> Result<Probe, E>,
    ) -> Result<Option<PublicKeyCredentialDescriptor>, E> {
        for batch in self.batches(list) {
            match probe(&batch)? {
                Probe::NoCredentials => continue,
                Probe::Found(Some(credential)) => return Ok(Some(credential)),
                Probe::Found(None) => match batch.as_slice() {
                    [only] => return Ok(Some((*only).clone())),
                    // Several candidates and no name: take the first, as the
                    // authenticator must have matched one of them.
                    [first, ..] => return Ok(Some((*first).clone())),
                    [] => continue,
                },
            }
        }
        Ok(None)
    }
}

/// The descriptor sent in place of an allow list that matched nothing, so the
/// authenticator still asks for presence and then answers NO_CREDENTIALS
/// (python-fido2: `PublicKeyCredentialDescriptor(allow_list[0].type, b"\0")`).
pub fn dummy_descriptor() -> PublicKeyCredentialDescriptor {
    PublicKeyCredentialDescriptor {
        id: vec![0],
        credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        transports: None,
    }
}

#[cfg(test)]
mod tests;
