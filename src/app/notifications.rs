//! Notices to people (issue 16 item 7): in-app notifications and email through SMTP.
//!
//! **Where they come from.** The event log is the one source of facts. Event-driven notices (a
//! proposal returned, an objection to answer) are written by [`on_commit`], which `Uow::commit`
//! calls after appending the events, in the same transaction: an event and its notices stand or
//! fall together, and no follower with a cursor is needed. Time-driven notices (a deadline in 3
//! days, a call opened by the clock, a progress report due, an acceptance request overdue) are
//! written by [`remind_due`], which the notice worker runs on an interval against the injected
//! clock. Every notice has a unique key (user, reason, object, occasion) — the occasion is the
//! event's seq or the deadline — and is inserted with `ON CONFLICT DO NOTHING`, so each is
//! written once however often the sweep runs and however many instances run it on one database.
//! Notices are derived records, like the webhook outbox: they are not events themselves.
//!
//! **Who is told** (decided here, the reasons in `domain::notification`):
//! - a returned proposal: the owner organisation's applicant accounts (for a proposal a district
//!   officer filed without an owner, that district's officers);
//! - an intake deadline in 3 days: the owners of the round's proposals still draft or returned;
//! - a call opened for bids and a call closing in 3 days: every applicant account bound to an
//!   organisation. Any organisation may bid (eligibility is checked on the bid), and telling
//!   everyone keeps the sealed part sealed: no notice depends on who bid;
//! - an objection to answer: the commission's accounts (the objector is not named);
//! - a progress report due in 3 days, an acceptance request overdue: the builder's applicant
//!   accounts.
//!
//! **Email.** When `email.host` is set, each new notice to an account with an address also puts
//! one email (both languages) in the outbox, in the notice's transaction. [`send_due`] claims due
//! emails under a lease (as the webhook worker does), sends them through SMTP (lettre, rustls),
//! and records every attempt; a failure is retried with backoff (`domain::notification::
//! email_retry`), and after eight failures the email is given up. Nothing is lost across a
//! restart: a claim whose instance died expires and the email is sent again (at least once).

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{ConnectionTrait, DbErr, TransactionTrait};
use secrecy::ExposeSecret;
use serde_json::{json, Value};

use super::{AggregateType, NewEvent};
use crate::auth::Caller;
use crate::domain::calendar::local_day;
use crate::domain::call::CallStatus;
use crate::domain::notification::{
    email_retry, parse_email, reminder_due, reminder_due_on, EmailStatus, Reason, SmtpTls,
};
use crate::domain::project::{acceptance_request_in_time, AgreementStatus, ProjectStatus, Quarter};
use crate::domain::proposal_state::Status;
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError, Result};
use crate::i18n::{s, tr, Lang};
use crate::settings::EmailSettings;
use crate::state::AppState;
use crate::store;
pub use crate::store::notifications::{Email, EmailAttempt, Notice, Recipient};

/// A notice rendered for a reader.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub notice: Notice,
    pub text: String,
    pub link: String,
}

/// The API path of the object a notice concerns.
pub fn link(kind: AggregateType, id: &str, args: &Value) -> String {
    match kind {
        AggregateType::Proposal => format!("/api/v1/proposals/{id}"),
        AggregateType::Round => format!("/api/v1/rounds/{id}"),
        AggregateType::Call => format!("/api/v1/calls/{id}"),
        AggregateType::Project => format!("/api/v1/projects/{id}"),
        AggregateType::Objection => match args.get("call").and_then(Value::as_i64) {
            Some(call) => format!("/api/v1/calls/{call}/objections"),
            None => "/api/v1/calls".to_owned(),
        },
        _ => "/api/v1".to_owned(),
    }
}

/// A notice's text in `lang`, from the Fluent catalogues (`notice-<reason>`).
pub fn text(lang: Lang, reason: Reason, args: &Value) -> String {
    let pairs: Vec<(String, String)> = args
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    let t = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                    (k.clone(), t)
                })
                .collect()
        })
        .unwrap_or_default();
    let fargs: Vec<(&str, fluent_bundle::FluentValue<'_>)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), s(v.clone())))
        .collect();
    tr(lang, &reason.message_id(), &fargs)
}

