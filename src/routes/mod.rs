//! HTTP: extract, authorise, call the domain and the store, map to response types.
//! One file per resource; every route is registered through `utoipa_actix_web` so the served
//! OpenAPI document lists exactly what is routed.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpRequest};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::error::{responses, ApiError, Problem, ProblemField};
use crate::extract;
use crate::state::AppState;
use crate::telemetry;

mod acceptance;
mod audit;
mod auth;
pub mod bids;
mod brains;
pub mod calls;
mod charts;
mod clusters;
mod contract;
mod districts;
mod documents;
mod enquiries;
mod exports;
mod feed;
mod findings;
mod health;
mod industry_classes;
mod inventories;
pub mod lists;
pub mod notices;
pub mod notifications;
mod ocds;
mod organisations;
pub mod panel;
mod projects;
mod proposal_actions;
mod proposal_import;
pub mod proposals;
mod public;
pub mod rounds;
pub mod selections;
mod users;
pub mod views;
mod webhooks;

pub type Data = web::Data<AppState>;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "jiebang",
        description = "揭榜挂帅 — the \"unveil the list and take command\" competition for Chongqing's industry brains (行业产业大脑): intake, selection of the list, calls and awards.",
        license(name = "MIT", identifier = "MIT")
    ),
    servers((url = "/", description = "The server that serves this document")),
    modifiers(&SecurityAddon),
    components(
        schemas(Problem, ProblemField),
        responses(
            responses::BadRequest,
            responses::Unauthorized,
            responses::Forbidden,
            responses::NotFound,
            responses::Conflict,
            responses::PreconditionFailed,
            responses::PreconditionRequired,
            responses::TooManyRequests,
            responses::ServiceUnavailable,
            responses::PayloadTooLarge,
            responses::NotAcceptable,
            responses::Unprocessable
        )
    ),
    tags(
        (name = "operations", description = "Liveness and readiness."),
        (name = "auth", description = "Tokens."),
        (name = "users", description = "Accounts and roles."),
        (name = "organisations", description = "Applicant organisations (建设主体)."),
        (name = "reference", description = "Districts, industry maps, clusters and industry classes."),
        (name = "rounds", description = "Yearly rounds: deadline, list size, selection settings."),
        (name = "proposals", description = "Intention forms and construction plans, review and sealing (意向征集)."),
        (name = "selection", description = "Scoring the eligible pool and choosing the list exactly, with explanations and replay."),
        (name = "list", description = "The published list (榜单) and its versions."),
        (name = "calls", description = "Calls (揭榜) for list items: window, opening of sealed bids, review."),
        (name = "bids", description = "Sealed bids with receipts; expert scores."),
        (name = "panel", description = "Expert panels, conflicts of interest and recusals."),
        (name = "award", description = "Ranking, public notice (公示), objections and the award (挂帅)."),
        (name = "platform", description = "For data platforms and auditors: the change feed, webhooks (Standard Webhooks, signed, at least once) and the verifiable log (signed tree heads, inclusion and consistency proofs)."),
        (name = "projects", description = "After the award: construction projects (建设项目), task agreements (任务书), progress reports, district supervision (督导), completion (建成) and the request for acceptance (验收)."),
        (name = "acceptance", description = "Acceptance (验收): the panel under the conflict rules, the third-party evaluator's measured report, expert scores, and the conclusion the computed rule allows."),
        (name = "brains", description = "The public register of plaqued industry brains (授牌), annual evaluations (年度常态化评价), rectification (限期整改) and revocation (取消授牌)."),
        (name = "findings", description = "Attestation: findings of falsification (弄虚作假) against a proposal, a bid or a project, public once final."),
        (name = "documents", description = "Uploaded files (意向表 and 方案 scans, bid attachments sealed with the bid, a finding's evidence) and their versions, read as their owner is.")
    )
)]
struct ApiDoc;

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT".into());
        components.add_security_scheme("bearer_auth", SecurityScheme::Http(http));
    }
}

fn api() -> utoipa_actix_web::UtoipaApp<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(health::healthz)
        .service(health::readyz)
        .service(health::metrics)
        .service(
            scope::scope("/api/v1")
                // The router tries resources in this order: the cached public reads and
                // `/users/me` first, as they are the most read.
                .configure(districts::configure)
                .configure(clusters::configure)
                .configure(industry_classes::configure)
                .configure(lists::configure)
                .configure(users::configure)
                .configure(auth::configure)
                .configure(organisations::configure)
                .configure(inventories::configure)
                .configure(rounds::configure)
                .configure(proposals::configure)
                .configure(proposal_actions::configure)
                .configure(proposal_import::configure)
                .configure(selections::configure)
                .configure(calls::configure)
                .configure(bids::configure)
                .configure(panel::configure)
                .configure(notices::configure)
                .configure(notifications::configure)
                .configure(projects::configure)
                .configure(feed::configure)
                .configure(ocds::configure)
                .configure(audit::configure)
                .configure(acceptance::configure)
                .configure(brains::configure)
                .configure(webhooks::configure)
                .configure(charts::configure)
                .configure(exports::configure)
                .configure(findings::configure)
                .configure(enquiries::configure)
                .configure(documents::configure),
        )
}

