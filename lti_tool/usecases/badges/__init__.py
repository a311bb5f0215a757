"""Open Badges 3.0: issue the badges a learner has earned, revoke them, publish the lists.

The work is split by concept; this module keeps the names importable from one place:
- achievements: which achievements a learner has reached (DueBadge)
- issuing: signing and storing them (issue_due_badges, issue_badges_for)
- revocation: revoke_badge
- issued: reading issued badges (badge, badges_of, person_badges, tenant_badges)
- verification: issuer Profile, status list, verify_issued_badge
- keys: the badge key set; progress: badges a learner is working towards
"""

from __future__ import annotations

from ...records import IssuedBadge
from .achievements import EPSILON, DueBadge
from .issued import badge, badge_result, badges_of, person_badges, tenant_badges
from .issuing import (
    ISSUE_ATTEMPTS,
    IssuingOutcome,
    badge_candidates,
    issue_badges_for,
    issue_due_badges,
)
from .revocation import revoke_badge
from .verification import (
    issuer_json,
    issuer_profile,
    local_fetch,
    status_list_jwt,
    verify_issued_badge,
)

__all__ = [
    "EPSILON", "ISSUE_ATTEMPTS", "DueBadge", "IssuedBadge", "IssuingOutcome", "badge",
    "badge_candidates", "badge_result", "badges_of", "issue_badges_for", "issue_due_badges",
    "issuer_json", "issuer_profile", "local_fetch", "person_badges", "revoke_badge",
    "status_list_jwt", "tenant_badges", "verify_issued_badge",
]
