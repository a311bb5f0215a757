"""Open Badges 3.0: issue the badges a learner has earned, revoke them, publish the lists.

The work is split by concept; this module keeps the names importable from one place:
- badge_achievements: which achievements a learner has reached (DueBadge)
- badge_issuing: signing and storing them (issue_due_badges, issue_badges_for)
- badge_revocation: revoke_badge
- issued_badges: reading issued badges (badge, badges_of, person_badges, tenant_badges)
- badge_verification: issuer Profile, status list, verify_issued_badge
"""

from __future__ import annotations

from ..records import IssuedBadge
from .badge_achievements import EPSILON, DueBadge
from .badge_issuing import (
    ISSUE_ATTEMPTS,
    IssuingOutcome,
    badge_candidates,
    issue_badges_for,
    issue_due_badges,
)
from .badge_revocation import revoke_badge
from .badge_verification import (
    issuer_json,
    issuer_profile,
    local_fetch,
    status_list_jwt,
    verify_issued_badge,
)
from .issued_badges import badge, badge_result, badges_of, person_badges, tenant_badges

__all__ = [
    "EPSILON", "ISSUE_ATTEMPTS", "DueBadge", "IssuedBadge", "IssuingOutcome", "badge",
    "badge_candidates", "badge_result", "badges_of", "issue_badges_for", "issue_due_badges",
    "issuer_json", "issuer_profile", "local_fetch", "person_badges", "revoke_badge",
    "status_list_jwt", "tenant_badges", "verify_issued_badge",
]
