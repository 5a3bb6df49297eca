//! Who is calling: passwords, tokens and the [`Caller`] extractor every protected route takes.

mod caller;
mod jwt;
pub mod password;

pub use caller::{Caller, MaybeCaller};
pub use jwt::{AuthKeys, Claims, TokenError, TokenKeySpec};
pub use password::Hasher;
