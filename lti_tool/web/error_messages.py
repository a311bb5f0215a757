"""The use cases' refusals in the page's language.

Use cases and the domain raise their errors in English (the REST API and the CLI show them
so); a page that shows one passes it through `translated`. Each message a page can show is
listed here once as its English template, marked for the catalogues: the template's
`%(name)s` parts match the values the use case put in (names, codes, levels), which are
kept as they are. A message not listed stays as the use case wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from .translations import N_, gettext

# English templates of the messages pages show, as the use cases word them
TEMPLATES = (
    # the mapping page: a rule the form describes (usecases.mapping_preview)
    N_("Choose one of this course's items."),
    N_("Choose a competency from your organisation's frameworks."),
    N_("Choose a level."),
    N_("Choose a level of the %(scale)s scale, which %(framework)s uses."),
    N_("Add at least one condition."),
    N_("Combine the conditions with AND or OR."),
    N_("Condition %(n)s: choose one of this course's items."),
    N_("Condition %(n)s: choose completed, score or accepted."),
    N_("Condition %(n)s: a score is a percentage from 0 to 100."),
    # the mapping page: a gradebook column (usecases.gradebook_columns)
    N_("choose the kind of activity and give the column a name"),
    N_("the LMS has not offered this course's gradebook to CareerPath (no AGS in its "
       "launches): ask an LMS admin to enable grade sync for the tool"),
    N_("the LMS lets CareerPath read grades here but not create columns (Moodle: set the "
       "tool's grade sync to 'column management')"),
    # admin forms: frameworks, competencies, anchors, roles (usecases.catalogue, tenant_admin)
    N_("a framework named %(name)s already exists"),
    N_("competency code %(code)s is already used in this framework"),
    N_("competency %(code)s has two anchors at one level"),
    N_("one anchor per level"),
    N_("unknown scale %(key)s"),
    N_("a role named %(name)s already exists"),
    N_("badge level must be a level of the scale %(scale)s"),
    N_("not a level of the framework's scale"),
    N_("a competency needs a code and a name"),
    N_("level %(level)s is not on the scale %(scale)s"),
    N_("an anchor needs a text"),
    N_("required"),
    # admin forms: platforms, connectors, hosts, keys, invitations, mobility
    N_("issuer and client id are required"),
    N_("issuer %(issuer)s with client id %(client_id)s is already registered"),
    N_("platform registration %(id)s is already active"),
    N_("%(field)s must be an absolute http(s) URL, got %(url)s"),
    N_("not an absolute URL"),
    N_("%(field)s must use https (plain http only for loopback hosts)"),
    N_("https required"),
    N_("platform must be canvas or moodle"),
    N_("canvas or moodle"),
    N_("%(platform)s needs %(wanted)s"),
    N_("%(host)s is not a host name"),
    N_("not a host name"),
    N_("scopes must be some of %(known)s; got %(given)s"),
    N_("unknown scope %(scope)s"),
    N_("empty"),
    N_("expiry must be a number with m, h or d (e.g. 7d), got %(given)s"),
    N_("e.g. 30m, 12h or 7d"),
    N_("expiry must be more than 0 and at most 90 days"),
    N_("at most 90 days"),
    N_("a deployment id has at most 255 characters and no spaces"),
    N_("the period is longer than ten years"),
    N_("at most ten years after from"),
    # the token sign-in (usecases.admin_session)
    N_("That admin token is not right."),
    N_("wrong token"),
    N_("Too many failed sign-ins; wait a minute and try again."),
)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each template as a pattern matching the messages it words."""
    found = []
    for template in TEMPLATES:
        parts = _PLACEHOLDER.split(template)  # text, name, text, name, ..., text
        pattern = "".join(re.escape(part) if n % 2 == 0 else f"(?P<{part}>.+?)"
                          for n, part in enumerate(parts))
        found.append((re.compile(pattern, re.S), template))
    return tuple(found)


def translated(message: str) -> str:
    """A use case's English message in the request's language (as given if not listed)."""
    for pattern, template in _patterns():
        match = pattern.fullmatch(message)
        if match is not None:
            return gettext(template, **match.groupdict())
    return message


def translated_fields(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Per-field messages in the request's language."""
    return {name: [translated(m) for m in messages] for name, messages in errors.items()}
