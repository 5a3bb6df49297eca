//! `spawn_app()`: one running server with its own database, and tokens for each role.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use jiebang::clock::ManualClock;
use jiebang::domain::codes::Uscc;
use jiebang::domain::role::Role;
pub use jiebang::routes::views::organisations::OrganisationDto;
pub use jiebang::routes::views::users::{TokenResponse, UserDto};
use jiebang::settings::Settings;
use jiebang::startup::Application;
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::{json, Value};

pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
pub const SECRET: &str = "test-secret-0123456789abcdef-0123456789";
pub const SEALING_KEY: &str = "test-sealing-key-0123456789abcdef-012345";
pub const PASSWORD: &str = "a-long-enough-password";
/// The tree-head signing key's seed (tests set it rather than write key files).
pub const AUDIT_KEY: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

/// The district and organisation the role accounts are bound to.
pub const HOME_DISTRICT: &str = "500105";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: ManualClock,
    pub db_url: String,
    pub state: actix_web::web::Data<jiebang::startup::AppState>,
    pub tokens: HashMap<Role, String>,
    pub organisation_id: i64,
    handle: actix_web::dev::ServerHandle,
    _dir: Option<tempfile::TempDir>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The fields named in a problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The body read into the service's own response type, so that a renamed or retyped field
    /// of a response is a compile error (or a failure here) in the tests, not a silent `null`.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone()).unwrap_or_else(|e| {
            panic!(
                "{} ({}) is not a {}: {e}",
                self.body,
                self.status,
                std::any::type_name::<T>()
            )
        })
    }

    /// Asserts the status, then reads the body as [`Reply::parse`] does.
    pub fn expect<T: serde::de::DeserializeOwned>(&self, status: StatusCode) -> T {
        assert_eq!(self.status, status, "{}", self.body);
        self.parse()
    }

    pub fn is_problem(&self) -> bool {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/problem+json"))
            && self.body["status"].as_u64() == Some(u64::from(self.status.as_u16()))
            && self.body["title"].is_string()
            && self.body["type"].is_string()
            && self.body["detail"].is_string()
    }
}

/// A fresh database URL: a temp SQLite file, or a new PostgreSQL database.
pub async fn fresh_database() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let name = format!("jiebang_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&base)
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create test database");
            let cut = base.rfind('/').expect("database URL has a path");
            let rest = &base[cut + 1..];
            let query = rest.find('?').map(|i| &rest[i..]).unwrap_or("");
            (format!("{}/{name}{query}", &base[..cut]), None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            (url, Some(dir))
        }
    }
}

pub fn settings(db_url: &str) -> Settings {
    let mut s = Settings::default();
    s.server.addr = "127.0.0.1:0".parse().expect("addr");
    s.server.workers = Some(2);
    s.server.shutdown_timeout = 1;
    s.server.body_limit = 64 * 1024;
    s.database.url = db_url.to_owned();
    s.database.max_connections = 5;
    s.auth.secret = Some(SecretString::from(SECRET));
    s.sealing.key = Some(SecretString::from(SEALING_KEY));
    // Tests move the injected clock by months; tokens must outlive that (a token-expiry test
    // crafts its own tokens).
    s.auth.token_ttl_secs = 400 * 86_400;
    s.bootstrap.admin_password = Some(SecretString::from(ADMIN_PASSWORD));
    s.audit.signing_key = Some(SecretString::from(AUDIT_KEY));
    s.ocds.prefix = "ocds-213czf".into();
    // Tests drive webhook delivery themselves (`app::webhooks::deliver_due` after moving the
    // clock); one test turns the background worker on.
    s.webhooks.interval_ms = 0;
    // Documents in a folder of the test's own (beside the SQLite file would do, but PostgreSQL
    // databases have no file).
    s.documents.root = Some(std::env::temp_dir().join(format!(
        "jiebang-test-documents-{}",
        uuid::Uuid::new_v4().simple()
    )));
    // The same for reminders and emails (`app::notifications::remind_due` / `send_due`).
    s.email.interval_ms = 0;
    s
}

/// 2024-02-01 00:00 UTC: a month before the 2024 intake deadline.
pub fn start_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0)
        .single()
        .expect("valid time")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// [`spawn_app`] with the test settings changed by `change`.
pub async fn spawn_app_with(change: impl FnOnce(&mut Settings)) -> TestApp {
    let (db_url, dir) = fresh_database().await;
    let mut app = start_with(&db_url, dir, change).await;
    app.setup_roles().await;
    app
}

/// Starts a server on an existing database (no role accounts are created).
pub async fn start(db_url: &str, dir: Option<tempfile::TempDir>) -> TestApp {
    start_with(db_url, dir, |_| {}).await
}