/// The OpenAPI document, exactly as the server serves it.
pub fn openapi() -> serde_json::Value {
    finish(api().split_for_parts().1)
}

fn finish(mut doc: utoipa::openapi::OpenApi) -> serde_json::Value {
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    contract::finish(&doc)
}

/// The whole application for one worker.
pub fn app(
    state: Data,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, doc) = api().split_for_parts();
    let table = web::Data::new(RouteTable::new(&doc));
    let doc = finish(doc);
    app.app_data(state)
        .app_data(table)
        .app_data(web::PathConfig::default().error_handler(extract::path_error))
        .app_data(web::QueryConfig::default().error_handler(extract::query_error))
        .service(
            SwaggerUi::new("/swagger-ui/{_:.*}")
                .external_url_unchecked("/api-docs/openapi.json", doc)
                .config(
                    Config::default()
                        .validator_url("none")
                        .try_it_out_enabled(true)
                        .persist_authorization(true),
                ),
        )
        .configure(public::configure)
        .route("/swagger-ui", web::get().to(to_swagger_ui))
        .default_service(web::to(fallback))
        .wrap(from_fn(crate::i18n::language))
        .wrap(from_fn(crate::headers::security_headers))
        .wrap(from_fn(telemetry::request_span))
}

/// The routed paths and their methods, to tell a wrong method (405) from an unknown path (404).
struct RouteTable(Vec<(Vec<String>, Vec<&'static str>)>);

impl RouteTable {
    fn new(doc: &utoipa::openapi::OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_matches('/')
                    .split('/')
                    .map(str::to_owned)
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, present)| present.then_some(m))
                .collect();
                (segments, methods)
            })
            .collect();
        Self(routes)
    }

    fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.0.iter().find_map(|(segments, methods)| {
            let matches = segments.len() == parts.len()
                && segments
                    .iter()
                    .zip(&parts)
                    .all(|(s, p)| (s.starts_with('{') && !p.is_empty()) || s == p);
            matches.then(|| methods.iter().map(|m| (*m).to_owned()).collect())
        })
    }
}

/// A public read from its pre-serialised bytes: a strong `ETag`, `Cache-Control` that lets any
/// cache keep it but revalidate before reuse (it changes when the data does, on any instance), and
/// 304 without a body when `If-None-Match` names it.
pub(crate) fn cached(
    req: &HttpRequest,
    c: &crate::app::public_cache::Cached,
) -> actix_web::HttpResponse {
    use actix_web::http::header;
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim() == "*"
                || v.split(',')
                    .map(|t| t.trim().trim_start_matches("W/"))
                    .any(|t| t == c.etag)
        });
    let mut res = if matches {
        actix_web::HttpResponse::NotModified()
    } else {
        actix_web::HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, c.etag.clone()))
        .insert_header((header::CACHE_CONTROL, "public, no-cache"));
    if matches {
        res.finish()
    } else {
        res.content_type(mime_json()).body(c.body.clone())
    }
}

fn mime_json() -> &'static str {
    "application/json"
}

/// An RFC 8288 `Link` header value to the next page: this request's path and query with `after`
/// replaced by the given cursor.
pub(crate) fn next_link(req: &HttpRequest, after: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(req.query_string().as_bytes()) {
        if k != "after" {
            query.append_pair(&k, &v);
        }
    }
    query.append_pair("after", after);
    format!("<{}?{}>; rel=\"next\"", req.path(), query.finish())
}

/// A page of an array endpoint: the items as a JSON array (the shape those endpoints always had)
/// and, when another page may follow, its `Link: <…>; rel="next"` header.
pub(crate) fn paged<T: serde::Serialize>(
    req: &HttpRequest,
    items: &[T],
    next: Option<i64>,
) -> actix_web::HttpResponse {
    let mut res = actix_web::HttpResponse::Ok();
    if let Some(after) = next {
        res.insert_header((
            actix_web::http::header::LINK,
            next_link(req, &after.to_string()),
        ));
    }
    res.json(items)
}

/// A page cut from a short list the use case read whole (a call's enquiries, objections or
/// bidders, findings, webhooks, a district's enterprises), in key order, as [`paged`].
pub(crate) fn paged_from<T, D: serde::Serialize>(
    req: &HttpRequest,
    args: crate::app::paging::PageArgs,
    all: Vec<T>,
    key: impl Fn(&T) -> i64,
    to: impl FnMut(T) -> D,
) -> actix_web::HttpResponse {
    let page = args.of_all(all, key).map(to);
    paged(req, &page.items, page.next)
}

/// `/swagger-ui` leads to the Swagger UI (its own paths need the trailing slash).
async fn to_swagger_ui() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, "/swagger-ui/"))
        .finish()
}

async fn fallback(req: HttpRequest, table: web::Data<RouteTable>) -> ApiError {
    match table.allowed(req.path()) {
        Some(allow) => ApiError::MethodNotAllowed { allow },
        None => ApiError::NotFound(crate::msg!("not-found-route", req = req.path())),
    }
}

impl actix_web::Responder for ApiError {
    type Body = actix_web::body::BoxBody;
    fn respond_to(self, _req: &HttpRequest) -> actix_web::HttpResponse {
        actix_web::ResponseError::error_response(&self)
    }
}
