//! Enquiries (答疑/澄清) during a call's open window: a prospective bidder asks, the commission
//! answers for all to read; an answer that changes the requirements amends the call and extends
//! its window by at least a stated minimum.

use chrono::{DateTime, Duration, Utc};

use super::FieldError;

/// An enquiry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enquiry {
    pub id: i32,
    pub call_id: i32,
    /// The asker: the commission's to know, never shown to other bidders or the public.
    pub asked_by: i32,
    pub organisation_id: Option<i32>,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_by: Option<i32>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Set when the answer amended the call: its close before and after.
    pub closes_at_before: Option<DateTime<Utc>>,
    pub closes_at_after: Option<DateTime<Utc>>,
    pub version: i32,
}

impl Enquiry {
    pub fn amended(&self) -> bool {
        self.closes_at_after.is_some()
    }
}

/// A text of 1 to `max` characters after trimming, else an error naming `field`.
pub fn check_text(field: &str, text: &str, max: usize) -> Vec<FieldError> {
    let n = text.trim().chars().count();
    if n == 0 || n > max {
        vec![FieldError::new(
            field,
            crate::msg!("field-chars", min = 1, max = max),
        )]
    } else {
        Vec::new()
    }
}

/// The call's new close after an amending answer: `closes_at` extended by `hours` (the
/// commission's choice) or, when not given, by the minimum; a choice below the minimum is refused.
///
/// # Errors
/// A requested extension below the minimum, naming `amendment.extend_hours`.
pub fn extended_close(
    closes_at: DateTime<Utc>,
    minimum_hours: u32,
    hours: Option<u32>,
) -> Result<DateTime<Utc>, FieldError> {
    let h = hours.unwrap_or(minimum_hours);
    if h < minimum_hours {
        return Err(FieldError::new(
            "amendment.extend_hours",
            crate::msg!("field-amendment-hours", min = minimum_hours),
        ));
    }
    Ok(closes_at + Duration::hours(i64::from(h)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_amendment_extends_by_at_least_the_minimum() {
        let close = Utc.with_ymd_and_hms(2024, 3, 10, 9, 0, 0).unwrap();
        assert_eq!(
            extended_close(close, 72, None).unwrap(),
            close + Duration::hours(72)
        );
        assert_eq!(
            extended_close(close, 72, Some(100)).unwrap(),
            close + Duration::hours(100)
        );
        assert_eq!(
            extended_close(close, 72, Some(24)).unwrap_err().field,
            "amendment.extend_hours"
        );
    }

    #[test]
    fn texts_are_bounded() {
        assert!(check_text("question", "问题", 10).is_empty());
        assert_eq!(check_text("question", "  ", 10).len(), 1);
        assert_eq!(check_text("question", &"字".repeat(11), 10).len(), 1);
    }
}