/// [`start`] with the test settings changed by `change`.
pub async fn start_with(
    db_url: &str,
    dir: Option<tempfile::TempDir>,
    change: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut s = settings(db_url);
    change(&mut s);
    start_with_settings(s, dir).await
}

/// [`start`] with settings of the test's own (e.g. no configured secret).
pub async fn start_with_settings(settings: Settings, dir: Option<tempfile::TempDir>) -> TestApp {
    let db_url = settings.database.url.clone();
    let db_url = db_url.as_str();
    let clock = ManualClock::new(start_time());
    let app = Application::build_with_clock(settings, Arc::new(clock.clone()))
        .await
        .expect("build app");
    let base = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base,
        // A fresh connection per request: a pooled keep-alive connection that the server closes
        // just as the next request goes out fails that request ("request sent") on a loaded
        // machine, which says nothing about the service.
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .expect("HTTP client"),
        clock,
        db_url: db_url.to_owned(),
        state,
        tokens: HashMap::new(),
        organisation_id: 0,
        handle,
        _dir: dir,
    }
}

impl TestApp {
    /// The injected clock's present moment to the microsecond (as the service stamps rows).
    pub fn clock_instant(&self) -> chrono::DateTime<Utc> {
        use chrono::SubsecRound;
        jiebang::clock::Clock::now(&self.clock).trunc_subsecs(6)
    }

    pub async fn stop(self) -> Option<tempfile::TempDir> {
        self.handle.stop(true).await;
        self._dir
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        self.request_with(method, path, token, body, &[]).await
    }

    pub async fn request_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("request sent");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body read");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, role: Option<Role>) -> Reply {
        let token = role.map(|r| self.token(r).to_owned());
        self.request(Method::GET, path, token.as_deref(), None)
            .await
    }

    pub async fn post(&self, path: &str, role: Option<Role>, body: Value) -> Reply {
        let token = role.map(|r| self.token(r).to_owned());
        self.request(Method::POST, path, token.as_deref(), Some(body))
            .await
    }

    pub fn token(&self, role: Role) -> &str {
        self.tokens
            .get(&role)
            .map(String::as_str)
            .expect("token for role")
    }

    pub async fn login(&self, username: &str, password: &str) -> Reply {
        self.request(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"username": username, "password": password})),
        )
        .await
    }

    pub async fn login_token(&self, username: &str, password: &str) -> String {
        let r = self.login(username, password).await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {:?}", r.body);
        r.parse::<TokenResponse>().access_token
    }

    /// Creates an account as the commission and returns its token.
    pub async fn add_user(
        &self,
        username: &str,
        role: Role,
        district: Option<&str>,
        org: Option<i64>,
    ) -> String {
        let r = self
            .post(
                "/api/v1/users",
                Some(Role::Commission),
                json!({"username": username, "password": PASSWORD, "role": role,
                       "district_code": district, "organisation_id": org}),
            )
            .await;
        let user: UserDto = r.expect(StatusCode::CREATED);
        assert_eq!((user.username.as_str(), user.role), (username, role));
        self.login_token(username, PASSWORD).await
    }

    /// Creates an organisation as the commission; returns its id.
    pub async fn add_organisation(&self, name: &str, district: &str, serial: u32) -> i64 {
        let uscc = Uscc::with_check(&format!("91{}MA{serial:07}", &district_digits(district)))
            .expect("uscc");
        let r = self
            .post(
                "/api/v1/organisations",
                Some(Role::Commission),
                json!({"name": name, "uscc": uscc, "district_code": district}),
            )
            .await;
        i64::from(r.expect::<OrganisationDto>(StatusCode::CREATED).id)
    }

    async fn setup_roles(&mut self) {
        let admin = self.login_token("admin", ADMIN_PASSWORD).await;
        self.tokens.insert(Role::Commission, admin);
        self.organisation_id = self
            .add_organisation("示例科技有限公司", HOME_DISTRICT, 1)
            .await;
        for role in [
            Role::District,
            Role::Applicant,
            Role::Expert,
            Role::Evaluator,
            Role::Platform,
        ] {
            let (district, org) = match role {
                Role::District => (Some(HOME_DISTRICT), None),
                Role::Applicant => (None, Some(self.organisation_id)),
                _ => (None, None),
            };
            let token = self
                .add_user(&format!("test-{role}"), role, district, org)
                .await;
            self.tokens.insert(role, token);
        }
    }
}

/// The six digits of a district code for a USCC (zones use their parent district's).
pub fn district_digits(code: &str) -> String {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        code.to_owned()
    } else {
        "500000".to_owned()
    }
}
