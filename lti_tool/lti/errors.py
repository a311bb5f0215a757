"""Launch errors: what failed and what an admin should check, shown inside the LMS frame."""

from __future__ import annotations

from ..domain.errors import CareerPathError


class LaunchError(CareerPathError):
    """A launch or login that must be refused; rendered as a 4xx page, never a traceback."""

    code = "launch_refused"

    def __init__(self, what: str, admin_hint: str, *, status: int = 400) -> None:
        super().__init__(what)
        self.what = what
        self.admin_hint = admin_hint
        self.status = status


class RegistrationError(CareerPathError):
    """Dynamic Registration could not be completed; nothing was stored."""

    code = "registration_failed"
