"""OpenBadgeCredential shape: contexts, types, issuer, subject, alignment, status."""

from __future__ import annotations

from datetime import timedelta

from badge_samples import T0, URLS, credential

from lti_tool.badges import AlignmentTarget, case_item_url


def test_contexts_and_types_are_vc2_and_ob303() -> None:
    found = credential()
    assert found["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert found["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert found["id"] == "https://tool.example/badges/b-1"
    assert found["validFrom"] == "2026-03-02T09:30:15Z"
    assert "validUntil" not in found


def test_issuer_is_a_profile_of_the_tenant() -> None:
    assert credential()["issuer"] == {"id": "https://tool.example/badges/issuers/acme",
                                      "type": ["Profile"], "name": "Acme Corp",
                                      "url": "https://acme.example"}


def test_subject_holds_achievement_and_result() -> None:
    subject = credential()["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"].startswith("urn:uuid:")
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"] == {"narrative": "Reach Proficient."}
    (description,) = achievement["resultDescription"]
    assert description["type"] == ["ResultDescription"]
    assert description["resultType"] == "RubricCriterionLevel"
    assert description["allowedValue"] == ["Developing", "Proficient", "Advanced"]
    assert subject["result"] == [{"type": ["Result"], "resultDescription": description["id"],
                                  "value": "Proficient"}]


def test_alignment_without_case_points_at_the_tool() -> None:
    (alignment,) = credential()["credentialSubject"]["achievement"]["alignment"]
    assert alignment == {"type": ["Alignment"], "targetName": "Analytics",
                         "targetUrl": "https://tool.example/badges/issuers/acme/competencies/7",
                         "targetCode": "AN-1", "targetFramework": "Product skills",
                         "targetType": "ceasn:Competency"}


def test_alignment_with_case_points_at_the_cf_item() -> None:
    url = case_item_url("https://case.example/ims/case/v1p0/CFItems/", "6b1f-item")
    target = AlignmentTarget("Analytics", url, "AN-1", "Product skills", "CFItem")
    (alignment,) = credential(target)["credentialSubject"]["achievement"]["alignment"]
    assert alignment["targetUrl"] == "https://case.example/ims/case/v1p0/CFItems/6b1f-item"
    assert alignment["targetType"] == "CFItem"
    assert case_item_url("https://case.example/CFItems", "x") == "https://case.example/CFItems/x"


def test_evidence_and_credential_status() -> None:
    found = credential()
    assert found["evidence"][0]["type"] == ["Evidence"]
    assert found["credentialStatus"] == {
        "id": URLS.status_list("acme") + "#42", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "42",
        "statusListCredential": "https://tool.example/badges/status/acme"}


def test_valid_until_is_written_when_given() -> None:
    assert credential(valid_until=T0 + timedelta(days=365))["validUntil"] == "2027-03-02T09:30:15Z"
