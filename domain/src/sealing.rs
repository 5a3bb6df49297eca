//! Sealed bids (DOMAIN.md §3: "until the call closes, nobody but the bidder sees a bid's
//! content — the commission included") and their receipts.
//!
//! # Receipt
//! Each accepted bid gets [`receipt_hash`]: hex SHA-256 of the body exactly as the bidder sent it,
//! in the JSON Canonicalization Scheme of RFC 8785 ([`jcs`]: keys sorted by UTF-16 code units,
//! numbers as ECMAScript prints them, minimal string escapes). Those canonical bytes are what is
//! sealed and stored, so the opening re-hashes exactly what the receipt was given for, and a bidder
//! recomputes the hash from its own body with any standard JCS tool, whatever key order or number
//! spelling (`1200.0`, `1.2e3`) its client produced.
//!
//! Receipts issued before RFC 8785 hashed [`legacy_canonical_json`] (keys sorted by UTF-8 bytes,
//! numbers as serde_json prints them, of the content after defaults were filled in); their sealed
//! bytes are in that form, and the opening still verifies them ([`canonical_form`]).
//!
//! # Sealing scheme
//! - Per call key: `key = HKDF-SHA256(ikm = sealing key, salt = "jiebang/bid-sealing/v2",
//!   info = call id in decimal ASCII)`, 32 bytes ([`bid_key_v2`]). One call's key opens no other
//!   call. The sealing key is its own secret (`sealing.key` or the key file), apart from the
//!   token-signing keys. Receipts record the version: version 1 ([`bid_key`], salt
//!   `jiebang/bid-sealing/v1`) derived the key from the token secret, before the keys were
//!   separated; the start re-seals such receipts under version 2.
//! - `sealed = nonce (12 random bytes) || ChaCha20-Poly1305(key, nonce, aad, plaintext)` ([`seal`]),
//!   the AEAD tag (16 bytes) at the end. The associated data names the bid's place, e.g.
//!   `call:3/org:7`, so a sealed blob copied onto another call or bidder fails to open.
//! - Random 96-bit nonces are safe here: a call receives a handful of bids, far below the ~2³²
//!   messages per key where random nonces start to risk a repeat.
//!
//! # Limits
//! This keeps bids unreadable to whoever reads the database alone — a DBA, a backup, an SQL
//! injection, a commission user querying tables. It does **not** stop whoever holds both the
//! sealing key and the database: the service itself can unseal at any moment, and "not before
//! opening" is enforced by the service refusing to call [`unseal`] before the call is opened, not
//! by mathematics. Hence the key is never stored in the database; it comes from the environment,
//! a secret store or the key file, and changing it makes every still-sealed bid unreadable.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};

/// The canonical form of receipts issued before RFC 8785, kept to verify them at the opening.
pub use super::selection_run::canonical_json as legacy_canonical_json;

/// HKDF salt of version 1 (keys derived from the token secret): names the purpose and version,
/// so keys derived from the same secret for anything else can never coincide with bid keys.
pub const KEY_SALT: &[u8] = b"jiebang/bid-sealing/v1";

/// HKDF salt of version 2 (keys derived from the separate sealing key).
pub const KEY_SALT_V2: &[u8] = b"jiebang/bid-sealing/v2";

/// The key version every new receipt is sealed under.
pub const KEY_VERSION: i32 = 2;

/// Bytes of nonce at the front of a sealed bid.
pub const NONCE_LEN: usize = 12;

/// Bytes of authentication tag at the end of a sealed bid.
pub const TAG_LEN: usize = 16;

/// The RFC 8785 (JCS) canonical bytes of a JSON value.
///
/// # Errors
/// None for values parsed from JSON text (every number in them is finite); a non-finite number
/// built in code is refused.
pub fn jcs(v: &serde_json::Value) -> Result<Vec<u8>, serde_json::Error> {
    serde_jcs::to_vec(v)
}

/// The receipt hash of canonical bytes: hex SHA-256.
pub fn receipt_hash(canonical: &[u8]) -> String {
    hex::encode(Sha256::digest(canonical))
}

