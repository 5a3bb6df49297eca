//! Amounts of money in 万元 (ten thousand yuan), the unit of the notice's forms.
//!
//! The forms ask for amounts such as 链主企业规模（万元） and the plan's investment estimate. They are
//! kept as an exact count of hundredths of a 万元 (i.e. of 100 yuan) in an `i64`, never a float, so
//! that a funding breakdown either sums to its total or does not — with no rounding noise deciding it.
//!
//! On the wire an amount is a plain JSON number (`1234.56`), because that is what people type into the
//! forms. Deserialisation reads the number's decimal text exactly, so `0.1` is one tenth and not the
//! nearest binary fraction, and it refuses what the domain cannot hold: a negative amount, more than
//! two decimals, or more than 1e12 万元. The refusal messages are written for people, because the
//! service passes them on as field errors.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// The largest amount accepted, in 万元: 1e12 万元 is far above any industrial cluster (the largest
/// Chongqing clusters are counted in 万亿 = 1e8 万元), so anything larger is a typing error.
pub const MAX_WAN_YUAN: i64 = 1_000_000_000_000;

/// [`MAX_WAN_YUAN`] in hundredths, the unit of storage.
pub const MAX_HUNDREDTHS: i64 = MAX_WAN_YUAN * 100;

/// A non-negative amount in 万元 with at most two decimals.
///
/// The field is private so that every `Money` in the program has passed the same checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// Why a value is not a valid [`Money`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// Amounts on the forms are sizes and costs; none can be negative.
    Negative,
    /// The amount has more than two decimals (hundredths of a 万元 are 100 yuan, the finest unit kept).
    TooManyDecimals,
    /// The amount exceeds [`MAX_WAN_YUAN`].
    TooLarge,
    /// The value is not a decimal number at all.
    NotANumber,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Negative => f.write_str("must not be negative"),
            Self::TooManyDecimals => f.write_str("must have at most 2 decimal places (万元)"),
            Self::TooLarge => write!(f, "must not exceed {MAX_WAN_YUAN} 万元"),
            Self::NotANumber => f.write_str("must be a number of 万元"),
        }
    }
}

impl std::error::Error for MoneyError {}

impl Money {
    /// Nothing at all; a valid amount (a cluster may report no chain leader spending, for instance).
    pub const ZERO: Money = Money(0);

    /// Builds an amount from a count of hundredths of a 万元, e.g. from a database column.
    ///
    /// # Errors
    /// [`MoneyError::Negative`] or [`MoneyError::TooLarge`] when outside `0..=MAX_HUNDREDTHS`, so that
    /// a corrupted column cannot smuggle in an amount the API would have refused.
    pub const fn from_hundredths(hundredths: i64) -> Result<Self, MoneyError> {
        if hundredths < 0 {
            Err(MoneyError::Negative)
        } else if hundredths > MAX_HUNDREDTHS {
            Err(MoneyError::TooLarge)
        } else {
            Ok(Self(hundredths))
        }
    }

    /// The exact amount as a count of hundredths of a 万元.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// Parses decimal text such as `"1234.56"`, `"12"`, `"1.5e3"` exactly.
    ///
    /// Exponents are accepted because JSON allows them and serialisers emit them for large numbers.
    ///
    /// # Errors
    /// Every [`MoneyError`] variant, as documented there.
    pub fn parse_decimal(text: &str) -> Result<Self, MoneyError> {
        parse_hundredths(text.trim()).and_then(Self::from_hundredths)
    }
}

