"""Who calls the API: a tenant's API key, or a widget token for one person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app, g, request

from ..bootstrap import services
from ..domain.errors import NotAllowed, NotFound
from ..usecases.api_keys import InvalidApiKey, authenticate
from ..usecases.widget_tokens import is_widget_token, verify_widget_token

READ, WRITE, ADMIN = "read", "write", "admin"
ViewFunction = TypeVar("ViewFunction", bound=Callable[..., Any])


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of this request."""

    tenant_id: int
    scopes: frozenset[str]
    key_id: int | None = None
    person_id: int | None = None

    @property
    def is_widget(self) -> bool:
        return self.person_id is not None

    @property
    def limit_key(self) -> str:
        return f"key:{self.key_id}" if self.key_id is not None else (
            f"widget:{self.tenant_id}:{self.person_id}")


def requires(scope: str, *, widget: bool = False) -> Callable[[ViewFunction], ViewFunction]:
    """Mark a view with the scope it needs (and whether a widget token may call it)."""

    def mark(view: ViewFunction) -> ViewFunction:
        view.api_scope = scope  # type: ignore[attr-defined]
        view.api_widget = widget  # type: ignore[attr-defined]
        return view

    return mark


def caller() -> Caller:
    """The caller of the current request (set before the view runs)."""
    return g.api_caller


def identify() -> Caller:
    """Authenticate the bearer credential; InvalidApiKey (401) when absent or bad."""
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise InvalidApiKey("send an API key as `Authorization: Bearer cp_...`")
    token = token.strip()
    svc = services(current_app)
    if is_widget_token(token):
        found = verify_widget_token(svc.settings.secret_key, token)
        return Caller(found.tenant_id, frozenset(), person_id=found.person_id)
    principal = authenticate(svc.database, token)
    return Caller(principal.tenant_id, principal.scopes, key_id=principal.key_id)


def authorize(found: Caller) -> None:
    """Check the view's scope; a widget token only reads its own person's widgets."""
    view = current_app.view_functions.get(request.endpoint or "")
    scope = getattr(view, "api_scope", ADMIN)
    if found.is_widget:
        if not getattr(view, "api_widget", False):
            raise NotAllowed("a widget token may only read its person's readiness, "
                             "next roles and goals")
        person = (request.view_args or {}).get("person_id")
        if person != found.person_id:
            raise NotFound(f"person {person} does not exist")
        return
    if scope not in found.scopes:
        raise NotAllowed(f"this API key lacks the {scope!r} scope")