/// The hash of a legacy receipt: hex SHA-256 of [`legacy_canonical_json`].
pub fn legacy_content_hash(v: &serde_json::Value) -> String {
    receipt_hash(legacy_canonical_json(v).as_bytes())
}

/// Which canonical form stored bytes are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CanonicalForm {
    /// RFC 8785 (JCS), every receipt since it was adopted.
    Jcs,
    /// Keys sorted by UTF-8 bytes, numbers as serde_json prints them: receipts issued before.
    Legacy,
}

/// The canonical form `bytes` are in, or `None` when they are in neither (not JSON, or JSON
/// that a canonicaliser would write differently). Bytes that both forms write alike (no floats,
/// no keys outside the Basic Multilingual Plane) are reported as JCS.
pub fn canonical_form(bytes: &[u8]) -> Option<CanonicalForm> {
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    if jcs(&v).is_ok_and(|c| c == bytes) {
        Some(CanonicalForm::Jcs)
    } else if legacy_canonical_json(&v).as_bytes() == bytes {
        Some(CanonicalForm::Legacy)
    } else {
        None
    }
}

/// The version-1 key of one call, derived from the token secret of earlier versions (see the
/// module docs): only to open receipts sealed before the keys were separated.
pub fn bid_key(server_secret: &[u8], call_id: i32) -> [u8; 32] {
    derive(KEY_SALT, server_secret, call_id)
}

/// The key of one call, derived from the sealing key (version 2, see the module docs).
pub fn bid_key_v2(sealing_key: &[u8], call_id: i32) -> [u8; 32] {
    derive(KEY_SALT_V2, sealing_key, call_id)
}

fn derive(salt: &[u8], root: &[u8], call_id: i32) -> [u8; 32] {
    let hk = Hkdf::<Sha256>::new(Some(salt), root);
    let mut key = [0_u8; 32];
    // HKDF-SHA256 yields up to 255 × 32 bytes; 32 is always within, so expand cannot fail.
    if hk.expand(call_id.to_string().as_bytes(), &mut key).is_err() {
        unreachable!("HKDF-SHA256 can always expand to 32 bytes");
    }
    key
}

/// Why a sealed bid could not be (un)sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealError {
    /// Shorter than a nonce and a tag: not a sealed bid at all.
    TooShort,
    /// Wrong key (another call or another server secret), wrong associated data, or the bytes
    /// were altered. The AEAD deliberately does not say which.
    Rejected,
    /// The plaintext exceeds ChaCha20-Poly1305's limit (~256 GiB); no request body comes close.
    TooLong,
}

impl std::fmt::Display for SealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SealError::TooShort => "the sealed bid is truncated",
            SealError::Rejected => {
                "the sealed bid does not open with this call's key and context (wrong key, wrong context, or altered)"
            }
            SealError::TooLong => "the bid is too large to seal",
        })
    }
}

impl std::error::Error for SealError {}

/// Seals `plaintext` under `key`, binding it to `aad` (e.g. `b"call:3/org:7"`): returns
/// `nonce || ciphertext || tag` with a fresh random nonce, so sealing the same bid twice gives
/// different bytes.
///
/// # Errors
/// [`SealError::TooLong`] only for a plaintext beyond the cipher's ~256 GiB limit.
pub fn seal(key: &[u8; 32], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
    let cipher = ChaCha20Poly1305::new(key.into());
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let body = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| SealError::TooLong)?;
    let mut sealed = Vec::with_capacity(NONCE_LEN + body.len());
    sealed.extend_from_slice(&nonce);
    sealed.extend_from_slice(&body);
    Ok(sealed)
}

