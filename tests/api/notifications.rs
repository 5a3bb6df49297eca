//! Notices to people: notifications in the API and by email through SMTP (a local sink).

use base64::Engine;
use chrono::{Duration, TimeZone, Utc};
use jiebang::app::notifications::{emails_of, remind_due, send_due};
use jiebang::domain::notification::{EmailStatus, Reason, SmtpTls};
use jiebang::domain::role::Role;
use jiebang::routes::views::notifications::{NotificationDto, NotificationPage};
use jiebang::routes::views::proposals::ProposalDto;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;
use crate::proposals::{act, create_round, etag_of, file, sample};
use crate::smtp_sink::Sink;

fn with_smtp(port: u16) -> impl FnOnce(&mut jiebang::settings::Settings) {
    move |s| {
        s.email.host = Some("127.0.0.1".into());
        s.email.port = port;
        s.email.tls = SmtpTls::None;
        s.email.timeout_secs = 10;
    }
}

async fn my_id(app: &TestApp, token: &str) -> i32 {
    let r = app
        .request(Method::GET, "/api/v1/users/me", Some(token), None)
        .await;
    r.expect::<UserDto>(StatusCode::OK).id
}

async fn set_email(app: &TestApp, token: &str, email: &str) -> Reply {
    app.request(
        Method::PUT,
        "/api/v1/users/me/email",
        Some(token),
        Some(json!({ "email": email })),
    )
    .await
}

async fn notifications(app: &TestApp, token: &str, query: &str) -> NotificationPage {
    app.request(
        Method::GET,
        &format!("/api/v1/users/me/notifications{query}"),
        Some(token),
        None,
    )
    .await
    .expect(StatusCode::OK)
}

/// Files a proposal as the applicant, submits it, and has the district officer return it.
async fn returned_proposal(app: &TestApp) -> i64 {
    create_round(app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let officer = app.token(Role::District).to_owned();
    let r = file(app, &applicant, sample(HOME_DISTRICT, "food_agri")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = i64::from(r.parse::<ProposalDto>().id);
    let r = act(app, &applicant, id, "submit", &etag_of(&r), None).await;
    assert_eq!(r.status, StatusCode::OK, "submit: {:?}", r.body);
    let r = act(
        app,
        &officer,
        id,
        "return",
        &etag_of(&r),
        Some(json!({"reasons": "缺少资金来源说明"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "return: {:?}", r.body);
    id
}

/// The text of a message's body, decoded from its transfer encoding.
fn body_text(data: &str) -> String {
    let (head, body) = data.split_once("\r\n\r\n").expect("headers and body");
    let head = head.to_ascii_lowercase();
    if head.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .expect("base64 body");
        String::from_utf8(bytes).expect("utf-8 body")
    } else if head.contains("content-transfer-encoding: quoted-printable") {
        let soft = body.replace("=\r\n", "");
        let mut out = Vec::new();
        let b = soft.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'=' && i + 2 < b.len() + 1 {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).expect("qp");
                out.push(u8::from_str_radix(hex, 16).expect("qp hex"));
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8 body")
    } else {
        body.to_owned()
    }
}

/// Must show: a returned proposal produces a notification and an email to the applicant.
#[tokio::test]
async fn a_returned_proposal_notifies_and_emails_the_applicant() {
    let sink = Sink::start().await;
    let app = spawn_app_with(with_smtp(sink.port)).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let officer = app.token(Role::District).to_owned();
    // A bad address is refused, naming the field; a good one is kept.
    let r = set_email(&app, &applicant, "not an address").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.error_fields(), ["email"]);
    let r = set_email(&app, &applicant, "li.ming@example.com").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    let id = returned_proposal(&app).await;

    // In the API: one notice, its reason, object, link and text (English by default).
    let page = notifications(&app, &applicant, "").await;
    assert_eq!(page.notifications.len(), 1, "{page:?}");
    let n = &page.notifications[0];
    assert_eq!(n.reason, Reason::ProposalReturned);
    assert_eq!(n.object.kind.as_str(), "proposal");
    assert_eq!(n.object.id, id.to_string());
    assert_eq!(n.object.link, format!("/api/v1/proposals/{id}"));
    assert!(
        n.text.contains("returned") && n.text.contains("缺少资金来源说明"),
        "{}",
        n.text
    );
    assert!(n.read_at.is_none());
    assert_eq!(n.created_at, app.clock_instant());
    // In Chinese when asked.
    let r = app
        .request_with(
            Method::GET,
            "/api/v1/users/me/notifications",
            Some(&applicant),
            None,
            &[("accept-language", "zh-CN")],
        )
        .await;
    let zh: NotificationPage = r.expect(StatusCode::OK);
    assert!(
        zh.notifications[0].text.contains("已退回修改"),
        "{}",
        zh.notifications[0].text
    );
    // Nobody else was told.
    assert!(notifications(&app, &officer, "")
        .await
        .notifications
        .is_empty());
    let commission = app.token(Role::Commission).to_owned();
    assert!(notifications(&app, &commission, "")
        .await
        .notifications
        .is_empty());

    // By email: in the outbox with the notice, sent by the worker, received by the sink.
    let uid = my_id(&app, &applicant).await;
    let emails = emails_of(&app.state, uid).await.unwrap();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].0.status, EmailStatus::Pending);
    assert_eq!(emails[0].0.notification_id, n.id);
    let report = send_due(&app.state).await.unwrap();
    assert_eq!((report.claimed, report.sent), (1, 1), "{report:?}");
    let got = sink.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, ["<li.ming@example.com>"]);
    assert_eq!(got[0].from, "<noreply@jiebang.invalid>");
    let text = body_text(&got[0].data);
    assert!(
        text.contains("已退回修改") && text.contains("was returned"),
        "{text}"
    );
    assert!(text.contains(&format!("/api/v1/proposals/{id}")), "{text}");
    let emails = emails_of(&app.state, uid).await.unwrap();
    assert_eq!(emails[0].0.status, EmailStatus::Sent);
    assert_eq!(emails[0].1.len(), 1);
    assert!(emails[0].1[0].error.is_none());
    // Nothing more to send.
    assert_eq!(send_due(&app.state).await.unwrap().claimed, 0);
    assert_eq!(sink.received().len(), 1);
    sink.stop();
}

