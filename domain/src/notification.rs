//! Notices to people: why a person is told (the reason), when a deadline reminder is due, how
//! an email is retried, and what an email address must look like. Who is concerned by what is
//! decided in `app::notifications` from the stored objects; the rules here need no database.

use chrono::{DateTime, Duration, NaiveDate, Utc};

text_enum!(
    /// Why a person is told: something needs their action.
    Reason {
        /// A proposal came back to its applicant for changes (the owner organisation's
        /// accounts; a district-filed proposal's district officers).
        ProposalReturned,
        /// A round's intake deadline is 3 days away and the organisation's proposal is still a
        /// draft or returned.
        IntakeDeadlineSoon,
        /// A call's window opened for bids (every applicant account: any organisation may bid,
        /// eligibility is checked on the bid).
        CallOpened,
        /// A call's window closes in 3 days (every applicant account, bidders or not: who bid
        /// stays sealed).
        CallClosingSoon,
        /// An objection to an award awaits the commission's answer.
        ObjectionToAnswer,
        /// A project's quarterly progress report is due in 3 days and not filed.
        ProgressReportDue,
        /// A completed project's acceptance request is overdue.
        AcceptanceRequestOverdue,
    }
);

impl Reason {
    /// The Fluent message id of its text (`notice-<reason>`).
    pub fn message_id(self) -> String {
        format!("notice-{}", self.as_str().replace('_', "-"))
    }
}

/// Days before a deadline its reminder is written.
pub const REMINDER_DAYS: i64 = 3;

/// Whether a reminder for a deadline at `deadline` is due at `now`: from 3 days before it until
/// it passes (a reminder the service only gets to after the deadline is no use to anyone).
pub fn reminder_due(deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= deadline - Duration::days(REMINDER_DAYS) && now < deadline
}

/// [`reminder_due`] for a deadline given as a day (the last day something may be done, in
/// Chongqing time): due from 3 days before that day through the day itself.
pub fn reminder_due_on(last_day: NaiveDate, today: NaiveDate) -> bool {
    today <= last_day && (last_day - today).num_days() <= REMINDER_DAYS
}

/// Attempts after which an email is given up.
pub const MAX_EMAIL_ATTEMPTS: i32 = 8;

/// When to try an email again after its `attempts`-th failed attempt at `at`: 1 min, 5 min,
/// 30 min, 2 h, 6 h, 12 h, 24 h; `None` once [`MAX_EMAIL_ATTEMPTS`] have failed.
pub fn email_retry(attempts: i32, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    const WAITS: [i64; 7] = [60, 300, 1_800, 7_200, 21_600, 43_200, 86_400];
    if attempts >= MAX_EMAIL_ATTEMPTS {
        return None;
    }
    let i = usize::try_from(attempts.max(1) - 1).unwrap_or(0);
    let wait = WAITS.get(i).copied().unwrap_or(86_400);
    Some(at + Duration::seconds(wait))
}

text_enum!(
    /// Where an email stands.
    EmailStatus {
        Pending,
        Sent,
        /// Given up after [`MAX_EMAIL_ATTEMPTS`] attempts.
        Failed,
    }
);

text_enum!(
    /// How the connection to the SMTP server is secured.
    SmtpTls {
        /// Plain connection upgraded with STARTTLS (required), usually port 587.
        Starttls,
        /// TLS from the first byte (SMTPS), usually port 465.
        Tls,
        /// No TLS: only for a relay on the same host or network (and tests).
        None,
    }
);

/// The longest email address accepted (RFC 5321's path limit less the brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Checks an email address: one `@`, a non-empty local part of printable ASCII without spaces,
/// a domain of dot-separated labels (letters, digits, hyphens), at most 254 characters.
/// Deliberately plain: the real check is the mail server's.
///
/// # Errors
/// A readable reason.
pub fn parse_email(text: &str) -> Result<String, crate::msg::Msg> {
    let t = text.trim();
    let bad = || crate::msg!("field-email");
    if t.is_empty() || t.chars().count() > MAX_EMAIL_CHARS {
        return Err(crate::msg!("field-chars", min = 1, max = MAX_EMAIL_CHARS));
    }
    let (local, domain) = t.split_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'@' | b'<' | b'>' | b'"' | b','))
        && !local.starts_with('.')
        && !local.ends_with('.');
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if local_ok && domain_ok {
        Ok(t.to_owned())
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, d, h, 0, 0)
            .single()
            .expect("time")
    }

    #[test]
    fn a_reminder_is_due_from_three_days_before_until_the_deadline() {
        let deadline = at(10, 12);
        assert!(!reminder_due(deadline, at(7, 11)));
        assert!(reminder_due(deadline, at(7, 12)));
        assert!(reminder_due(deadline, at(10, 11)));
        assert!(!reminder_due(deadline, at(10, 12)));
    }

    #[test]
    fn a_day_reminder_is_due_the_three_days_before_and_on_the_day() {
        let day = |d| NaiveDate::from_ymd_opt(2024, 4, d).expect("day");
        assert!(!reminder_due_on(day(15), day(11)));
        assert!(reminder_due_on(day(15), day(12)));
        assert!(reminder_due_on(day(15), day(15)));
        assert!(!reminder_due_on(day(15), day(16)));
    }

    #[test]
    fn emails_back_off_and_give_up() {
        let t = at(1, 0);
        assert_eq!(email_retry(1, t), Some(t + Duration::seconds(60)));
        assert_eq!(email_retry(2, t), Some(t + Duration::seconds(300)));
        assert_eq!(email_retry(7, t), Some(t + Duration::seconds(86_400)));
        assert_eq!(email_retry(MAX_EMAIL_ATTEMPTS, t), None);
        let mut prev = t;
        for n in 1..MAX_EMAIL_ATTEMPTS {
            let next = email_retry(n, t).expect("retry");
            assert!(next > prev, "attempt {n}");
            prev = next;
        }
    }

    #[test]
    fn email_addresses() {
        for ok in ["a@example.com", "li.ming+jb@mail.cq.gov.cn", " x@y.cn "] {
            assert!(parse_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@localhost",
            "a b@example.com",
            "a@exa mple.com",
            "a@-x.com",
            "a@@example.com",
            ".a@example.com",
            "a@例子.中国",
        ] {
            assert!(parse_email(bad).is_err(), "{bad:?}");
        }
        assert!(parse_email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn every_reason_has_a_message_id() {
        use strum::VariantArray;
        for r in Reason::VARIANTS {
            assert!(r.message_id().starts_with("notice-"), "{r}");
            assert!(!r.message_id().contains('_'), "{r}");
        }
    }
}
