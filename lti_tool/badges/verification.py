"""Independent verification of an Open Badges 3.0 VC-JWT, from public material only.

Shares no code with the issuing side: PyJWT, the issuer's published JWKS and its
Bitstring Status List, each fetched through the injected `fetch` (URL → response body).
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import jwt

Fetch = Callable[[str], bytes | str]
STRONG_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                               "ES256", "ES384", "ES512"})
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = re.compile(r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-\d+\.\d+\.\d+)?\.json$")
CLOCK_SKEW_SECONDS = 60


class Invalid(Exception):
    """The credential cannot be trusted; the message says why."""


@dataclass(frozen=True)
class VerificationResult:
    """`status` is valid, revoked, expired or invalid; `reasons` explain anything but valid."""

    status: str
    reasons: tuple[str, ...] = ()
    credential: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.status == "valid"


def verify_badge(jwt_text: str, fetch: Fetch, now: datetime | None = None) -> VerificationResult:
    """Verify signature, OB 3.0 structure, validity window and revocation status."""
    moment = (now or datetime.now(UTC)).timestamp()
    try:
        payload, jwks = _verified_payload(jwt_text.strip(), fetch)
        credential = _credential_of(payload)
        _check_structure(credential, payload)
        if payload["nbf"] > moment + CLOCK_SKEW_SECONDS:
            raise Invalid("the credential is not valid yet (nbf is in the future)")
        revoked = _revocations(credential, fetch, jwks, moment)
    except Invalid as problem:
        return VerificationResult("invalid", (str(problem),))
    except (LookupError, TypeError, ValueError, AttributeError, OSError) as problem:
        return VerificationResult("invalid", (f"malformed or unreachable: {problem!r}",))
    if revoked:
        return VerificationResult("revoked", tuple(revoked), credential)
    expiry = payload.get("exp")
    if expiry is not None and expiry < moment - CLOCK_SKEW_SECONDS:
        return VerificationResult("expired", ("the credential expired (exp / validUntil)",),
                                  credential)
    return VerificationResult("valid", (), credential)


def _verified_payload(token: str, fetch: Fetch) -> tuple[dict[str, Any], dict[str, Any]]:
    """The payload once its signature checks against the issuer's JWKS; and that JWKS."""
    try:
        header = jwt.get_unverified_header(token)
        claimed = jwt.decode(token, options={"verify_signature": False})
    except (jwt.PyJWTError, ValueError) as problem:
        raise Invalid(f"not a compact JWT: {problem}") from None
    if header.get("alg") not in STRONG_ALGORITHMS:
        raise Invalid(f"algorithm {header.get('alg')!r} is not allowed (RS256 or stronger)")
    if not isinstance(claimed.get("iss"), str):
        raise Invalid("the iss claim is missing")
    jwks = _json(fetch(_jwks_url(header, claimed["iss"])), "the issuer's JWKS")
    key = _key_for(jwks, header.get("kid"))
    try:
        payload = jwt.decode(token, key, algorithms=[header["alg"]],
                             options={"verify_exp": False, "verify_nbf": False,
                                      "verify_aud": False, "require": ["iss", "nbf", "jti"]})
    except jwt.PyJWTError as problem:
        raise Invalid(f"signature invalid: {problem}") from None
    return payload, jwks


def _jwks_url(header: dict[str, Any], issuer_id: str) -> str:
    """The JWKS named by `jku`, which must live on the issuer's own origin."""
    origin = urlsplit(issuer_id)
    if origin.scheme not in ("https", "http") or not origin.netloc:
        raise Invalid("the issuer id is not an HTTP(S) URL")
    jku = header.get("jku") or f"{origin.scheme}://{origin.netloc}/.well-known/jwks.json"
    where = urlsplit(jku)
    if (where.scheme, where.netloc) != (origin.scheme, origin.netloc):
        raise Invalid("the key set (jku) is not on the issuer's origin")
    return jku


def _key_for(jwks: dict[str, Any], kid: Any) -> Any:
    if not isinstance(kid, str) or not kid:
        raise Invalid("the JOSE header has no kid")
    for candidate in jwks.get("keys", []) if isinstance(jwks, dict) else []:
        if isinstance(candidate, dict) and candidate.get("kid") == kid:
            try:
                return jwt.PyJWK(candidate, candidate.get("alg") or "RS256").key
            except jwt.PyJWTError as problem:
                raise Invalid(f"the issuer's key {kid} is unusable: {problem}") from None
    raise Invalid(f"the issuer publishes no key {kid}")


def _credential_of(payload: dict[str, Any]) -> dict[str, Any]:
    """The credential: the payload itself (native VC-JWT) or its `vc` claim."""
    if "@context" in payload:
        return {k: v for k, v in payload.items()
                if k not in ("iss", "sub", "jti", "nbf", "exp", "iat", "vc")}
    if isinstance(payload.get("vc"), dict):
        return payload["vc"]
    raise Invalid("the payload holds no credential")


