"""Reading admin form fields: text, whole numbers and decimals, with per-field messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import redirect, request
from flask.typing import ResponseReturnValue

from ..domain.errors import Conflict, InvalidInput
from ..web.error_messages import translated, translated_fields
from ..web.translations import gettext

FIELD_LIMIT = 255


@dataclass(frozen=True)
class FormErrors:
    """What was wrong with one form (`form` names it, as pages may hold several)."""

    form: str = ""
    message: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)

    def on(self, form: str, name: str = "") -> list[str]:
        """The messages for `name` of `form` (the form's own message when no name)."""
        if form != self.form:
            return []
        return self.fields.get(name, []) if name else ([self.message] if self.message else [])


NO_ERRORS = FormErrors()


def _words(name: str) -> str:
    """A form field's name as the error summary says it (`client_id`: `client id`)."""
    return name.replace("_", " ")


def text(name: str, required: bool = True, limit: int = FIELD_LIMIT) -> str:
    """A trimmed text field, refused when missing (if required) or too long."""
    value = request.form.get(name, "").strip()
    if required and not value:
        raise InvalidInput(gettext("%(field)s is required", field=_words(name)),
                           {name: [gettext("required")]})
    if len(value) > limit:
        raise InvalidInput(gettext("%(field)s is too long", field=_words(name)),
                           {name: [gettext("at most %(limit)s characters", limit=limit)]})
    return value


def whole(name: str, required: bool = True) -> int | None:
    """A whole-number field (None when empty and optional)."""
    raw = text(name, required, 12)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(gettext("%(field)s must be a whole number", field=_words(name)),
                           {name: [gettext("a whole number")]}) from None


def number(name: str) -> float:
    """A required decimal field."""
    value = decimal(name)
    assert value is not None  # a required field is never empty here
    return value


def decimal(name: str, required: bool = True) -> float | None:
    """A decimal field (None when empty and optional); a comma is read as a decimal point."""
    raw = text(name, required, 24).replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput(gettext("%(field)s must be a number", field=_words(name)),
                           {name: [gettext("a number")]})
    return value


def submit(form: str, action: Callable[[], str],
           again: Callable[[FormErrors, int], ResponseReturnValue]) -> ResponseReturnValue:
    """Run a form's action and redirect (303) to the URL it returns, or show the page again.

    NotFound is left to the blueprint's 404 page: a form naming another tenant's object
    gets the same answer as one naming no object at all.
    """
    try:
        target = action()
    except InvalidInput as exc:
        return again(FormErrors(form, translated(exc.message), translated_fields(exc.errors)),
                     422)
    except Conflict as exc:
        return again(FormErrors(form, translated(str(exc))), 409)
    return redirect(target, 303)
