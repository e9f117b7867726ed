//! The extension error: why an extension refused a ceremony or its answer.

/// Why an extension failed a ceremony.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtensionError {
    /// The inputs are malformed (a salt of the wrong length, a credBlob over
    /// maxCredBlobLength, largeBlob read and write together); nothing was sent.
    #[error("extension {extension}: malformed input: {reason}")]
    Malformed {
        /// The extension's client name.
        extension: String,
        /// What is wrong.
        reason: String,
    },
    /// The relying party requires what the authenticator cannot do (largeBlob `support:
    /// "required"`, `enforceCredentialProtectionPolicy`); nothing was sent.
    #[error("extension {extension}: required but not supported: {reason}")]
    Required {
        /// The extension's client name.
        extension: String,
        /// What is missing.
        reason: String,
    },
    /// The authenticator's extension output does not make sense.
    #[error("extension {extension}: invalid output: {reason}")]
    InvalidOutput {
        /// The extension's client name.
        extension: String,
        /// What is wrong.
        reason: String,
    },
    /// The extension needs the shared secret of a key agreement and the authenticator
    /// offers no PIN/UV auth protocol to make one.
    #[error("extension {extension}: needs a PIN/UV auth protocol for its key agreement")]
    NoSharedSecret {
        /// The extension's client name.
        extension: String,
    },
    /// A CTAP-layer step of the extension failed (key agreement, encryption, the
    /// large-blob array).
    #[error("extension {extension}: {source}")]
    Ctap {
        /// The extension's client name.
        extension: String,
        /// The failure.
        #[source]
        source: fido_ctap::error::Error,
    },
    /// Reading or writing the large-blob array failed.
    #[error("extension {extension}: {source}")]
    LargeBlob {
        /// The extension's client name.
        extension: String,
        /// The failure.
        #[source]
        source: fido_ctap::large_blob::LargeBlobError,
    },
}

impl ExtensionError {
    /// A malformed input of `extension`.
    pub fn malformed(extension: &str, reason: impl Into<String>) -> Self {
        ExtensionError::Malformed {
            extension: extension.to_owned(),
            reason: reason.into(),
        }
    }

    /// An unmet requirement of `extension`.
    pub fn required(extension: &str, reason: impl Into<String>) -> Self {
        ExtensionError::Required {
            extension: extension.to_owned(),
            reason: reason.into(),
        }
    }

    /// An invalid output of `extension`.
    pub fn invalid_output(extension: &str, reason: impl Into<String>) -> Self {
        ExtensionError::InvalidOutput {
            extension: extension.to_owned(),
            reason: reason.into(),
        }
    }

    /// A CTAP-layer failure of `extension`.
    pub fn ctap(extension: &str, source: impl Into<fido_ctap::error::Error>) -> Self {
        ExtensionError::Ctap {
            extension: extension.to_owned(),
            source: source.into(),
        }
    }
}
