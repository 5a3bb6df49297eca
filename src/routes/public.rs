//! The public pages (公示) in HTML: `/`, `/public/{year}/list`, `/public/calls/{id}`,
//! `/public/brains`, and their stylesheet. Not part of the API contract (they are for people;
//! each page links to its JSON), so they are registered on the app directly, not through
//! `utoipa_actix_web`. zh-CN unless `?lang=en` (the switch on every page).

use actix_web::http::header::{self, ContentType};
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;

use super::views::pages::{self, PAGE_CSP, STYLE_CSS};
use super::Data;
use crate::app;
use crate::app::brains::BrainQuery;
use crate::error::Result;
use crate::i18n::Lang;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/public/style.css", web::get().to(style))
        .route("/public/brains", web::get().to(brains))
        .route("/public/calls/{id}", web::get().to(call))
        .route("/public/{year}/list", web::get().to(list));
}

#[derive(Debug, serde::Deserialize)]
struct PageQuery {
    /// An older version of the list.
    version: Option<i32>,
}

/// The page's language: zh-CN unless `?lang=en`. Not `Accept-Language`: a page's URL is what
/// is cited and printed for the notice board, so one URL shows one text.
fn lang_of(req: &HttpRequest) -> Lang {
    Lang::negotiate(req.query_string(), None, Lang::Zh)
}

fn page(lang: Lang, markup: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::html())
        .insert_header((header::CONTENT_LANGUAGE, lang.tag()))
        .insert_header((header::CONTENT_SECURITY_POLICY, PAGE_CSP))
        .body(markup.into_string())
}

fn query(req: &HttpRequest) -> Result<PageQuery> {
    crate::extract::parse_query(req.query_string())
}

async fn home(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let lang = lang_of(&req);
    let home = app::public::home(&state).await?;
    Ok(page(lang, pages::home(&home, lang)))
}

async fn list(
    state: Data,
    req: HttpRequest,
    year: crate::extract::IntPath,
) -> Result<HttpResponse> {
    let lang = lang_of(&req);
    let q = query(&req)?;
    let p = app::public::list_page(&state, year.into_inner(), q.version).await?;
    Ok(page(lang, pages::list(&p, lang)))
}

async fn call(state: Data, req: HttpRequest, id: crate::extract::IntPath) -> Result<HttpResponse> {
    let lang = lang_of(&req);
    let p = app::public::call_page(&state, id.into_inner()).await?;
    Ok(page(lang, pages::call(&p, lang)))
}

async fn brains(state: Data, req: HttpRequest) -> Result<HttpResponse> {
    let lang = lang_of(&req);
    let q = BrainQuery {
        limit: Some(100),
        ..BrainQuery::default()
    };
    let register = app::brains::list(&state, None, q).await?;
    let names = app::public::names(&state).await?;
    Ok(page(lang, pages::brains(&register, &names, lang)))
}

async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLE_CSS)
}
