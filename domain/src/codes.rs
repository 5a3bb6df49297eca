//! Codes with rules of their own: parse, don't validate.

use super::Msg;

/// A GB/T 4754-2017 industry class code: 2 digits (大类), 3 (中类) or 4 (小类).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndustryClassCode(String);

impl IndustryClassCode {
    /// # Errors
    /// When the code is not 2–4 ASCII digits.
    pub fn parse(s: &str) -> Result<Self, Msg> {
        if (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(crate::msg!("field-class-code", code = format!("{s:?}")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 1 = 大类, 2 = 中类, 3 = 小类.
    pub fn level(&self) -> i16 {
        match self.0.len() {
            2 => 1,
            3 => 2,
            _ => 3,
        }
    }

    /// The parent a code must have: its prefix one digit shorter (none for a 大类).
    pub fn expected_parent(&self) -> Option<&str> {
        (self.0.len() > 2).then(|| &self.0[..self.0.len() - 1])
    }
}

/// The charset of the unified social credit code (GB 32100-2015): digits and capitals
/// without I, O, Z, S, V.
const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code (统一社会信用代码): 18 characters, the last a check character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uscc(String);

impl Uscc {
    /// # Errors
    /// When the length, a character, the region digits or the check character is wrong.
    pub fn parse(s: &str) -> Result<Self, Msg> {
        let s = s.trim().to_ascii_uppercase();
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 18 {
            return Err(crate::msg!("field-uscc-length", count = chars.len()));
        }
        let mut values = Vec::with_capacity(18);
        for (i, c) in chars.iter().enumerate() {
            match USCC_CHARS.find(*c) {
                Some(v) => values.push(v as u32),
                None => {
                    return Err(crate::msg!(
                        "field-uscc-character",
                        position = i + 1,
                        character = format!("{c:?}")
                    ))
                }
            }
        }
        if !chars[2..8].iter().all(char::is_ascii_digit) {
            return Err(crate::msg!("field-uscc-division"));
        }
        let expected = Self::check_char(&values[..17]);
        if chars[17] != expected {
            return Err(crate::msg!(
                "field-uscc-check",
                expected = format!("{expected:?}"),
                got = format!("{:?}", chars[17])
            ));
        }
        Ok(Self(s))
    }

    /// The check character for the first 17 character values.
    fn check_char(values: &[u32]) -> char {
        let sum: u32 = values.iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        USCC_CHARS.chars().nth(check as usize).unwrap_or('0')
    }

    /// Completes a 17-character prefix with its check character (for tests and demo data).
    pub fn with_check(prefix17: &str) -> Option<String> {
        let values: Option<Vec<u32>> = prefix17
            .chars()
            .map(|c| USCC_CHARS.find(c).map(|v| v as u32))
            .collect();
        let values = values.filter(|v| v.len() == 17)?;
        Some(format!("{prefix17}{}", Self::check_char(&values)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn industry_class_parent_is_prefix() {
        let c = IndustryClassCode::parse("2683").unwrap();
        assert_eq!(c.expected_parent(), Some("268"));
        assert_eq!(c.level(), 3);
        assert_eq!(
            IndustryClassCode::parse("26").unwrap().expected_parent(),
            None
        );
        for bad in ["2", "26831", "2a", ""] {
            assert!(IndustryClassCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn uscc_known_valid_codes() {
        // A published example code whose check character is known to be right.
        let ok = "91350100M000100Y43";
        assert!(Uscc::parse(ok).is_ok(), "{ok}: {:?}", Uscc::parse(ok));
    }

    #[test]
    fn uscc_rejects_bad_check_length_and_chars() {
        assert!(Uscc::parse("91350100M000100Y44").is_err());
        assert!(Uscc::parse("91350100M000100Y4").is_err());
        assert!(Uscc::parse("91350100M0001I0Y43").is_err());
        let made = Uscc::with_check("91500105MA5U000AB").unwrap();
        assert!(Uscc::parse(&made).is_ok());
    }

    proptest::proptest! {
        #[test]
        fn uscc_single_char_change_is_caught(pos in 0usize..17, delta in 1u32..31) {
            let good = Uscc::with_check("91500105MA5U00012").unwrap();
            let mut chars: Vec<char> = good.chars().collect();
            let v = USCC_CHARS.find(chars[pos]).unwrap() as u32;
            chars[pos] = USCC_CHARS.chars().nth(((v + delta) % 31) as usize).unwrap();
            let changed: String = chars.into_iter().collect();
            // Positions 3-8 must stay digits; otherwise it is refused for that reason instead.
            proptest::prop_assert!(Uscc::parse(&changed).is_err());
        }
    }
}