/// Opens what [`seal`] produced with the same key and associated data.
///
/// # Errors
/// [`SealError::TooShort`] for fewer than 28 bytes; [`SealError::Rejected`] for a wrong key, wrong
/// associated data or any altered byte.
pub fn unseal(key: &[u8; 32], aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, SealError> {
    let Some((nonce, body)) = sealed.split_first_chunk::<NONCE_LEN>() else {
        return Err(SealError::TooShort);
    };
    if body.len() < TAG_LEN {
        return Err(SealError::TooShort);
    }
    ChaCha20Poly1305::new(key.into())
        .decrypt(&Nonce::from(*nonce), Payload { msg: body, aad })
        .map_err(|_| SealError::Rejected)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a server secret of at least 32 bytes, from the environment";
    const BID: &[u8] = "{\"plan\":\"两江新区汽车产业大脑 — DISTINCTIVE-MARKER-42\"}".as_bytes();

    /// What a failed opening says (it reaches the commission's log and answer): one sentence per
    /// cause, never the key or the bytes.
    #[test]
    fn seal_errors_say_what_went_wrong() {
        assert_eq!(
            SealError::TooShort.to_string(),
            "the sealed bid is truncated"
        );
        assert_eq!(
            SealError::Rejected.to_string(),
            "the sealed bid does not open with this call's key and context (wrong key, wrong context, or altered)"
        );
        assert_eq!(
            SealError::TooLong.to_string(),
            "the bid is too large to seal"
        );
    }

    #[test]
    fn round_trip() {
        let key = bid_key(SECRET, 3);
        let sealed = seal(&key, b"call:3/org:7", BID).unwrap();
        assert_eq!(sealed.len(), NONCE_LEN + BID.len() + TAG_LEN);
        assert_eq!(unseal(&key, b"call:3/org:7", &sealed).unwrap(), BID);
        let empty = seal(&key, b"call:3/org:7", b"").unwrap();
        assert_eq!(unseal(&key, b"call:3/org:7", &empty).unwrap(), b"");
    }

    #[test]
    fn keys_differ_per_call_and_secret_and_are_stable() {
        assert_eq!(bid_key(SECRET, 3), bid_key(SECRET, 3));
        assert_ne!(bid_key(SECRET, 3), bid_key(SECRET, 4));
        assert_ne!(bid_key(SECRET, 3), bid_key(b"another secret", 3));
        // -3 and 3 must not collide through the decimal encoding.
        assert_ne!(bid_key(SECRET, -3), bid_key(SECRET, 3));
    }

    #[test]
    fn versions_derive_different_keys_from_the_same_root() {
        assert_ne!(bid_key(SECRET, 3), bid_key_v2(SECRET, 3));
        assert_eq!(bid_key_v2(SECRET, 3), bid_key_v2(SECRET, 3));
        assert_ne!(bid_key_v2(SECRET, 3), bid_key_v2(SECRET, 4));
        let sealed = seal(&bid_key(SECRET, 3), b"call:3/org:7", BID).unwrap();
        assert_eq!(
            unseal(&bid_key_v2(SECRET, 3), b"call:3/org:7", &sealed),
            Err(SealError::Rejected)
        );
    }

    #[test]
    fn hkdf_matches_rfc_5869_test_case_1() {
        // Guards the use of the hkdf API: RFC 5869 A.1 with our parameter order.
        let ikm = [0x0b_u8; 22];
        let salt: Vec<u8> = (0x00..=0x0c).collect();
        let info: Vec<u8> = (0xf0..=0xf9).collect();
        let mut okm = [0_u8; 42];
        Hkdf::<Sha256>::new(Some(&salt), &ikm)
            .expand(&info, &mut okm)
            .unwrap();
        assert_eq!(
            hex::encode(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
    }

    #[test]
    fn wrong_call_key_fails() {
        let sealed = seal(&bid_key(SECRET, 3), b"call:3/org:7", BID).unwrap();
        assert_eq!(
            unseal(&bid_key(SECRET, 4), b"call:3/org:7", &sealed),
            Err(SealError::Rejected)
        );
    }

    #[test]
    fn wrong_context_fails() {
        let key = bid_key(SECRET, 3);
        let sealed = seal(&key, b"call:3/org:7", BID).unwrap();
        assert_eq!(
            unseal(&key, b"call:3/org:8", &sealed),
            Err(SealError::Rejected)
        );
    }

    #[test]
    fn any_flipped_byte_fails() {
        let key = bid_key(SECRET, 3);
        let sealed = seal(&key, b"call:3/org:7", BID).unwrap();
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert_eq!(
                unseal(&key, b"call:3/org:7", &bad),
                Err(SealError::Rejected),
                "byte {i}"
            );
        }
        assert_eq!(
            unseal(&key, b"call:3/org:7", &sealed[..NONCE_LEN + TAG_LEN - 1]),
            Err(SealError::TooShort)
        );
        assert_eq!(
            unseal(&key, b"call:3/org:7", &sealed[..sealed.len() - 1]),
            Err(SealError::Rejected)
        );
    }

    #[test]
    fn ciphertext_does_not_contain_the_plaintext() {
        let key = bid_key(SECRET, 3);
        let sealed = seal(&key, b"call:3/org:7", BID).unwrap();
        let marker = b"DISTINCTIVE-MARKER-42";
        assert!(BID.windows(marker.len()).any(|w| w == marker));
        assert!(!sealed.windows(marker.len()).any(|w| w == marker));
        let chinese = "两江新区".as_bytes();
        assert!(!sealed.windows(chinese.len()).any(|w| w == chinese));
    }

    #[test]
    fn fresh_nonce_every_time() {
        let key = bid_key(SECRET, 3);
        let a = seal(&key, b"call:3/org:7", BID).unwrap();
        let b = seal(&key, b"call:3/org:7", BID).unwrap();
        assert_ne!(a[..NONCE_LEN], b[..NONCE_LEN]);
        assert_ne!(a, b);
        assert_eq!(
            unseal(&key, b"call:3/org:7", &a),
            unseal(&key, b"call:3/org:7", &b)
        );
    }

    #[test]
    fn legacy_receipt_hash_ignores_key_order() {
        let a = serde_json::json!({"b": 1, "a": {"y": [1, {"d": 2, "c": 3}], "x": "两江"}});
        let b: serde_json::Value =
            serde_json::from_str(r#"{"a":{"x":"两江","y":[1,{"c":3,"d":2}]},"b":1}"#).unwrap();
        assert_eq!(legacy_content_hash(&a), legacy_content_hash(&b));
        assert_eq!(legacy_content_hash(&a).len(), 64);
        assert_ne!(
            legacy_content_hash(&a),
            legacy_content_hash(&serde_json::json!({"b": 2}))
        );
        // SHA-256 of "{}".
        assert_eq!(
            legacy_content_hash(&serde_json::json!({})),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    /// RFC 8785 §3.2.2.3 and §3.2.3: numbers as ECMAScript prints them, keys by UTF-16 code
    /// units (U+1F600 sorts before U+FB01, unlike by UTF-8 bytes).
    #[test]
    fn jcs_numbers_and_key_order() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"\ufb01":1,"\ud83d\ude00":2,"n":[1200.0,1.2e3,0.10,-0.0,1e21,1e-7,333333333.33333329]}"#,
        )
        .unwrap();
        let c = String::from_utf8(jcs(&v).unwrap()).unwrap();
        assert_eq!(
            c,
            "{\"n\":[1200,1200,0.1,0,1e+21,1e-7,333333333.3333333],\"\u{1f600}\":2,\"\u{fb01}\":1}"
        );
        assert_eq!(canonical_form(c.as_bytes()), Some(CanonicalForm::Jcs));
        let legacy = legacy_canonical_json(&v);
        assert_ne!(legacy, c);
        assert_eq!(
            canonical_form(legacy.as_bytes()),
            Some(CanonicalForm::Legacy)
        );
        assert_eq!(canonical_form(b"{\"b\":1, \"a\":2}"), None);
        assert_eq!(canonical_form(b"not json"), None);
        assert_eq!(
            receipt_hash(b"{}"),
            legacy_content_hash(&serde_json::json!({}))
        );
    }
}
