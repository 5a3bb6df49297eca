//! HS256 tokens with key ids. Validation pins the algorithm, refuses a `crit` header, requires
//! `exp`, checks `iss`, `aud`, and `exp`/`nbf` against the injected clock. One key signs (the
//! current one, named by `kid` in the header); a retired key verifies only the tokens it signed
//! before it was retired, so they live out their lifetime and no longer.
//!
//! A refusal says what a client can act on ("not valid", "expired", "not valid yet"), never the
//! parser's own words.

use jsonwebtoken::{
    decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use serde::{Deserialize, Serialize};

use crate::domain::role::Role;

/// Seconds of leeway for `exp`, `nbf` and retirement, against clock skew between instances.
const LEEWAY: i64 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    pub role: Role,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    /// Not before (absent in tokens issued before it was written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    pub exp: i64,
    /// The account's credential version when the token was issued: a password change bumps it,
    /// and every earlier token stops working (absent, 0, in tokens issued before it was written).
    #[serde(default)]
    pub cv: i32,
}

/// A token-signing key as configured or read from the key file.
#[derive(Clone)]
pub struct TokenKeySpec {
    pub kid: String,
    pub secret: Vec<u8>,
    /// Unix seconds; `None` for the current key.
    pub retired_at: Option<i64>,
    /// Also verifies tokens without a `kid` (those issued before key ids).
    pub accepts_unkeyed: bool,
}

impl std::fmt::Debug for TokenKeySpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeySpec")
            .field("kid", &self.kid)
            .field("retired_at", &self.retired_at)
            .field("accepts_unkeyed", &self.accepts_unkeyed)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
struct Key {
    kid: String,
    decoding: DecodingKey,
    retired_at: Option<i64>,
    accepts_unkeyed: bool,
}

/// Why a token was refused; the texts are what a client is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is not valid; log in again")]
    Invalid,
    #[error("the token has expired; log in again")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
}

#[derive(Clone)]
pub struct AuthKeys {
    keys: Vec<Key>,
    signing_kid: String,
    encoding: EncodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    pub ttl_secs: u64,
}