/// Writes one notice per recipient (once: see the module's note) and, when email is on, an
/// email for each new one to an account with an address. The number written.
async fn notify(
    db: &impl ConnectionTrait,
    email_on: bool,
    p: &Planned,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut written = 0;
    let reason = p.reason;
    for r in &p.to {
        let Some(n) = store::notifications::insert_once(
            db,
            store::notifications::NewNotice {
                user_id: r.id,
                reason,
                object_type: p.object.0,
                object_id: p.object.1.clone(),
                occasion: p.occasion.clone(),
                args: p.args.clone(),
            },
            now,
        )
        .await?
        else {
            continue;
        };
        written += 1;
        metrics::counter!(crate::metrics::NOTICES, "reason" => reason.as_str()).increment(1);
        if let (true, Some(to)) = (email_on, &r.email) {
            let (subject, body) = email_content(&n);
            store::notifications::enqueue_email(db, n.id, to, &subject, &body, now).await?;
        }
    }
    Ok(written)
}

/// An email's subject and plain-text body: the notice in Chinese, then in English, and the link.
fn email_content(n: &Notice) -> (String, String) {
    let zh = text(Lang::Zh, n.reason, &n.args);
    let en = text(Lang::En, n.reason, &n.args);
    let subject = format!("[揭榜挂帅] {zh}");
    let body = format!(
        "{zh}\n\n{en}\n\n{}\n",
        link(n.object_type, &n.object_id, &n.args)
    );
    (subject, body)
}

/// What an event-driven notice needs of an event, taken before the events are appended.
#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    kind: AggregateType,
    id: String,
    event: String,
    parent: Option<String>,
    reason: Option<String>,
}

impl Trigger {
    /// The events that tell someone something (and nothing is read for the others).
    pub(crate) fn of(e: &NewEvent) -> Option<Self> {
        let wanted = matches!(
            (e.aggregate.kind, e.kind.as_str()),
            (AggregateType::Proposal, "return") | (AggregateType::Objection, "objection")
        );
        wanted.then(|| Self {
            kind: e.aggregate.kind,
            id: e.aggregate.id.clone(),
            event: e.kind.clone(),
            parent: e.parent.as_ref().map(|p| p.id.clone()),
            reason: e.reason.clone(),
        })
    }
}

