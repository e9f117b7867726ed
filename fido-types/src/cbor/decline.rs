//! [`Decline`]: the direct encoder or decoder gave up on a value, and the general path
//! (serde_cbor_2 with the validating walk or the canonicalizing rewrite) takes it, which
//! either succeeds with the same result or reports the typed error.

use std::fmt;

use serde::{de, ser};

/// The fast path declined this value; the general path handles it.
#[derive(Debug)]
pub(crate) struct Decline;

impl fmt::Display for Decline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("direct CBOR codec declined")
    }
}

impl std::error::Error for Decline {}

impl ser::Error for Decline {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Decline
    }
}

impl de::Error for Decline {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Decline
    }
}
