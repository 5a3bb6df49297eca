//! The password policy, the same for the API, the command line and the first account: at least
//! 12 characters, not all whitespace, not the username, not one character repeated, and not in a
//! small list of common passwords (compiled into the binary, `common-passwords.txt`).

/// The common passwords, lower-cased, from the embedded list.
fn common() -> &'static std::collections::HashSet<String> {
    static LIST: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// Minimum length in characters.
pub const MIN_CHARS: usize = 12;

/// Why `password` may not be used by `username`, as a sentence; `None` when it may.
pub fn check(username: &str, password: &str) -> Option<crate::msg::Msg> {
    if password.chars().count() < MIN_CHARS {
        return Some(crate::msg!("field-password-short", min = MIN_CHARS));
    }
    if password.trim().is_empty() {
        return Some(crate::msg!("field-password-whitespace"));
    }
    let lower = password.trim().to_lowercase();
    if !username.is_empty() && lower == username.trim().to_lowercase() {
        return Some(crate::msg!("field-password-username"));
    }
    let mut chars = lower.chars();
    if let Some(first) = chars.next() {
        if chars.all(|c| c == first) {
            return Some(crate::msg!("field-password-repeated"));
        }
    }
    if common().contains(&lower) {
        return Some(crate::msg!("field-password-common"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_refuses_each_weak_kind_and_accepts_a_good_one() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("alice", "short", Some("field-password-short")),
            ("alice", "11-chars-xx", Some("field-password-short")),
            ("alice", "            ", Some("field-password-whitespace")),
            ("alice", " \t \n        ", Some("field-password-whitespace")),
            (
                "expert-wang-01",
                "Expert-Wang-01",
                Some("field-password-username"),
            ),
            ("alice", "zzzzzzzzzzzzzz", Some("field-password-repeated")),
            ("alice", "Password1234", Some("field-password-common")),
            ("alice", "1Q2W3E4R5T6Y", Some("field-password-common")),
            ("alice", "woaini1314520", Some("field-password-common")),
            ("alice", "a-long-enough-password", None),
            ("alice", "密码必须足够长才能用于账户登录", None),
        ];
        for (user, pw, want) in cases {
            let got = check(user, pw);
            match want {
                None => assert_eq!(got, None, "{user}/{pw:?}"),
                Some(w) => assert_eq!(got.and_then(|g| g.id()), Some(*w), "{user}/{pw:?}"),
            }
        }
    }

    #[test]
    fn the_embedded_list_is_read() {
        assert!(common().len() > 80);
        assert!(common().iter().all(|p| p.chars().count() >= MIN_CHARS));
    }
}