def _check_structure(credential: dict[str, Any], payload: dict[str, Any]) -> None:
    """The OB 3.0 fields a verifier needs, and the registered claims bound to them."""
    context = credential.get("@context")
    if not (isinstance(context, list) and len(context) >= 2 and context[0] == VC_CONTEXT
            and isinstance(context[1], str) and OB_CONTEXT.match(context[1])):
        raise Invalid("@context must start with the VC 2.0 and OB 3.0 contexts")
    types = credential.get("type") or []
    if "VerifiableCredential" not in types or not (
            {"OpenBadgeCredential", "AchievementCredential"} & set(types)):
        raise Invalid("type must include VerifiableCredential and OpenBadgeCredential")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict) or not isinstance(subject.get("achievement"), dict):
        raise Invalid("credentialSubject.achievement is missing")
    achievement = subject["achievement"]
    for name in ("id", "name", "criteria"):
        if not achievement.get(name):
            raise Invalid(f"achievement.{name} is missing")
    if "Achievement" not in (achievement.get("type") or []):
        raise Invalid("achievement.type must include Achievement")
    if not credential.get("validFrom") or not credential.get("id"):
        raise Invalid("id and validFrom are required")
    _check_claims(payload, credential, issuer_id, subject.get("id"))


def _check_claims(payload: dict[str, Any], credential: dict[str, Any], issuer_id: Any,
                  subject_id: Any) -> None:
    if payload["iss"] != issuer_id:
        raise Invalid("iss does not match the credential's issuer")
    if payload["jti"] != credential["id"]:
        raise Invalid("jti does not match the credential id")
    if subject_id is not None and payload.get("sub") != subject_id:
        raise Invalid("sub does not match the credential subject")
    if abs(payload["nbf"] - _seconds(credential["validFrom"])) > 1:
        raise Invalid("nbf does not match validFrom")
    until = credential.get("validUntil")
    if until and abs(payload.get("exp", 0) - _seconds(until)) > 1:
        raise Invalid("exp does not match validUntil")


def _revocations(credential: dict[str, Any], fetch: Fetch, jwks: dict[str, Any],
                 moment: float) -> list[str]:
    """Why the credential is revoked, per its revocation status entries (none: not revoked)."""
    entries = credential.get("credentialStatus") or []
    found = []
    for entry in entries if isinstance(entries, list) else [entries]:
        if entry.get("statusPurpose") != "revocation":
            continue
        if entry.get("type") != "BitstringStatusListEntry":
            raise Invalid(f"unsupported credentialStatus type {entry.get('type')!r}")
        url, index = entry.get("statusListCredential"), int(entry.get("statusListIndex", -1))
        subject = _status_list_subject(fetch(url), jwks, credential["issuer"]["id"], moment)
        if subject.get("statusPurpose") != "revocation":
            raise Invalid(f"the status list {url} is not a revocation list")
        if _bit(subject.get("encodedList", ""), index):
            found.append(f"revoked: bit {index} is set in {url}")
    return found


def _status_list_subject(body: bytes | str, jwks: dict[str, Any], issuer_id: str,
                         moment: float) -> dict[str, Any]:
    """The list's credentialSubject; a JWT list must be signed by a key of the same issuer
    and be valid at `moment` (the time the badge is verified for)."""
    text = body.decode() if isinstance(body, bytes) else body
    if text.lstrip().startswith("{"):
        document = _json(text, "the status list")
    else:
        header = jwt.get_unverified_header(text.strip())
        try:
            payload = jwt.decode(text.strip(), _key_for(jwks, header.get("kid")),
                                 algorithms=list(STRONG_ALGORITHMS),
                                 options={"verify_aud": False, "verify_nbf": False,
                                          "verify_exp": False})
        except jwt.PyJWTError as problem:
            raise Invalid(f"the status list signature is invalid: {problem}") from None
        if payload.get("nbf", moment) > moment + CLOCK_SKEW_SECONDS or \
                payload.get("exp", moment) < moment - CLOCK_SKEW_SECONDS:
            raise Invalid("the status list is not valid at this time (nbf / exp)")
        document = payload if "@context" in payload else payload.get("vc", {})
    issuer = document.get("issuer")
    if (issuer.get("id") if isinstance(issuer, dict) else issuer) != issuer_id:
        raise Invalid("the status list has another issuer")
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict):
        raise Invalid("the status list has no credentialSubject")
    return subject


def _bit(encoded: str, index: int) -> bool:
    """Entry `index` of a multibase base64url, GZIP-compressed bitstring (MSB first)."""
    if not encoded.startswith("u") or index < 0:
        raise Invalid("the status list or the entry's index is malformed")
    data = encoded[1:]
    try:
        bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    except (ValueError, OSError, EOFError) as problem:
        raise Invalid(f"the status list cannot be decoded: {problem}") from None
    if index // 8 >= len(bits):
        raise Invalid(f"status index {index} is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _json(body: bytes | str, what: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise Invalid(f"{what} is not JSON") from None


def _seconds(xsd_datetime: str) -> float:
    try:
        return datetime.fromisoformat(xsd_datetime.replace("Z", "+00:00")).timestamp()
    except (ValueError, AttributeError):
        raise Invalid(f"{xsd_datetime!r} is not a dateTime") from None
