//! HS256 tokens. Validation pins the algorithm, requires `exp`, and checks `iss` and `aud`.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::domain::role::Role;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    pub role: Role,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct AuthKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    pub ttl_secs: u64,
}

impl AuthKeys {
    pub fn new(secret: &[u8], issuer: &str, audience: &str, ttl_secs: u64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // `exp` is required above but checked in `verify` against the injected clock, so that
        // expiry follows the same time as every other deadline in the service.
        validation.validate_exp = false;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            ttl_secs,
        }
    }

    /// Signs a token for a user, valid `ttl_secs` from `now` (unix seconds).
    ///
    /// # Errors
    /// When signing fails.
    pub fn issue(&self, user_id: i32, role: Role, now: i64) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user_id.to_string(),
            role,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now + i64::try_from(self.ttl_secs).unwrap_or(3600),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| anyhow::anyhow!("signing token: {e}"))
    }

    /// Checks signature, algorithm, issuer and audience, then expiry at `now` (unix seconds,
    /// with 5 seconds of leeway).
    ///
    /// # Errors
    /// A readable reason when the token is malformed, forged, expired or meant for someone else.
    pub fn verify(&self, token: &str, now: i64) -> Result<Claims, String> {
        let claims = decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| format!("invalid token: {e}"))?;
        if claims.exp + 5 < now {
            return Err("invalid token: expired".into());
        }
        Ok(claims)
    }
}
