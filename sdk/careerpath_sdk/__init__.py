"""careerpath_sdk: a typed Python client for the CareerPath LTI REST API."""

from .client import Client
from .errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDenied,
    RateLimitError,
    ServerError,
    ValidationError,
)
from .imports import ImportProblem, ImportRejected
from .pagination import PaginatedList

__all__ = [
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "Client",
    "ConflictError",
    "ImportProblem",
    "ImportRejected",
    "NotFoundError",
    "PaginatedList",
    "PermissionDenied",
    "RateLimitError",
    "ServerError",
    "ValidationError",
]
__version__ = "0.1.0"
