"""The one error hierarchy of careerpath-lti; domain errors never carry HTTP."""

from __future__ import annotations


class CareerPathError(Exception):
    """Root of every error the product raises on purpose."""

    code = "careerpath_error"


class DomainError(CareerPathError):
    """A rule of the domain was broken by the data given."""

    code = "domain_error"


class InvalidInput(DomainError):
    """Input that cannot be accepted; `errors` maps a field to its messages."""

    code = "invalid_input"

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(CareerPathError):
    """The named object does not exist (or is not visible to the caller)."""

    code = "not_found"


class Conflict(CareerPathError):
    """The request conflicts with the current state."""

    code = "conflict"


class PersonErased(Conflict):
    """The person with this `sub` was erased; they come back only if they ask to."""

    code = "person_erased"


class NotAllowed(CareerPathError):
    """The caller may not do this."""

    code = "forbidden"


class ConfigurationError(CareerPathError):
    """A setting is missing or malformed."""

    code = "configuration_error"