impl AuthKeys {
    /// The keys, the current (unretired) one signing.
    ///
    /// # Errors
    /// When no key is current.
    pub fn new(
        keys: &[TokenKeySpec],
        issuer: &str,
        audience: &str,
        ttl_secs: u64,
    ) -> anyhow::Result<Self> {
        let current = keys
            .iter()
            .rev()
            .find(|k| k.retired_at.is_none())
            .ok_or_else(|| anyhow::anyhow!("no current token-signing key"))?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // `exp` and `nbf` are checked in `verify` against the injected clock, so that they follow
        // the same time as every other deadline in the service.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Ok(Self {
            keys: keys
                .iter()
                .map(|k| Key {
                    kid: k.kid.clone(),
                    decoding: DecodingKey::from_secret(&k.secret),
                    retired_at: k.retired_at,
                    accepts_unkeyed: k.accepts_unkeyed,
                })
                .collect(),
            signing_kid: current.kid.clone(),
            encoding: EncodingKey::from_secret(&current.secret),
            validation,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            ttl_secs,
        })
    }

    /// The id of the key that signs.
    pub fn signing_kid(&self) -> &str {
        &self.signing_kid
    }

    /// Signs a token for a user at credential version `cv`, valid `ttl_secs` from `now` (unix
    /// seconds).
    ///
    /// # Errors
    /// When signing fails.
    pub fn issue(&self, user_id: i32, role: Role, cv: i32, now: i64) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user_id.to_string(),
            role,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            nbf: Some(now),
            exp: now + i64::try_from(self.ttl_secs).unwrap_or(3600),
            cv,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.signing_kid.clone());
        encode(&header, &claims, &self.encoding).map_err(|e| anyhow::anyhow!("signing token: {e}"))
    }

    /// Checks the header (HS256, no `crit`, a known `kid`), the signature, issuer and audience,
    /// then expiry and not-before at `now` (unix seconds, with 5 seconds of leeway), and that a
    /// retired key signed the token before it was retired.
    ///
    /// # Errors
    /// [`TokenError`]; the cause is logged at debug level.
    pub fn verify(&self, token: &str, now: i64) -> Result<Claims, TokenError> {
        let header = decode_header(token).map_err(|e| {
            tracing::debug!(error = %e, "token header refused");
            TokenError::Invalid
        })?;
        if header.alg != Algorithm::HS256 || header.crit.is_some() {
            tracing::debug!(alg = ?header.alg, crit = header.crit.is_some(), "token header refused");
            return Err(TokenError::Invalid);
        }
        let key = match &header.kid {
            Some(kid) => self.keys.iter().find(|k| &k.kid == kid),
            None => self.keys.iter().rev().find(|k| k.accepts_unkeyed),
        }
        .ok_or_else(|| {
            tracing::debug!(kid = ?header.kid, "token signed by an unknown key");
            TokenError::Invalid
        })?;
        let claims = decode::<Claims>(token, &key.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| {
                tracing::debug!(error = %e, "token refused");
                TokenError::Invalid
            })?;
        if key.retired_at.is_some_and(|t| claims.iat > t + LEEWAY) {
            tracing::debug!(kid = %key.kid, "token signed by a retired key after its retirement");
            return Err(TokenError::Invalid);
        }
        if claims.exp + LEEWAY < now {
            return Err(TokenError::Expired);
        }
        if claims.nbf.is_some_and(|nbf| nbf > now + LEEWAY) {
            return Err(TokenError::NotYetValid);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kid: &str, secret: &str, retired_at: Option<i64>) -> TokenKeySpec {
        TokenKeySpec {
            kid: kid.into(),
            secret: secret.as_bytes().to_vec(),
            retired_at,
            accepts_unkeyed: false,
        }
    }

    const NOW: i64 = 1_706_745_600;

    #[test]
    fn the_current_key_signs_with_its_kid_and_retired_keys_verify_what_they_signed() {
        let old = AuthKeys::new(&[spec("a", "secret-a-0123456789", None)], "i", "x", 3600).unwrap();
        let before = old.issue(1, Role::Expert, 0, NOW - 10).unwrap();
        let after = old.issue(1, Role::Expert, 0, NOW + 10).unwrap();
        let rotated = AuthKeys::new(
            &[
                spec("a", "secret-a-0123456789", Some(NOW)),
                spec("b", "secret-b-0123456789", None),
            ],
            "i",
            "x",
            3600,
        )
        .unwrap();
        assert_eq!(rotated.signing_kid(), "b");
        let fresh = rotated.issue(2, Role::Expert, 0, NOW + 20).unwrap();
        assert_eq!(decode_header(&fresh).unwrap().kid.as_deref(), Some("b"));
        assert_eq!(rotated.verify(&fresh, NOW + 20).unwrap().sub, "2");
        assert_eq!(rotated.verify(&before, NOW + 20).unwrap().sub, "1");
        assert_eq!(
            rotated.verify(&after, NOW + 20).unwrap_err(),
            TokenError::Invalid
        );
        // Until it expires, and no longer.
        assert_eq!(
            rotated.verify(&before, NOW + 3600).unwrap_err(),
            TokenError::Expired
        );
    }

    #[test]
    fn nbf_in_the_future_and_unknown_kids_are_refused() {
        let keys =
            AuthKeys::new(&[spec("a", "secret-a-0123456789", None)], "i", "x", 3600).unwrap();
        let t = keys.issue(1, Role::Expert, 0, NOW + 600).unwrap();
        assert_eq!(keys.verify(&t, NOW).unwrap_err(), TokenError::NotYetValid);
        assert!(keys.verify(&t, NOW + 600).is_ok());
        let other =
            AuthKeys::new(&[spec("z", "secret-a-0123456789", None)], "i", "x", 3600).unwrap();
        let t = other.issue(1, Role::Expert, 0, NOW).unwrap();
        assert_eq!(keys.verify(&t, NOW).unwrap_err(), TokenError::Invalid);
    }
}