/// The event-driven notices of the events just appended (`triggers`, each with its seq), in
/// the events' transaction. Called by `Uow::commit`.
///
/// # Errors
/// Database failures.
pub(crate) async fn on_commit(
    db: &impl ConnectionTrait,
    email_on: bool,
    triggers: Vec<(i64, Trigger)>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for (seq, t) in triggers {
        let occasion = format!("evt_{seq}");
        match (t.kind, t.event.as_str()) {
            (AggregateType::Proposal, "return") => {
                let Some(p) = t.id.parse().ok().map(|id| store::proposals::by_id(db, id)) else {
                    continue;
                };
                let Some(p) = p.await? else { continue };
                let to = match p.owner_organisation_id {
                    Some(o) => {
                        store::notifications::recipients(db, Role::Applicant, Some(o), None).await?
                    }
                    None => {
                        store::notifications::recipients(
                            db,
                            Role::District,
                            None,
                            Some(&p.district_code),
                        )
                        .await?
                    }
                };
                let plan = Planned {
                    to,
                    reason: Reason::ProposalReturned,
                    object: (AggregateType::Proposal, t.id),
                    occasion,
                    args: json!({"proposal": p.id, "reason": t.reason.unwrap_or_default()}),
                };
                notify(db, email_on, &plan, now).await?;
            }
            (AggregateType::Objection, "objection") => {
                let to = store::notifications::recipients(db, Role::Commission, None, None).await?;
                let call: Option<i64> = t.parent.as_deref().and_then(|c| c.parse().ok());
                let plan = Planned {
                    to,
                    reason: Reason::ObjectionToAnswer,
                    args: json!({"objection": t.id, "call": call}),
                    object: (AggregateType::Objection, t.id),
                    occasion,
                };
                notify(db, email_on, &plan, now).await?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether this instance writes emails: an SMTP server is set.
pub fn email_on(settings: &EmailSettings) -> bool {
    settings.host.is_some()
}

/// The most projects one sweep looks at.
const SWEEP_LIMIT: u64 = 100_000;

/// A notice to write to some accounts (a sweep's plan).
struct Planned {
    to: Vec<Recipient>,
    reason: Reason,
    object: (AggregateType, String),
    occasion: String,
    args: Value,
}

/// Writes the time-driven notices due at the clock's present moment (each once, see the
/// module's note); the number written. The notice worker calls it on an interval; tests call it
/// after moving the clock.
///
/// Everything is read first, then each plan is written in its own transaction that begins with
/// a write (SQLite: a transaction that read first cannot take the write lock while another
/// writer waits, and fails instead of waiting).
///
/// # Errors
/// Database failures (what was written before stays written).
#[tracing::instrument(skip_all)]
pub async fn remind_due(state: &AppState) -> Result<u64> {
    let now = super::now(state);
    let email_on = email_on(&state.settings.email);
    let mut written = 0;
    for p in plan(state, now).await? {
        if p.to.is_empty() {
            continue;
        }
        let txn = state.db.begin().await?;
        written += notify(&txn, email_on, &p, now).await?;
        txn.commit().await?;
    }
    if written > 0 {
        tracing::info!(written, "notices written");
    }
    Ok(written)
}

/// The time-driven notices due at `now` (read only).
async fn plan(state: &AppState, now: DateTime<Utc>) -> Result<Vec<Planned>> {
    let today = local_day(now);
    let db = &state.db;
    let mut out = Vec::new();
    let shown = |d: DateTime<Utc>| {
        d.with_timezone(&crate::domain::calendar::beijing())
            .to_rfc3339()
    };
    let owners = |p: &entity::proposal::Model| (p.owner_organisation_id, p.district_code.clone());

    // A round's intake deadline: the owners of proposals not yet submitted.
    for round in store::rounds::all(db).await? {
        if !reminder_due(round.intake_deadline, now) {
            continue;
        }
        let mut seen = Vec::new();
        for p in
            store::proposals::in_states(db, round.id, &[Status::Draft, Status::Returned]).await?
        {
            let key = owners(&p);
            if seen.contains(&key) {
                continue;
            }
            let to = match &key {
                (Some(o), _) => {
                    store::notifications::recipients(db, Role::Applicant, Some(*o), None).await?
                }
                (None, district) => {
                    store::notifications::recipients(db, Role::District, None, Some(district))
                        .await?
                }
            };
            seen.push(key);
            out.push(Planned {
                to,
                reason: Reason::IntakeDeadlineSoon,
                object: (AggregateType::Round, round.year.to_string()),
                occasion: round.intake_deadline.to_rfc3339(),
                args: json!({"year": round.year, "deadline": shown(round.intake_deadline)}),
            });
        }
    }

    // Calls: opened for bids, and closing in 3 days (the same notice to every applicant).
    let live: Vec<_> = store::calls::calls(db)
        .await?
        .into_iter()
        .filter(|c| c.status_at(now) == CallStatus::Open)
        .collect();
    if !live.is_empty() {
        let applicants = store::notifications::recipients(db, Role::Applicant, None, None).await?;
        for c in live {
            let args = json!({"call": c.id, "closes_at": shown(c.closes_at)});
            let object = (AggregateType::Call, c.id.to_string());
            if reminder_due(c.closes_at, now) {
                out.push(Planned {
                    to: applicants.clone(),
                    reason: Reason::CallClosingSoon,
                    object: object.clone(),
                    occasion: c.closes_at.to_rfc3339(),
                    args: args.clone(),
                });
            }
            out.push(Planned {
                to: applicants.clone(),
                reason: Reason::CallOpened,
                object,
                occasion: c.opens_at.to_rfc3339(),
                args,
            });
        }
    }

    // Projects: the last quarter's progress report, and an overdue acceptance request.
    let filter = |status| store::projects::ProjectFilter {
        status: Some(status),
        limit: SWEEP_LIMIT,
        ..Default::default()
    };
    let mut projects = store::projects::list(db, &filter(ProjectStatus::InConstruction)).await?;
    projects.extend(store::projects::list(db, &filter(ProjectStatus::Completed)).await?);
    // The quarter before today's is the only one whose report can fall due within 3 days.
    let last = Quarter::of(today)
        .first_day()
        .and_then(|d| d.pred_opt())
        .map(Quarter::of);
    for p in projects {
        let to =
            store::notifications::recipients(db, Role::Applicant, Some(p.organisation_id), None)
                .await?;
        if to.is_empty() {
            continue;
        }
        if let Some((q, due)) = last.and_then(|q| q.report_due().map(|d| (q, d))) {
            if reminder_due_on(due, today) {
                let signed = store::projects::agreements(db, p.id)
                    .await?
                    .into_iter()
                    .filter(|a| a.status == AgreementStatus::Signed)
                    .filter_map(|a| a.signed_at)
                    .min();
                let in_term = signed.is_some_and(|s| Quarter::of(local_day(s)) <= q)
                    && p.completed_on.is_none_or(|c| q <= Quarter::of(c));
                let filed = store::projects::reports(db, p.id)
                    .await?
                    .iter()
                    .any(|r| r.period == q);
                if in_term && !filed {
                    out.push(Planned {
                        to: to.clone(),
                        reason: Reason::ProgressReportDue,
                        object: (AggregateType::Project, p.id.to_string()),
                        occasion: q.to_string(),
                        args: json!({"project": p.id, "quarter": q.to_string(), "due": due.to_string()}),
                    });
                }
            }
        }
        if let (ProjectStatus::Completed, Some(done)) = (p.status, p.completed_on) {
            if acceptance_request_in_time(done, today).is_err() {
                let due = crate::domain::project::acceptance_request_due(done)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                out.push(Planned {
                    to,
                    reason: Reason::AcceptanceRequestOverdue,
                    object: (AggregateType::Project, p.id.to_string()),
                    occasion: due.clone(),
                    args: json!({"project": p.id, "due": due}),
                });
            }
        }
    }
    Ok(out)
}

/// The most notifications listed at a time.
pub const MAX_LIMIT: u64 = 200;

/// The caller's notifications, newest first: those older than `after` (the last id of the
/// previous page) when given; only unread ones when `unread`.
///
/// # Errors
/// 422 for a bad cursor or limit.
#[tracing::instrument(skip_all, fields(user_id = caller.id))]
pub async fn list(
    state: &AppState,
    caller: &Caller,
    after: Option<i64>,
    unread: bool,
    limit: u64,
    lang: Lang,
) -> Result<Vec<Rendered>> {
    let mut errors = Vec::new();
    if after.is_some_and(|a| a < 1) {
        errors.push(FieldError::new(
            "after",
            crate::msg!("field-at-least", min = 1),
        ));
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(FieldError::new(
            "limit",
            crate::msg!("field-between", min = 1, max = 200),
        ));
    }
    ApiError::check(errors)?;
    let page = store::notifications::page(&state.db, caller.id, after, unread, limit).await?;
    Ok(page.into_iter().map(|n| render(n, lang)).collect())
}

fn render(n: Notice, lang: Lang) -> Rendered {
    Rendered {
        text: text(lang, n.reason, &n.args),
        link: link(n.object_type, &n.object_id, &n.args),
        notice: n,
    }
}

/// Marks one of the caller's notifications read (again: no change).
///
/// # Errors
/// 404 for an id that is not the caller's notification.
#[tracing::instrument(skip_all, fields(user_id = caller.id, notification_id = id))]
pub async fn mark_read(state: &AppState, caller: &Caller, id: i64, lang: Lang) -> Result<Rendered> {
    let not_found = || ApiError::NotFound(crate::msg!("not-found-notification", id = id));
    let n = store::notifications::get(&state.db, id)
        .await?
        .filter(|n| n.user_id == caller.id)
        .ok_or_else(not_found)?;
    if n.read_at.is_none() {
        store::notifications::mark_read(&state.db, n.id, super::now(state)).await?;
    }
    let n = store::notifications::get(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    Ok(render(n, lang))
}

/// Sets or clears the caller's own email address (where notices are emailed): one event on the
/// account, visible to its parties (the address itself is not in the log).
///
/// # Errors
/// 422 naming `email` for an address that does not parse.
#[tracing::instrument(skip_all, fields(user_id = caller.id))]
pub async fn set_own_email(
    state: &AppState,
    caller: &Caller,
    email: Option<&str>,
) -> Result<Option<String>> {
    let email = match email {
        None => None,
        Some(e) => Some(
            parse_email(e)
                .map_err(|why| ApiError::Validation(vec![FieldError::new("email", why)]))?,
        ),
    };
    let mut uow = super::Uow::begin(state, caller).await?;
    if !store::notifications::set_email(uow.db(), caller.id, email.clone()).await? {
        return Err(ApiError::NotFound(crate::msg!("not-found-account")));
    }
    uow.record(NewEvent::new(
        AggregateType::User,
        caller.id,
        if email.is_some() {
            "email_set"
        } else {
            "email_cleared"
        },
        super::Visibility::Party,
    ));
    uow.commit().await?;
    Ok(email)
}

/// What one pass of the email sender did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    pub claimed: u64,
    pub sent: u64,
    /// Failed attempts with a retry scheduled.
    pub retrying: u64,
    /// Emails given up.
    pub failed: u64,
    /// Outcomes not recorded because the claim had been lost.
    pub lost: u64,
}

/// The SMTP transport the settings describe.
///
/// # Errors
/// TLS parameters that cannot be built for the host.
fn transport(e: &EmailSettings, host: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>> {
    let tls = |h: &str| {
        TlsParameters::new(h.to_owned())
            .map_err(|err| ApiError::Unexpected(anyhow::anyhow!("SMTP TLS for {h}: {err}")))
    };
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(e.port)
        .timeout(Some(std::time::Duration::from_secs(e.timeout_secs)));
    b = match e.tls {
        SmtpTls::Starttls => b.tls(Tls::Required(tls(host)?)),
        SmtpTls::Tls => b.tls(Tls::Wrapper(tls(host)?)),
        SmtpTls::None => b.tls(Tls::None),
    };
    if let (Some(u), Some(p)) = (&e.username, &e.password) {
        b = b.credentials(Credentials::new(u.clone(), p.expose_secret().to_owned()));
    }
    Ok(b.build())
}

/// Sends one email; the error's text when it fails.
async fn send_one(
    smtp: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    e: &Email,
) -> std::result::Result<(), String> {
    let to: Mailbox = e.to.parse().map_err(|err| format!("bad address: {err}"))?;
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(e.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(e.body.clone())
        .map_err(|err| format!("building the message: {err}"))?;
    smtp.send(message).await.map(|_| ()).map_err(|err| {
        let mut text = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        text.chars().take(500).collect()
    })
}

/// Sends every email due now: claims a batch under a lease, sends them one by one, records
/// each attempt, and again until nothing is due. Does nothing when no SMTP server is set.
///
/// # Errors
/// Database failures (what was recorded stays recorded; the rest is sent again after its lease
/// expires).
#[tracing::instrument(skip_all)]
pub async fn send_due(state: &AppState) -> Result<SendReport> {
    let mut report = SendReport::default();
    let e = &state.settings.email;
    let Some(host) = &e.host else {
        return Ok(report);
    };
    let smtp = transport(e, host)?;
    let from: Mailbox = e
        .from
        .parse()
        .map_err(|err| ApiError::Unexpected(anyhow::anyhow!("email.from: {err}")))?;
    let owner = uuid::Uuid::new_v4().simple().to_string();
    let lease = Duration::seconds(i64::try_from(e.lease_secs).unwrap_or(120));
    loop {
        let now = super::now(state);
        let claimed = store::notifications::claim(&state.db, now, now + lease, &owner, 16).await?;
        if claimed.is_empty() {
            break;
        }
        report.claimed += u64::try_from(claimed.len()).unwrap_or(0);
        for mail in claimed {
            let at = super::now(state);
            let started = Instant::now();
            let outcome = send_one(&smtp, &from, &mail).await;
            let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
            let attempts = mail.attempts + 1;
            let (status, next) = match &outcome {
                Ok(()) => (EmailStatus::Sent, None),
                Err(_) => match email_retry(attempts, at) {
                    Some(n) => (EmailStatus::Pending, Some(n)),
                    None => (EmailStatus::Failed, None),
                },
            };
            let txn = state.db.begin().await?;
            let kept = store::notifications::finish(
                &txn,
                mail.id,
                &owner,
                status,
                attempts,
                next.unwrap_or(at),
                at,
            )
            .await?;
            if !kept {
                report.lost += 1;
                continue;
            }
            store::notifications::insert_attempt(
                &txn,
                mail.id,
                EmailAttempt {
                    number: attempts,
                    at,
                    error: outcome.as_ref().err().cloned(),
                    duration_ms,
                    next_at: next,
                },
            )
            .await?;
            txn.commit().await?;
            metrics::counter!(crate::metrics::EMAILS, "outcome" => status.as_str()).increment(1);
            match status {
                EmailStatus::Sent => report.sent += 1,
                EmailStatus::Pending => report.retrying += 1,
                EmailStatus::Failed => report.failed += 1,
            }
            if let Err(why) = outcome {
                tracing::warn!(email_id = mail.id, attempt = attempts, error = %why, "email not sent");
            }
        }
    }
    if report.claimed > 0 {
        tracing::info!(?report, "emails");
    }
    Ok(report)
}

/// One pass of the notice worker: the reminders due, then the emails due.
///
/// # Errors
/// As [`remind_due`] and [`send_due`].
pub async fn run_once(state: &AppState) -> Result<(u64, SendReport)> {
    let written = remind_due(state).await?;
    let sent = send_due(state).await?;
    Ok((written, sent))
}

/// The emails of a user's notices with their attempts (for operators and tests).
///
/// # Errors
/// Database failures.
pub async fn emails_of(state: &AppState, user_id: i32) -> Result<Vec<(Email, Vec<EmailAttempt>)>> {
    Ok(store::notifications::emails_of(&state.db, user_id).await?)
}
