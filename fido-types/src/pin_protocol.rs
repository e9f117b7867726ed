//! PIN/UV auth protocols 1 and 2: KDF, encrypt, decrypt and authenticate, as pure functions of a shared secret.
