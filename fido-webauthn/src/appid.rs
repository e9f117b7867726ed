//! The FIDO AppID extensions, `appid` and `appidExclude` (WebAuthn L3 §10.1.1, §10.1.2),
//! for credentials registered through U2F under an AppID URL: whether the AppID may be
//! used from an origin, and the U2F application parameter it stands for.
//!
//! An AppID is accepted from an origin when it is an `https` URL whose host has the same
//! registrable domain as the origin's (FIDO AppID and Facet Specification §3.1.2 without
//! fetching a TrustedFacets list: a facet sharing the AppID's registrable domain; a
//! browser accepts no more without the list).
//!
//! ```
//! use fido_webauthn::appid::verify_app_id;
//! assert!(verify_app_id("https://www.example.com/u2f.json", "https://login.example.com").is_ok());
//! assert!(verify_app_id("https://example.org/u2f.json", "https://login.example.com").is_err());
//! assert!(verify_app_id("http://example.com/u2f.json", "https://example.com").is_err());
//! ```

use url::Url;

use crate::error::Error;

/// The host's registrable domain (eTLD+1), lower case.
fn registrable(host: &str) -> Option<String> {
    let host = host.to_ascii_lowercase();
    psl::domain_str(&host).map(str::to_owned)
}

/// Checks that `app_id` may be used from `origin`.
///
/// # Errors
/// [`Error::BadRequest`] naming why not.
pub fn verify_app_id(app_id: &str, origin: &str) -> Result<(), Error> {
    let refuse = |why: &str| Error::BadRequest(format!("appid {app_id:?}: {why}"));
    let url = Url::parse(app_id).map_err(|_| refuse("not a URL"))?;
    if url.scheme() != "https" {
        return Err(refuse("not an https URL"));
    }
    let app_host = url.host_str().ok_or_else(|| refuse("no host"))?;
    let origin_host = Url::parse(origin)
        .ok()
        .and_then(|o| o.host_str().map(str::to_owned))
        .ok_or_else(|| refuse("the origin has no host"))?;
    match (registrable(app_host), registrable(&origin_host)) {
        (Some(a), Some(o)) if a == o => Ok(()),
        _ => Err(refuse("not the origin's registrable domain")),
    }
}
