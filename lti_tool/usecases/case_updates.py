"""A newer version of an imported CASE document updates its framework in place.

Items are matched by CFItem identifier: new ones are added, those whose code, statement or
parent differ are changed, and those the new version no longer holds are retired (kept, as
evidence, rules and roles may name them, but marked retired and left out of exports).
Competencies added by hand (no identifier) are left as they are. Associations other than
isChildOf are replaced by the new version's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from ..interop.model import AssociationDraft, FrameworkDraft
from ..interop.problems import ImportProblem, reject_if_any
from ..records import Tenant
from ..store.repositories.interchange import (
    InterchangeRepository,
    StoredAssociation,
    StoredDocument,
    StoredItem,
)
from ..store.repositories.taxonomy import TaxonomyRepository

IDENTIFIER_LIMIT, TYPE_LIMIT, URI_LIMIT = 255, 64, 1024


@dataclass(frozen=True)
class CaseChanges:
    """What an update did, by competency code."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()


def stored_associations(draft: FrameworkDraft) -> list[StoredAssociation]:
    """The draft's associations as stored; one without an identifier gets a stable one."""
    return [StoredAssociation(
        a.identifier or _stable_identifier(a), a.association_type, a.origin, a.destination,
        a.origin_uri, a.destination_uri) for a in draft.associations]


def _stable_identifier(a: AssociationDraft) -> str:
    ends = f"{a.origin_uri or a.origin}#{a.association_type}#{a.destination_uri or a.destination}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, ends))


def association_problems(associations: Iterable[AssociationDraft],
                         document_identifier: str = "") -> list[ImportProblem]:
    """Associations (and the CFDocument identifier) must fit the store."""
    problems = []
    if len(document_identifier) > IDENTIFIER_LIMIT:
        problems.append(ImportProblem(0, "CFDocument.identifier",
                                      f"longer than {IDENTIFIER_LIMIT} characters"))
    for a in associations:
        for column, value, limit in (
                ("identifier", a.identifier, IDENTIFIER_LIMIT),
                ("associationType", a.association_type, TYPE_LIMIT),
                ("originNodeURI", a.origin, IDENTIFIER_LIMIT),
                ("destinationNodeURI", a.destination, IDENTIFIER_LIMIT),
                ("originNodeURI", a.origin_uri, URI_LIMIT),
                ("destinationNodeURI", a.destination_uri, URI_LIMIT)):
            if len(value) > limit:
                problems.append(ImportProblem(a.row, f"CFAssociations.{column}",
                                              f"longer than {limit} characters"))
    return problems


def record_document(interchange: InterchangeRepository, framework_id: str,
                    draft: FrameworkDraft) -> None:
    """Keep the CFDocument identity (when it has an identifier) and the associations of a
    framework just imported."""
    if draft.identifier:
        interchange.set_document(framework_id, draft.identifier, draft.last_changed)
    interchange.replace_associations(framework_id, stored_associations(draft))


def is_newer(draft: FrameworkDraft, stored: StoredDocument) -> bool:
    """Whether the draft is a later version than the one stored."""
    return draft.last_changed is not None and (
        stored.changed_at is None or draft.last_changed > stored.changed_at)


def update_framework(taxonomy: TaxonomyRepository, interchange: InterchangeRepository,
                     tenant: Tenant, stored: StoredDocument, draft: FrameworkDraft,
                     now: datetime, tick: Callable[[], None]) -> CaseChanges:
    """Bring the stored framework to the draft's version; all checks before any write."""
    items = interchange.items(stored.framework_id)
    by_identifier = {i.source_identifier: i for i in items if i.source_identifier}
    reject_if_any(_update_problems(taxonomy, tenant, stored, draft, items))
    _park_changed_codes(interchange, draft, by_identifier)
    ids: dict[str, str] = {}
    added: list[str] = []
    changed: list[str] = []
    for c in draft.competencies:
        parent = None if c.parent_key is None else ids[c.parent_key]
        known = by_identifier.get(c.key)
        if known is None:
            ids[c.key] = taxonomy.add_competency(stored.framework_id, c.code, c.name,
                                                 c.description, parent_id=parent,
                                                 source_identifier=c.key).id
            added.append(c.code)
        else:
            ids[c.key] = known.id
            if (known.code, known.name, known.description, known.parent_id, known.retired) \
                    != (c.code, c.name, c.description, parent, False):
                interchange.update_item(known.id, code=c.code, name=c.name,
                                        description=c.description, parent_id=parent,
                                        retired_at=None)
                (added if known.retired else changed).append(c.code)
        tick()
    retired = [i for i in by_identifier.values() if i.source_identifier not in ids
               and not i.retired]
    for item in retired:
        interchange.update_item(item.id, code=item.code, name=item.name,
                                description=item.description, parent_id=item.parent_id,
                                retired_at=now)
    interchange.set_document(stored.framework_id, draft.identifier, draft.last_changed,
                             name=draft.name, description=draft.description,
                             source_uri=draft.source_uri)
    interchange.replace_associations(stored.framework_id, stored_associations(draft))
    return CaseChanges(tuple(added), tuple(changed), tuple(i.code for i in retired))


def _update_problems(taxonomy: TaxonomyRepository, tenant: Tenant, stored: StoredDocument,
                     draft: FrameworkDraft, items: list[StoredItem]) -> list[ImportProblem]:
    """A new title must be free in the tenant; a code must not be held by an item the update
    does not touch (added by hand, or retired and not coming back)."""
    problems = association_problems(draft.associations, draft.identifier)
    other = taxonomy.framework_id(tenant.id, draft.name)
    if other is not None and other != stored.framework_id:
        problems.append(ImportProblem(0, draft.name_column, f"a framework named "
                                      f"{draft.name!r} already exists in tenant {tenant.slug}"))
    keys = {c.key for c in draft.competencies}
    held = {i.code for i in items if not i.source_identifier or i.source_identifier not in keys}
    problems += [ImportProblem(c.row, "CFItems.humanCodingScheme", f"code {c.code!r} is held "
                               "by a competency this document does not hold")
                 for c in draft.competencies if c.code in held]
    return problems


def _park_changed_codes(interchange: InterchangeRepository, draft: FrameworkDraft,
                        by_identifier: dict[str, StoredItem]) -> None:
    """Move the codes that change out of the way first, so two items may swap codes."""
    for c in draft.competencies:
        known = by_identifier.get(c.key)
        if known is not None and known.code != c.code:
            interchange.update_item(known.id, code=f"~moving~{known.id}", name=known.name,
                                    description=known.description, parent_id=known.parent_id,
                                    retired_at=None)
