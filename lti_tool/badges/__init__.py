"""Open Badges 3.0: credential documents, VC-JWT proofs, status lists and verification.

`verification` is the independent verifier: it imports nothing from the issuing modules.
"""

from .credential import (
    AchievementSpec,
    AlignmentTarget,
    BadgeSpec,
    EvidenceItem,
    IssuerProfile,
    ResultDescription,
    case_item_url,
    open_badge_credential,
)
from .status_list import MINIMUM_ENTRIES, encode_status_list, status_entry, status_list_credential
from .urls import BadgeUrls
from .vc_jwt import sign_credential
from .verification import VerificationResult, verify_badge

__all__ = [
    "MINIMUM_ENTRIES",
    "AchievementSpec",
    "AlignmentTarget",
    "BadgeSpec",
    "BadgeUrls",
    "EvidenceItem",
    "IssuerProfile",
    "ResultDescription",
    "VerificationResult",
    "case_item_url",
    "encode_status_list",
    "open_badge_credential",
    "sign_credential",
    "status_entry",
    "status_list_credential",
    "verify_badge",
]
