//! What can be wrong with the bytes of an APDU.

/// An APDU (command or response) that breaks ISO 7816-4 framing or a limit of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApduFormatError {
    /// A command APDU shorter than its four header bytes.
    #[error("a command APDU of {len} bytes is shorter than its 4-byte header")]
    ShortHeader {
        /// The length received.
        len: usize,
    },
    /// The length fields (Lc, Le) of a command APDU do not match its size.
    #[error("the length fields of a {len}-byte command APDU do not match its size")]
    BadLength {
        /// The length received.
        len: usize,
    },
    /// The data does not fit the chosen APDU form.
    #[error("{len} bytes of data do not fit a {form} APDU (at most {max})")]
    DataTooLong {
        /// The data length.
        len: usize,
        /// The most the form carries.
        max: usize,
        /// `short` or `extended`.
        form: &'static str,
    },
    /// The expected response length does not fit the chosen APDU form (or is 0).
    #[error("an expected length of {le} does not fit a {form} APDU")]
    BadLe {
        /// The expected length asked for.
        le: usize,
        /// `short` or `extended`.
        form: &'static str,
    },
    /// A response APDU without its two status bytes.
    #[error("a response of {len} bytes has no status word")]
    TruncatedResponse {
        /// The length received.
        len: usize,
    },
    /// A chained command APDU changed INS, P1 or P2, or its class, within one chain.
    #[error("a chained command APDU changed its header within the chain")]
    ChainBroken,
    /// A chained command or chained response grew past the limit.
    #[error("a chained message is longer than {max} bytes")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// A chunk size of 0, or above what a short APDU carries.
    #[error("a chunk of {chunk} bytes cannot be sent in short APDUs (1..=255)")]
    BadChunk {
        /// The chunk size asked for.
        chunk: usize,
    },
}