/// Reads `[-]digits[.digits][(e|E)[+-]digits]` into hundredths without any floating point.
fn parse_hundredths(text: &str) -> Result<i64, MoneyError> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => {
            let exp: i64 = rest[at + 1..].parse().map_err(|_| MoneyError::NotANumber)?;
            (&rest[..at], exp)
        }
        None => (rest, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty())
        || !all_digits(int_part)
        || !all_digits(frac_part)
    {
        return Err(MoneyError::NotANumber);
    }
    // The value is digits × 10^(exponent − frac_len); in hundredths that is digits × 10^(scale).
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    let frac_len = i64::try_from(frac_part.len()).map_err(|_| MoneyError::NotANumber)?;
    let scale = exponent.saturating_sub(frac_len).saturating_add(2);
    let is_zero = digits.trim_end_matches('0').is_empty();
    if is_zero {
        return Ok(0);
    }
    if negative {
        return Err(MoneyError::Negative);
    }
    let (significant, scale) = {
        // Trailing zeros carry no precision: "1234.5600" has two decimals.
        let trimmed = digits.trim_end_matches('0');
        let zeros =
            i64::try_from(digits.len() - trimmed.len()).map_err(|_| MoneyError::NotANumber)?;
        (trimmed, scale.saturating_add(zeros))
    };
    if scale < 0 {
        return Err(MoneyError::TooManyDecimals);
    }
    // More than 15 significant digits (+ scale) cannot be ≤ MAX_HUNDREDTHS (1e14, 15 digits).
    let width = i64::try_from(significant.len())
        .map_err(|_| MoneyError::NotANumber)?
        .saturating_add(scale);
    if width > 15 {
        return Err(MoneyError::TooLarge);
    }
    let base: i64 = significant.parse().map_err(|_| MoneyError::NotANumber)?;
    let factor = 10_i64.pow(u32::try_from(scale).map_err(|_| MoneyError::TooLarge)?);
    let value = base.checked_mul(factor).ok_or(MoneyError::TooLarge)?;
    if value > MAX_HUNDREDTHS {
        return Err(MoneyError::TooLarge);
    }
    Ok(value)
}

impl fmt::Display for Money {
    /// Always two decimals, as amounts are written on Chinese financial forms: `1234.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl std::str::FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_decimal(s)
    }
}

impl Serialize for Money {
    /// Written as a JSON number. `hundredths / 100` in `f64` is the nearest double to the decimal, and
    /// since every valid amount has at most 15 significant digits, the shortest round-trip rendering
    /// that serialisers use prints exactly the two-decimal value back (`1234.56`, `0.1`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            serializer.serialize_i64(self.0 / 100)
        } else {
            // Exact by the argument above; the only float in this module, used only as wire format.
            serializer.serialize_f64(self.0 as f64 / 100.0)
        }
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Goes through `serde_json::Number` so that the decimal text is read exactly whether or not the
    /// service enables serde_json's `arbitrary_precision` feature.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = serde_json::Number::deserialize(deserializer).map_err(|_| {
            de::Error::custom("must be a number of 万元 (up to 2 decimals), e.g. 1234.56")
        })?;
        Money::parse_decimal(&number.to_string()).map_err(de::Error::custom)
    }
}

impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
            .description(Some(
                "An amount in 万元 (ten thousand yuan), non-negative, at most 2 decimals, at most 1e12.",
            ))
            .minimum(Some(0))
            .maximum(Some(MAX_WAN_YUAN))
            .multiple_of(Some(0.01))
            .examples([serde_json::json!(1234.56)])
            .into()
    }
}

impl utoipa::ToSchema for Money {}

/// A measured or targeted quantity (a KPI's baseline, target or measurement, in the KPI's own
/// unit): non-negative, at most two decimals, read exactly like [`Money`] (never through a float).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(i64);

impl Quantity {
    /// # Errors
    /// As [`Money::from_hundredths`].
    pub const fn from_hundredths(hundredths: i64) -> Result<Self, MoneyError> {
        match Money::from_hundredths(hundredths) {
            Ok(m) => Ok(Self(m.hundredths())),
            Err(e) => Err(e),
        }
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 % 100 == 0 {
            write!(f, "{}", self.0 / 100)
        } else {
            write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
        }
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Money(self.0).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = serde_json::Number::deserialize(deserializer).map_err(|_| {
            de::Error::custom("must be a non-negative number with at most 2 decimals")
        })?;
        parse_hundredths(&number.to_string())
            .and_then(Self::from_hundredths)
            .map_err(|e| match e {
                MoneyError::Negative => de::Error::custom("must not be negative"),
                MoneyError::TooManyDecimals => {
                    de::Error::custom("must have at most 2 decimal places")
                }
                MoneyError::TooLarge => de::Error::custom("is too large"),
                MoneyError::NotANumber => de::Error::custom("must be a number"),
            })
    }
}

impl utoipa::PartialSchema for Quantity {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
            .description(Some(
                "A quantity in its indicator's own unit: non-negative, at most 2 decimals.",
            ))
            .minimum(Some(0))
            .maximum(Some(MAX_WAN_YUAN))
            .multiple_of(Some(0.01))
            .examples([serde_json::json!(95.5)])
            .into()
    }
}

