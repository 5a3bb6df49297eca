//! Attestation (issue 16 item 4): the truthfulness statement on every submission of a proposal
//! or a bid, and the commission's findings of falsification, public once final.

use chrono::Duration;
use jiebang::domain::role::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use jiebang::routes::views::findings::FindingDto;
use jiebang::routes::views::proposals::ProposalDto;

use crate::calls::{bid, bid_id, bidder, content, opens, with_call};
use crate::helpers::*;
use crate::proposals::{act, attestation, create_round, etag_of, file, sample};

const STATEMENT: &str = "对建设方案的真实性负责，严禁弄虚作假";

#[tokio::test]
async fn a_proposal_is_submitted_only_with_a_named_truthfulness_statement() {
    let app = spawn_app().await;
    create_round(&app).await;
    let applicant = app.token(Role::Applicant).to_owned();
    let p = file(&app, &applicant, sample(HOME_DISTRICT, "light_textile")).await;
    let id = i64::from(p.parse::<ProposalDto>().id);
    let tag = etag_of(&p);
    for (case, body, field) in [
        ("no statement", json!({}), "attestation"),
        (
            "another text",
            json!({"attestation": {"statement": "我们保证", "name": "张三"}}),
            "attestation.statement",
        ),
        (
            "nobody named",
            json!({"attestation": {"statement": STATEMENT, "name": "  "}}),
            "attestation.name",
        ),
    ] {
        let r = act(&app, &applicant, id, "submit", &tag, Some(body)).await;
        assert!(r.status.is_client_error(), "{case}: {:?}", r.body);
        assert!(r.is_problem(), "{case}");
        assert!(
            r.error_fields().iter().any(|f| f == field),
            "{case}: {:?}",
            r.body
        );
    }
    let r = act(&app, &applicant, id, "submit", &tag, None).await;
    let submitted: ProposalDto = r.expect(StatusCode::OK);
    let a = submitted.attestation.expect("the statement is stored");
    assert_eq!(
        (a.statement.as_str(), a.name.as_str()),
        (STATEMENT, "示例法定代表人")
    );
    assert_eq!(a.position.as_deref(), Some("法定代表人"));
    assert_eq!(Some(a.at), submitted.submitted_at);
    // The statement is in the submission's event.
    let rows = entity::event::Entity::find()
        .filter(entity::event::Column::AggregateType.eq("proposal"))
        .filter(entity::event::Column::AggregateId.eq(id.to_string()))
        .filter(entity::event::Column::Kind.eq("submit"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].payload.to_string().contains("示例法定代表人"));
}

#[tokio::test]
async fn a_bid_needs_the_statement_and_a_finding_is_public_only_once_final() {
    let (app, call) = with_call().await;
    let (_, token) = bidder(&app, "示例承诺科技有限公司", 41, 2000.0).await;
    app.clock.set(opens() + Duration::hours(1));
    let mut without = content("方案", 900.0);
    without.as_object_mut().unwrap().remove("attestation");
    let r = bid(&app, &token, call, without).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.error_fields(), ["attestation"]);
    let b = bid_id(&bid(&app, &token, call, content("方案", 900.0)).await);
    // The bidder reads its statement back inside its sealed content.
    let own = app
        .request(
            Method::GET,
            &format!("/api/v1/bids/{b}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(own.body["content"]["attestation"]["statement"], STATEMENT);

    // Before the opening a bid cannot be named in a finding.
    let finding = |kind: &str, id: i64| json!({"subject_type": kind, "subject_id": id, "reason": "虚报链主企业产值", "evidence": "税务部门2022年度纳税证明（文号示例）"});
    let r = app
        .post(
            "/api/v1/findings",
            Some(Role::Commission),
            finding("bid", b),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);

    // A finding against a proposal of the demo round: the commission's draft, then public.
    let proposal = entity::proposal::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let r = app
        .post(
            "/api/v1/findings",
            Some(Role::Applicant),
            finding("proposal", proposal.into()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(
            "/api/v1/findings",
            Some(Role::Commission),
            json!({"subject_type": "proposal", "subject_id": proposal, "reason": " ", "evidence": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["reason", "evidence"]);
    let r = app
        .post(
            "/api/v1/findings",
            Some(Role::Commission),
            finding("proposal", 999_999),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post(
            "/api/v1/findings",
            Some(Role::Commission),
            finding("proposal", proposal.into()),
        )
        .await;
    let tag = etag_of(&r);
    let draft: FindingDto = r.expect(StatusCode::CREATED);
    let path = format!("/api/v1/findings/{}", draft.id);
    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);
    let public = format!("/api/v1/findings?subject_type=proposal&subject_id={proposal}");
    assert_eq!(app.get(&public, None).await.body, json!([]));
    let mine: Vec<FindingDto> = app
        .get(&public, Some(Role::Commission))
        .await
        .expect(StatusCode::OK);
    assert_eq!(mine.len(), 1);
    let fin = format!("{path}/finalise");
    let r = app.post(&fin, Some(Role::Commission), json!({})).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    let r = app
        .request_with(
            Method::POST,
            &fin,
            Some(app.token(Role::Commission)),
            None,
            &[("if-match", &tag)],
        )
        .await;
    let done: FindingDto = r.expect(StatusCode::OK);
    assert!(done.finalised_at.is_some());
    let seen: Vec<FindingDto> = app.get(&public, None).await.expect(StatusCode::OK);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].reason, "虚报链主企业产值");
    let again = app
        .request_with(
            Method::POST,
            &fin,
            Some(app.token(Role::Commission)),
            None,
            &[("if-match", done.etag.as_str())],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // The log: a commission-only record, then a public finalisation stating the finding.
    let rows = entity::event::Entity::find()
        .filter(entity::event::Column::AggregateType.eq("finding"))
        .order_by_asc(entity::event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap();
    let kinds: Vec<(&str, &str)> = rows
        .iter()
        .map(|e| (e.kind.as_str(), e.visibility.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("finding_recorded", "commission"),
            ("finding_finalised", "public")
        ]
    );
    assert!(rows[1].payload.to_string().contains("虚报链主企业产值"));
    let _: Value = attestation();
}
