"""Every table of the product, by concept; `Base.metadata` is what migrations describe."""

from .api import ApiKeyRow  # noqa: F401
from .badges import BadgeKeyRow, BadgeRow, BadgeSubjectRow  # noqa: F401
from .base import NAMING_CONVENTION, Base
from .cache import CacheEntryRow  # noqa: F401
from .connectors import ConnectorGrantRow, ConnectorPersonRow, LmsConnectorRow  # noqa: F401
from .erasure import ErasedSubjectRow  # noqa: F401
from .events import (  # noqa: F401
    EventRow,
    ReadyStateRow,
    WebhookAttemptRow,
    WebhookDeliveryRow,
    WebhookSubscriptionRow,
)
from .hris import RoleChangeRow, RoleOpeningRow  # noqa: F401
from .learners import (
    CourseRow,
    EvidenceRow,
    EvidenceRuleRow,
    GoalRow,
    LmsItemRow,
    MembershipRow,
    PersonRow,
)
from .lti import (
    DeploymentRow,
    PlatformRegistrationRow,
    RegistrationInvitationRow,
    ToolKeyRow,
)
from .outbound import PlatformServiceHostRow  # noqa: F401
from .passback import PassbackMarkRow
from .people_evidence import (  # noqa: F401
    MentorLinkRow,
    ObservationRow,
    ProjectSubmissionRow,
    ReportingLineRow,
    SelfRatingRow,
    TenantSettingsRow,
)
from .roles import RoleRequirementRow, RoleRow, RoleTransitionRow
from .sync import CourseServicesRow, SyncRunRow
from .taxonomy import (
    BehaviouralAnchorRow,
    CompetencyRow,
    FrameworkAssociationRow,
    FrameworkRow,
    ScaleLevelRow,
    ScaleRow,
)
from .tenants import TenantRow

__all__ = [
    "NAMING_CONVENTION",
    "BehaviouralAnchorRow",
    "Base",
    "CompetencyRow",
    "CourseRow",
    "CourseServicesRow",
    "DeploymentRow",
    "EvidenceRow",
    "EvidenceRuleRow",
    "FrameworkAssociationRow",
    "FrameworkRow",
    "GoalRow",
    "LmsItemRow",
    "MembershipRow",
    "PassbackMarkRow",
    "PersonRow",
    "PlatformRegistrationRow",
    "RegistrationInvitationRow",
    "RoleRequirementRow",
    "RoleRow",
    "RoleTransitionRow",
    "ScaleLevelRow",
    "ScaleRow",
    "SyncRunRow",
    "TenantRow",
    "ToolKeyRow",
]