/// With no SMTP server set, notices are in the API only: no email is written.
#[tokio::test]
async fn without_a_server_no_email_is_written() {
    let app = spawn_app().await;
    let applicant = app.token(Role::Applicant).to_owned();
    let r = set_email(&app, &applicant, "li.ming@example.com").await;
    assert_eq!(r.status, StatusCode::OK);
    returned_proposal(&app).await;
    assert_eq!(
        notifications(&app, &applicant, "")
            .await
            .notifications
            .len(),
        1
    );
    let uid = my_id(&app, &applicant).await;
    assert!(emails_of(&app.state, uid).await.unwrap().is_empty());
    assert_eq!(send_due(&app.state).await.unwrap().claimed, 0);
}

/// SMTP down: the attempt is recorded and retried later; across a restart, when the server is
/// back, the email is delivered.
#[tokio::test]
async fn smtp_down_is_retried_and_delivered_when_it_comes_back() {
    let sink = Sink::start().await;
    sink.set_up(false);
    let app = spawn_app_with(with_smtp(sink.port)).await;
    let applicant = app.token(Role::Applicant).to_owned();
    set_email(&app, &applicant, "li.ming@example.com").await;
    returned_proposal(&app).await;
    let uid = my_id(&app, &applicant).await;

    let report = send_due(&app.state).await.unwrap();
    assert_eq!(
        (report.claimed, report.retrying, report.sent),
        (1, 1, 0),
        "{report:?}"
    );
    let emails = emails_of(&app.state, uid).await.unwrap();
    let (email, attempts) = &emails[0];
    assert_eq!(email.status, EmailStatus::Pending);
    assert_eq!(email.attempts, 1);
    assert_eq!(attempts.len(), 1);
    assert!(attempts[0].error.as_deref().is_some_and(|e| !e.is_empty()));
    let retry_at = attempts[0].next_at.expect("a retry is scheduled");
    assert_eq!(retry_at, email.next_at);
    assert!(retry_at > app.clock_instant());
    // Not due yet: nothing is tried, even with the server back.
    sink.set_up(true);
    assert_eq!(send_due(&app.state).await.unwrap().claimed, 0);
    assert!(sink.received().is_empty());

    // A restart on the same database: the outbox is still there.
    let db_url = app.db_url.clone();
    let dir = app.stop().await;
    let app = start_with(&db_url, dir, with_smtp(sink.port)).await;
    app.clock.set(retry_at);
    let report = send_due(&app.state).await.unwrap();
    assert_eq!((report.claimed, report.sent), (1, 1), "{report:?}");
    assert_eq!(sink.received().len(), 1);
    let emails = emails_of(&app.state, uid).await.unwrap();
    assert_eq!(emails[0].0.status, EmailStatus::Sent);
    assert_eq!(emails[0].0.attempts, 2);
    let numbers: Vec<i32> = emails[0].1.iter().map(|a| a.number).collect();
    assert_eq!(numbers, [1, 2]);
    assert!(emails[0].1[1].error.is_none());
    sink.stop();
}