impl utoipa::ToSchema for Quantity {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn from_json(text: &str) -> Result<Money, String> {
        serde_json::from_str::<Money>(text).map_err(|e| e.to_string())
    }

    #[test]
    fn parses_exact_decimals() {
        let cases = [
            ("0", 0),
            ("0.0", 0),
            ("-0", 0),
            ("1", 100),
            ("1234.56", 123_456),
            ("1234.5", 123_450),
            ("0.01", 1),
            ("0.1", 10),
            ("1234.5600", 123_456),
            ("1.5e3", 150_000),
            ("1E2", 10_000),
            ("123456e-2", 123_456),
            ("1000000000000", MAX_HUNDREDTHS),
            ("1e12", MAX_HUNDREDTHS),
            ("999999999999.99", MAX_HUNDREDTHS - 1),
        ];
        for (text, want) in cases {
            assert_eq!(
                from_json(text).map(Money::hundredths),
                Ok(want),
                "case {text}"
            );
        }
    }

    #[test]
    fn rejects_bad_amounts_with_readable_messages() {
        let cases = [
            ("-1", "must not be negative"),
            ("-0.01", "must not be negative"),
            ("1.234", "at most 2 decimal places"),
            ("0.001", "at most 2 decimal places"),
            ("1e-3", "at most 2 decimal places"),
            ("1000000000000.01", "must not exceed"),
            ("1e13", "must not exceed"),
            ("1e400", "must"),
            ("\"12\"", "must be a number"),
            ("null", "must be a number"),
            ("true", "must be a number"),
        ];
        for (text, want) in cases {
            let err = from_json(text).err().unwrap_or_default();
            assert!(err.contains(want), "case {text}: got {err:?}");
        }
    }

    #[test]
    fn parse_decimal_rejects_garbage() {
        for text in ["", ".", "abc", "1.2.3", "1e", "e5", "1,5", "--1"] {
            assert_eq!(
                Money::parse_decimal(text),
                Err(MoneyError::NotANumber),
                "case {text:?}"
            );
        }
    }

    #[test]
    fn serialises_as_number() {
        let cases = [
            (123_456, "1234.56"),
            (123_450, "1234.5"),
            (100, "1"),
            (0, "0"),
            (1, "0.01"),
            (MAX_HUNDREDTHS, "1000000000000"),
        ];
        for (h, want) in cases {
            let money = Money::from_hundredths(h).map_err(|e| e.to_string());
            let json = money.and_then(|m| serde_json::to_string(&m).map_err(|e| e.to_string()));
            assert_eq!(json.as_deref(), Ok(want), "case {h}");
        }
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(
            Money::from_hundredths(123_456).map(|m| m.to_string()),
            Ok("1234.56".into())
        );
        assert_eq!(
            Money::from_hundredths(5).map(|m| m.to_string()),
            Ok("0.05".into())
        );
        assert_eq!(Money::ZERO.to_string(), "0.00");
    }

    #[test]
    fn from_hundredths_keeps_the_invariant() {
        assert_eq!(Money::from_hundredths(-1), Err(MoneyError::Negative));
        assert_eq!(
            Money::from_hundredths(MAX_HUNDREDTHS + 1),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(Money::from_hundredths(7).map(Money::hundredths), Ok(7));
    }

    #[test]
    fn schema_is_a_number() {
        let schema =
            serde_json::to_value(<Money as utoipa::PartialSchema>::schema()).unwrap_or_default();
        assert_eq!(schema["type"], "number");
        assert_eq!(schema["minimum"], 0);
    }

    proptest! {
        #[test]
        fn json_round_trip_is_exact(h in 0..=MAX_HUNDREDTHS) {
            let money = Money::from_hundredths(h).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let json = serde_json::to_string(&money).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(from_json(&json), Ok(money));
            prop_assert_eq!(Money::parse_decimal(&money.to_string()), Ok(money));
        }

        #[test]
        fn three_decimals_are_refused(h in 0..=MAX_WAN_YUAN * 10, last in 1..=9_i64) {
            let text = format!("{}.{:02}{}", h / 100, h % 100, last);
            prop_assert_eq!(Money::parse_decimal(&text), Err(MoneyError::TooManyDecimals));
        }
    }
}
