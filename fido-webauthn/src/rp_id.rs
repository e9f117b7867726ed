//! Is an RP ID usable from an origin? WebAuthn L3 §4 "Relying Party Identifier" and the
//! HTML algorithm "is a registrable domain suffix of or is equal to".
//!
//! [`verify_rp_id`] says why not, [`is_valid_rp_id`] is python-fido2's boolean
//! `verify_rp_id`, and [`effective_rp_id`] also picks the default RP ID (the origin's
//! host) and returns the canonical form that should be hashed into `rpIdHash`.
//!
//! # The rules, as decided here
//!
//! | input | rule | source |
//! |---|---|---|
//! | origin scheme | `https`, or `http` with host exactly `localhost` | WebAuthn L3 §4 RP ID, "One of the following must be true" |
//! | origin port | any | WebAuthn L3 §4: "the origin's port is unrestricted" |
//! | origin host | a valid domain (not an IP address, no empty label, labels ≤ 63 octets, name ≤ 253) | WebAuthn L3 §5.1.3 step "If effective domain is not a valid domain … SecurityError" |
//! | origin with userinfo, path, query or fragment | rejected: that is a URL, not an origin | HTML origin serialization has none of them |
//! | RP ID | a valid domain string: not empty, not an IP address, UTS #46 strict | WebAuthn L3 §4: "a valid domain string" |
//! | upper case, IDN U-labels | compared after domain-to-ASCII (lower case, A-labels) | HTML: the RP ID is host-parsed before comparing |
//! | trailing dot | kept: `example.com.` and `example.com` are different hosts | URL host parser keeps it; PSL lookups ignore it |
//! | equal to the host | accepted, even if it is a public suffix | HTML: the suffix checks apply only when they differ |
//! | a proper suffix | must be a label-aligned suffix of the host, not a public suffix itself, and not a suffix of the host's public suffix | HTML "is a registrable domain suffix of or is equal to", step 4 |
//!
//! The public suffix list is the full list (ICANN and private sections, e.g.
//! `appspot.com`), as the URL Standard's "public suffix" uses it, with the implicit `*`
//! rule (an unlisted TLD is a public suffix). It comes from the `psl` crate, which
//! compiles the list into the binary (no file, no network) and is republished whenever
//! the list changes; `publicsuffix` 2 would need the list loaded at run time.
//!
//! # Differences from python-fido2 2.2.1 `fido2.rpid.verify_rp_id`
//!
//! - `http://*.localhost` origins: python-fido2 accepts them (browsers treat them as
//!   secure contexts); WebAuthn L3 §4 names only host `localhost`, so they are rejected.
//! - IP-address origins: python-fido2 accepts `rp_id == host` (`127.0.0.1`); WebAuthn
//!   rejects a non-domain effective domain.
//! - python-fido2 compares the RP ID as given with the parsed host, so `Example.com` or a
//!   U-label RP ID never matches; here both sides are compared in canonical A-label form.
//! - python-fido2 checks only that the RP ID is not itself a public suffix; the HTML
//!   rule also rejects an RP ID that is a suffix of the host's public suffix
//!   (`amazonaws.com` for `https://bucket.s3.amazonaws.com`, whose public suffix is
//!   `s3.amazonaws.com`).
//! - python-fido2 ignores userinfo, paths and empty labels in the origin; here they are
//!   errors.
//! - python-fido2's default RP ID is the origin's `netloc` (with the port); here it is
//!   the host, as WebAuthn's "effective domain".
//!
//! ```
//! use fido_webauthn::rp_id::{RpIdError, effective_rp_id, is_valid_rp_id, verify_rp_id};
//!
//! assert!(verify_rp_id("example.com", "https://login.example.com:1337").is_ok());
//! assert!(matches!(
//!     verify_rp_id("co.uk", "https://foobar.co.uk"),
//!     Err(RpIdError::PublicSuffix { .. })
//! ));
//! assert!(!is_valid_rp_id("example.com", "http://example.com"));
//! assert_eq!(effective_rp_id(None, "https://login.example.com:1337").unwrap(), "login.example.com");
//! assert_eq!(effective_rp_id(Some("Example.COM"), "https://example.com").unwrap(), "example.com");
//! ```

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
use url::{Host, Url};