/// A deadline reminder is written exactly once when the clock passes 3 days before the intake
/// deadline, also when two passes run at the same moment.
#[tokio::test]
async fn a_deadline_reminder_is_written_once() {
    let app = spawn_app().await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let r = file(&app, &applicant, sample(HOME_DISTRICT, "food_agri")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    // The deadline is 2024-02-29 23:59:59 +08:00; the reminder is due 3 days before.
    let point = Utc
        .with_ymd_and_hms(2024, 2, 26, 15, 59, 59)
        .single()
        .unwrap();
    assert_eq!(remind_due(&app.state).await.unwrap(), 0);
    app.clock.set(point - Duration::seconds(1));
    assert_eq!(remind_due(&app.state).await.unwrap(), 0);
    assert!(notifications(&app, &applicant, "")
        .await
        .notifications
        .is_empty());

    app.clock.set(point);
    let (a, b) = tokio::join!(remind_due(&app.state), remind_due(&app.state));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    app.clock.advance(Duration::hours(30));
    assert_eq!(remind_due(&app.state).await.unwrap(), 0);
    let page = notifications(&app, &applicant, "").await;
    assert_eq!(page.notifications.len(), 1, "{page:?}");
    let n = &page.notifications[0];
    assert_eq!(n.reason, Reason::IntakeDeadlineSoon);
    assert_eq!(
        (n.object.kind.as_str(), n.object.id.as_str()),
        ("round", "2024")
    );
    assert_eq!(n.created_at, point);
    assert!(n.text.contains("2024-02-29"), "{}", n.text);
    // Other accounts own no open proposal: not told.
    let officer = app.token(Role::District).to_owned();
    assert!(notifications(&app, &officer, "")
        .await
        .notifications
        .is_empty());
    // After the deadline nothing more is written.
    app.clock.set(point + Duration::days(4));
    assert_eq!(remind_due(&app.state).await.unwrap(), 0);
}

/// Each reads only their own: another account's notification is 404; marking read; the unread
/// filter; paging; bad parameters named.
#[tokio::test]
async fn own_notifications_only_mark_read_and_pages() {
    let app = spawn_app().await;
    let applicant = app.token(Role::Applicant).to_owned();
    let officer = app.token(Role::District).to_owned();
    let id = returned_proposal(&app).await;
    // A second notice: resubmitted and returned again.
    let r = app
        .request(
            Method::GET,
            &format!("/api/v1/proposals/{id}"),
            Some(&applicant),
            None,
        )
        .await;
    let r = act(&app, &applicant, id, "submit", &etag_of(&r), None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = act(
        &app,
        &officer,
        id,
        "return",
        &etag_of(&r),
        Some(json!({"reasons": "预算表不完整"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    let all = notifications(&app, &applicant, "").await;
    assert_eq!(all.notifications.len(), 2);
    assert!(
        all.notifications[0].id > all.notifications[1].id,
        "newest first"
    );
    assert!(all.notifications[0].text.contains("预算表不完整"));
    assert_eq!(all.next, None);
    // Paging: one at a time, newest first.
    let first = notifications(&app, &applicant, "?limit=1").await;
    assert_eq!(first.notifications[0].id, all.notifications[0].id);
    let next = first.next.expect("a next page");
    let second = notifications(&app, &applicant, &format!("?limit=1&after={next}")).await;
    assert_eq!(second.notifications[0].id, all.notifications[1].id);

    let target = all.notifications[1].id;
    let read = |token: String, id: i64| {
        let app = &app;
        async move {
            app.request(
                Method::POST,
                &format!("/api/v1/users/me/notifications/{id}/read"),
                Some(&token),
                None,
            )
            .await
        }
    };
    // Someone else's, or none: 404, and nothing changes.
    assert_eq!(
        read(officer.clone(), target).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        read(applicant.clone(), 999_999).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        notifications(&app, &applicant, "?unread=true")
            .await
            .notifications
            .len(),
        2
    );
    // One's own: read, once.
    let r = read(applicant.clone(), target).await;
    let n: NotificationDto = r.expect(StatusCode::OK);
    assert_eq!(n.read_at, Some(app.clock_instant()));
    app.clock.advance(Duration::minutes(5));
    let again: NotificationDto = read(applicant.clone(), target).await.expect(StatusCode::OK);
    assert_eq!(again.read_at, n.read_at);
    let unread = notifications(&app, &applicant, "?unread=true").await;
    assert_eq!(unread.notifications.len(), 1);
    assert_eq!(unread.notifications[0].id, all.notifications[0].id);

    // Bad parameters are named.
    for (query, field) in [
        ("?limit=0", "limit"),
        ("?limit=201", "limit"),
        ("?after=0", "after"),
    ] {
        let r = app
            .request(
                Method::GET,
                &format!("/api/v1/users/me/notifications{query}"),
                Some(&applicant),
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {:?}",
            r.body
        );
        assert_eq!(r.error_fields(), [field], "{query}");
    }
    // Anonymous: 401.
    let r = app.get("/api/v1/users/me/notifications", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// A call opened for bids, then closing in 3 days: every applicant organisation is told the
/// same, bidder or not, so no notice says who bid.
#[tokio::test]
async fn a_call_is_announced_to_every_applicant_alike() {
    use crate::calls::{bid, bidder, closes, content, opens, with_call};
    let (app, call) = with_call().await;
    let (_, bidding) = bidder(&app, "示例投标科技有限公司", 81, 2000.0).await;
    let (_, idle) = bidder(&app, "示例观望科技有限公司", 82, 2000.0).await;
    assert_eq!(remind_due(&app.state).await.unwrap(), 0, "not open yet");
    app.clock.set(opens() + Duration::hours(1));
    let r = bid(&app, &bidding, call, content("方案", 900.0)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert!(remind_due(&app.state).await.unwrap() >= 2);
    app.clock.set(closes() - Duration::days(3));
    assert!(remind_due(&app.state).await.unwrap() >= 2);
    assert_eq!(remind_due(&app.state).await.unwrap(), 0, "written once");

    let seen = |p: NotificationPage| -> Vec<(Reason, String, String, String)> {
        p.notifications
            .into_iter()
            .map(|n| (n.reason, n.text, n.object.id, n.object.link))
            .collect()
    };
    let a = seen(notifications(&app, &bidding, "").await);
    let b = seen(notifications(&app, &idle, "").await);
    assert_eq!(a, b, "the bidder and the non-bidder are told the same");
    let reasons: Vec<Reason> = a.iter().map(|n| n.0).collect();
    assert_eq!(reasons, [Reason::CallClosingSoon, Reason::CallOpened]);
    assert!(a.iter().all(|n| n.2 == call.to_string()));
    assert!(a.iter().all(|n| !n.1.contains("示例投标")), "{a:?}");
    // The commission and the officers bid nothing and are not told.
    let officer = app.token(Role::District).to_owned();
    assert!(notifications(&app, &officer, "")
        .await
        .notifications
        .is_empty());
}
