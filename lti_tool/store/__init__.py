"""Storage adapter: SQLAlchemy 2 models, repositories, unit of work and migrations."""

from .database import Database, engine_url
from .learner_context import LearnerContext, load_learner_context
from .migrate import current, downgrade, heads, upgrade

__all__ = [
    "Database",
    "LearnerContext",
    "current",
    "downgrade",
    "engine_url",
    "heads",
    "load_learner_context",
    "upgrade",
]