/// Why an RP ID is not usable from an origin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RpIdError {
    /// The RP ID is the empty string.
    #[error("the RP ID is empty")]
    EmptyRpId,
    /// The RP ID is not a valid domain string (bad characters, empty or long labels, …).
    #[error("the RP ID {0:?} is not a valid domain")]
    InvalidRpId(String),
    /// The RP ID is an IPv4 or IPv6 address; RP IDs are domains.
    #[error("the RP ID {0:?} is an IP address, not a domain")]
    RpIdIsIpAddress(String),
    /// The origin does not parse as a URL.
    #[error("the origin {origin:?} is not a URL: {reason}")]
    InvalidOrigin {
        /// The origin as given.
        origin: String,
        /// What the URL parser said.
        reason: String,
    },
    /// The origin has userinfo, a path, a query or a fragment: it is a URL, not an origin.
    #[error("{0:?} is not an origin (it has userinfo, a path, a query or a fragment)")]
    NotAnOrigin(String),
    /// The origin's scheme is neither `https` nor `http` with host `localhost`.
    #[error("the origin {0:?} is not secure: WebAuthn needs https (or http://localhost)")]
    InsecureOrigin(String),
    /// The origin's host is an IP address or missing.
    #[error("the origin {0:?} has no domain host (IP addresses are not allowed)")]
    OriginHostNotDomain(String),
    /// The origin's host is not a valid domain (empty label, label over 63 octets, …).
    #[error("the origin's host {0:?} is not a valid domain")]
    InvalidOriginHost(String),
    /// The RP ID is neither the origin's host nor a label-aligned suffix of it.
    #[error("the RP ID {rp_id:?} is not {host:?} or a parent domain of it")]
    NotASuffix {
        /// The RP ID, canonical.
        rp_id: String,
        /// The origin's host.
        host: String,
    },
    /// The RP ID is a public suffix (or part of one), so it cannot scope credentials.
    #[error("the RP ID {rp_id:?} is a public suffix (or part of one)")]
    PublicSuffix {
        /// The RP ID, canonical.
        rp_id: String,
    },
}

/// Checks that `rp_id` may be used by a caller whose origin is `origin` (WebAuthn L3 §4
/// "Relying Party Identifier"; see the [module docs](self) for each rule).
///
/// # Errors
/// The [`RpIdError`] naming the first rule that fails.
pub fn verify_rp_id(rp_id: &str, origin: &str) -> Result<(), RpIdError> {
    effective_rp_id(Some(rp_id), origin).map(drop)
}

/// python-fido2's `verify_rp_id`: `true` if `rp_id` is usable from `origin`.
pub fn is_valid_rp_id(rp_id: &str, origin: &str) -> bool {
    verify_rp_id(rp_id, origin).is_ok()
}

/// The RP ID for a ceremony from `origin`: `rp_id` if given (checked with
/// [`verify_rp_id`]) or else the origin's host (WebAuthn: the "effective domain"),
/// returned in canonical form (ASCII lower case, A-labels) because the authenticator
/// scopes credentials by the exact string.
///
/// # Errors
/// As [`verify_rp_id`]; with `rp_id` `None`, only the origin checks apply.
pub fn effective_rp_id(rp_id: Option<&str>, origin: &str) -> Result<String, RpIdError> {
    let host = origin_host(origin)?;
    let Some(rp_id) = rp_id else {
        return Ok(host);
    };
    let rp_id = canonical_rp_id(rp_id)?;
    if rp_id == host {
        // HTML step 4 applies only when hostSuffix differs from originalHost.
        return Ok(rp_id);
    }
    if !is_label_suffix_of(&rp_id, &host) {
        return Err(RpIdError::NotASuffix { rp_id, host });
    }
    // HTML step 4.3: hostSuffix equals its own public suffix, or hostSuffix (with a
    // leading dot) matches the end of originalHost's public suffix.
    let host_public_suffix = public_suffix(&host);
    let rp_public_suffix = public_suffix(&rp_id);
    let rp_is_public = match rp_public_suffix {
        Some(ps) => ps == strip_root_dot(&rp_id),
        None => true,
    };
    let rp_inside_host_suffix = match host_public_suffix {
        Some(ps) => {
            let rp = strip_root_dot(&rp_id);
            ps == rp || is_label_suffix_of(rp, ps)
        }
        None => true,
    };
    if rp_is_public || rp_inside_host_suffix {
        return Err(RpIdError::PublicSuffix { rp_id });
    }
    Ok(rp_id)
}

