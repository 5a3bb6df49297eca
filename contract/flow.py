"""The programme's main path through the generated Python client only.

token → round → organisation → users → proposal → submit → seal → eligible → scores →
selection → publish → the anonymous list, against a freshly started `jiebang serve`.

Usage: python flow.py BASE_URL ADMIN_PASSWORD  (the generated package `jiebang_client` on sys.path)
"""

import sys
from datetime import datetime

from jiebang_client import AuthenticatedClient, Client
from jiebang_client.api.auth import create_token
from jiebang_client.api.list_ import get_list, publish_list
from jiebang_client.api.organisations import create_organisation
from jiebang_client.api.proposals import (
    create_proposal,
    decide_eligibility,
    seal_proposal,
    submit_proposal,
)
from jiebang_client.api.rounds import create_round
from jiebang_client.api.selection import create_selection, get_round_scores
from jiebang_client.api.users import create_user
from jiebang_client.models import (
    AttestationInput,
    CreateOrganisation,
    CreateRound,
    CreateUser,
    EligibilityBody,
    ProposalInput,
    PublishRequest,
    Role,
    SealBody,
    SelectionRequest,
    SubmitBody,
    TokenRequest,
)

PASSWORD = "flow-check-password-1"


def ok(resp, status, what):
    if resp.status_code != status:
        sys.exit(f"{what}: expected {status}, got {int(resp.status_code)}: {resp.content[:500]!r}")
    print(f"{what}: {int(resp.status_code)}")
    return resp.parsed


def token(base, username, password):
    r = create_token.sync_detailed(
        client=Client(base_url=base), body=TokenRequest(username=username, password=password)
    )
    return ok(r, 200, f"token for {username}").access_token


def main(base, admin_password):
    commission = AuthenticatedClient(base_url=base, token=token(base, "admin", admin_password))

    rnd = ok(
        create_round.sync_detailed(
            client=commission,
            body=CreateRound(
                year=2024,
                title="2024年行业产业大脑建设",
                intake_deadline=datetime.fromisoformat("2099-02-28T23:59:59+08:00"),
                list_size=1,
            ),
        ),
        201,
        "round",
    )
    org = ok(
        create_organisation.sync_detailed(
            client=commission,
            body=CreateOrganisation(name="示例日化科技有限公司", uscc="91500105MA0000001Q", district_code="500105"),
        ),
        201,
        "organisation",
    )
    for username, role, district, organisation in [
        ("flow-district", Role.DISTRICT, "500105", None),
        ("flow-applicant", Role.APPLICANT, None, org.id),
    ]:
        body = CreateUser(username=username, password=PASSWORD, role=role)
        if district:
            body.district_code = district
        if organisation:
            body.organisation_id = organisation
        ok(create_user.sync_detailed(client=commission, body=body), 201, f"user {username}")
    applicant = AuthenticatedClient(base_url=base, token=token(base, "flow-applicant", PASSWORD))
    district = AuthenticatedClient(base_url=base, token=token(base, "flow-district", PASSWORD))

    proposal = ProposalInput.from_dict(
        {
            "form": {
                "brain_name": "示例口腔清洁用品行业产业大脑",
                "district_code": "500105",
                "cluster_code": "light_textile",
                "industry_class": {"major": "26", "middle": "268", "minor": "2683"},
                "builder_organisation_id": org.id,
                "chain_leader": {"name": "示例日化有限公司", "scale": 123456.78, "in_city_suppliers": 120},
                "cluster_stats": {"scale": 2500000, "enterprise_count": 300, "data_year": 2022},
                "construction_model": "chain_leader_led",
                "contact": {"name": "示例联系人", "phone": "023-6000-0001"},
            },
            "plan": {
                "basis": "本区日化产业集聚明显，龙头企业数字化基础较好，已建成多条智能产线和工业互联网平台。",
                "funding": {
                    "total": 1000,
                    "breakdown": [{"item": "平台建设", "amount": 600}, {"item": "运营", "amount": 400}],
                    "sources": [{"source": "企业自筹", "amount": 1000}],
                },
                "schedule": {
                    "start": "2024-04-01",
                    "milestones": [{"name": "上线", "due": "2024-12-31"}],
                    "end": "2025-06-30",
                },
            },
        }
    )
    r = create_proposal.sync_detailed(year=rnd.year, client=applicant, body=proposal)
    p = ok(r, 201, "proposal")
    etag = r.headers["etag"]
    attestation = AttestationInput(statement="对建设方案的真实性负责，严禁弄虚作假", name="张三", position="法定代表人")
    r = submit_proposal.sync_detailed(
        id=p.id, client=applicant, if_match=etag, body=SubmitBody(attestation=attestation)
    )
    ok(r, 200, "submit")
    r = seal_proposal.sync_detailed(
        id=p.id, client=district, if_match=r.headers["etag"], body=SealBody(statement="经审核，同意报送。")
    )
    ok(r, 200, "seal")
    r = decide_eligibility.sync_detailed(
        id=p.id, client=commission, if_match=r.headers["etag"], body=EligibilityBody(eligible=True)
    )
    ok(r, 200, "eligible")
    scores = ok(get_round_scores.sync_detailed(year=rnd.year, client=commission), 200, "scores")
    run = ok(
        create_selection.sync_detailed(year=rnd.year, client=commission, body=SelectionRequest()),
        201,
        "selection",
    )
    ok(
        publish_list.sync_detailed(
            year=rnd.year,
            client=commission,
            body=PublishRequest(selection_id=run.id, note="渝经信智能〔2024〕1号"),
        ),
        201,
        "publish",
    )
    public = ok(get_list.sync_detailed(year=rnd.year, client=Client(base_url=base)), 200, "anonymous list")
    items = public.to_dict().get("items", [])
    if len(items) != 1:
        sys.exit(f"the published list should hold the one proposal: {public.to_dict()}")
    print(f"flow passed: {len(scores.to_dict().get('proposals', scores.to_dict()))} scored, list of {len(items)}")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2])