/// The canonical form of an RP ID: UTS #46 ToASCII with the URL Standard's `beStrict`
/// flags (STD3 ASCII rules, DNS lengths; the trailing root dot is allowed).
///
/// # Errors
/// [`RpIdError::EmptyRpId`], [`RpIdError::InvalidRpId`], [`RpIdError::RpIdIsIpAddress`].
pub fn canonical_rp_id(rp_id: &str) -> Result<String, RpIdError> {
    if rp_id.is_empty() {
        return Err(RpIdError::EmptyRpId);
    }
    let ascii =
        strict_domain_to_ascii(rp_id).ok_or_else(|| RpIdError::InvalidRpId(rp_id.to_owned()))?;
    match Host::parse(&ascii) {
        Ok(Host::Domain(_)) => Ok(ascii),
        Ok(Host::Ipv4(_) | Host::Ipv6(_)) => Err(RpIdError::RpIdIsIpAddress(rp_id.to_owned())),
        Err(_) => Err(RpIdError::InvalidRpId(rp_id.to_owned())),
    }
}

/// The host of `origin` after the origin checks (scheme, shape, domain validity).
fn origin_host(origin: &str) -> Result<String, RpIdError> {
    let url = Url::parse(origin).map_err(|e| RpIdError::InvalidOrigin {
        origin: origin.to_owned(),
        reason: e.to_string(),
    })?;
    if !url.username().is_empty()
        || url.password().is_some()
        || url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(RpIdError::NotAnOrigin(origin.to_owned()));
    }
    let host = match url.host() {
        Some(Host::Domain(domain)) => domain.to_owned(),
        _ => return Err(RpIdError::OriginHostNotDomain(origin.to_owned())),
    };
    let secure = match url.scheme() {
        "https" => true,
        "http" => host == "localhost",
        _ => false,
    };
    if !secure {
        return Err(RpIdError::InsecureOrigin(origin.to_owned()));
    }
    match strict_domain_to_ascii(&host) {
        Some(ascii) if ascii == host => Ok(host),
        _ => Err(RpIdError::InvalidOriginHost(host)),
    }
}

/// UTS #46 ToASCII as the URL Standard's "domain to ASCII" with `beStrict` = true:
/// UseSTD3ASCIIRules, VerifyDnsLength (root dot allowed), CheckHyphens off.
fn strict_domain_to_ascii(domain: &str) -> Option<String> {
    Uts46::new()
        .to_ascii(
            domain.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Allow,
            DnsLength::VerifyAllowRootDot,
        )
        .ok()
        .map(|ascii| ascii.into_owned())
}

/// Whether `suffix`, prefixed by `.`, matches the end of `domain`.
fn is_label_suffix_of(suffix: &str, domain: &str) -> bool {
    domain
        .strip_suffix(suffix)
        .is_some_and(|prefix| prefix.ends_with('.'))
}

fn strip_root_dot(domain: &str) -> &str {
    domain.strip_suffix('.').unwrap_or(domain)
}

/// The URL Standard's public suffix of an ASCII domain (without the root dot), using
/// the whole list and the implicit `*` rule.
fn public_suffix(domain: &str) -> Option<&str> {
    let bare = strip_root_dot(domain);
    let suffix = psl::suffix(bare.as_bytes())?;
    let len = suffix.trim().as_bytes().len();
    bare.len()
        .checked_sub(len)
        .and_then(|start| bare.get(start..))
}

#[cfg(test)]
mod tests;
