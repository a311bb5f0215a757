"""Imports of frameworks (CASE, Moodle CSV) and roles (CSV): check everything, write once.

Every problem is found before anything is written, and the writes share one unit of work:
an import with any problem, or one that fails half-way, changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ..domain.errors import InvalidInput, NotFound
from ..domain.roles import Requirement, Transition, TransitionKind
from ..domain.scales import SHIPPED_SCALES
from ..interop.case import read_package
from ..interop.model import FrameworkDraft, LatticeDraft
from ..interop.moodle_csv import is_moodle_header, read_frameworks
from ..interop.problems import ImportProblem, ImportRejected, reject_if_any
from ..interop.roles_csv import (
    CompetencyChoice,
    is_roles_header,
    lattice_problems,
    read_roles,
    resolve_requirements,
)
from ..outbound import OutboundError
from ..records import Tenant
from ..store.database import Database
from ..store.repositories.interchange import InterchangeRepository, StoredDocument
from ..store.repositories.roles import RoleRepository
from ..store.repositories.taxonomy import TaxonomyRepository
from ..store.repositories.tenants import TenantRepository
from .case_updates import (
    association_problems,
    is_newer,
    record_document,
    stored_associations,
    update_framework,
)

Progress = Callable[[int, int], None]
"""Called after each item is written with (items written, items in the import)."""
CSV_KINDS = ("frameworks", "roles")
SOURCE_URI_LIMIT = 1024


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote, and what it read but could not store."""

    tenant: str
    frameworks: tuple[str, ...] = ()
    framework_ids: tuple[str, ...] = ()
    competencies: int = 0
    roles: int = 0
    transitions: int = 0
    not_stored: tuple[str, ...] = ()
    updated: bool = False
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()

    def line(self) -> str:
        """One line for people: counts, names and what was left out."""
        if self.updated:
            parts = [f"{len(codes)} {what}" + (f" ({', '.join(codes)})" if codes else "")
                     for what, codes in (("added", self.added), ("changed", self.changed),
                                         ("retired", self.retired))]
            text = (f"updated framework {', '.join(self.frameworks)} in tenant {self.tenant} "
                    f"to a newer version: {', '.join(parts)}")
            return text + (f"; not stored: {', '.join(self.not_stored)}"
                           if self.not_stored else "")
        if self.frameworks:
            what = (f"{_count(len(self.frameworks), 'framework')} "
                    f"({', '.join(self.frameworks)}) with "
                    f"{_count(self.competencies, 'competency', 'competencies')}")
        else:
            what = (f"{_count(self.roles, 'role')} and "
                    f"{_count(self.transitions, 'transition')}")
        text = f"imported {what} into tenant {self.tenant}"
        return text + (f"; not stored: {', '.join(self.not_stored)}" if self.not_stored else "")


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


def read_case_source(source: str, fetch_json: Callable[[str], Any]) -> tuple[Any, str | None]:
    """The JSON of a CASE package from an http(s) URL or a file, and the URL if any."""
    if source.startswith(("http://", "https://")):
        try:
            return fetch_json(source), source
        except OutboundError as exc:  # what the outbound client refused or cut short
            raise InvalidInput(f"could not fetch a CASE package from {source}: "
                               f"{exc.message}") from None
        except ValueError:
            raise InvalidInput(f"could not fetch a CASE package from {source}: the answer "
                               "is not JSON") from None
        except OSError as exc:  # requests' errors are OSErrors; their text is not shown
            raise InvalidInput(f"could not fetch a CASE package from {source}: "
                               f"{_fetch_failure(exc)}") from None
    try:
        return json.loads(Path(source).read_text(encoding="utf-8-sig")), None
    except OSError as exc:
        raise InvalidInput(f"cannot read {source}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ImportRejected([ImportProblem(0, "CFPackage", f"not JSON: {exc}")]) from None


def _fetch_failure(exc: OSError) -> str:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status is not None:
        return f"it answered HTTP {status}"
    return f"the host could not be reached ({type(exc).__name__})"


def import_case(database: Database, tenant_slug: str, package: Any,
                source_url: str | None = None, progress: Progress | None = None,
                now: datetime | None = None) -> ImportSummary:
    """Import one CASE CFPackage as a framework of the tenant; a newer version
    (lastChangeDateTime) of a document imported before updates its framework in place."""
    draft = read_package(package, source_url)
    stored = None
    with database.session() as session:
        tenant_id = _tenant(session, tenant_slug).id
        if draft.identifier:
            stored = InterchangeRepository(session).document(tenant_id, draft.identifier)
    if stored is None:
        summary = import_frameworks(database, tenant_slug, [draft], progress)
    else:
        summary = _update_case(database, tenant_slug, stored, draft, progress,
                               now or datetime.now(UTC))
    typed = sum(1 for c in draft.competencies if c.item_type)
    left_out = [f"the CFItemType of {_count(typed, 'item')}"] if typed else []
    return replace(summary, not_stored=tuple(left_out))


def _update_case(database: Database, tenant_slug: str, stored: StoredDocument,
                 draft: FrameworkDraft, progress: Progress | None, now: datetime
                 ) -> ImportSummary:
    """Update the framework of an imported document, or refuse a version not newer."""
    if not is_newer(draft, stored):
        when = stored.changed_at.isoformat() if stored.changed_at else "none"
        reject_if_any([ImportProblem(0, "CFDocument.lastChangeDateTime", (
            f"document {draft.identifier} is imported already as framework {stored.name!r} "
            f"(lastChangeDateTime {when}); only a newer version updates it"))])
    with database.session() as session:
        tenant = _tenant(session, tenant_slug)
        changes = update_framework(
            TaxonomyRepository(session), InterchangeRepository(session), tenant, stored,
            draft, now, _ticker(len(draft.competencies), progress))
    return ImportSummary(tenant=tenant.slug, frameworks=(draft.name,),
                         framework_ids=(stored.framework_id,),
                         competencies=len(draft.competencies), updated=True,
                         added=changes.added, changed=changes.changed,
                         retired=changes.retired)


def detect_csv_kind(text: str) -> str:
    """`frameworks` for Moodle's column set, `roles` for the roles format."""
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
    if is_roles_header(header):
        return "roles"
    if is_moodle_header(header):
        return "frameworks"
    raise ImportRejected([ImportProblem(1, "header", "neither Moodle's framework columns "
                                        "(ID number, Is framework, ...) nor the roles "
                                        "columns (role, competency_code, ...)")])


def import_csv(database: Database, tenant_slug: str, text: str, kind: str | None = None,
               progress: Progress | None = None) -> ImportSummary:
    """Import a CSV of frameworks (Moodle's columns) or roles; `kind` None: by header."""
    chosen = kind or detect_csv_kind(text)
    if chosen == "frameworks":
        return import_frameworks(database, tenant_slug, read_frameworks(text), progress)
    if chosen == "roles":
        return import_roles(database, tenant_slug, read_roles(text), progress)
    raise InvalidInput(f"unknown CSV kind {chosen!r}: one of {', '.join(CSV_KINDS)}")


def import_frameworks(database: Database, tenant_slug: str,
                      drafts: Sequence[FrameworkDraft], progress: Progress | None = None
                      ) -> ImportSummary:
    """Store framework drafts (already read and checked) after checking them against the
    tenant; all or nothing."""
    with database.session() as session:
        tenant = _tenant(session, tenant_slug)
        taxonomy = TaxonomyRepository(session)
        reject_if_any(_framework_problems(taxonomy, tenant, drafts) + [
            problem for d in drafts for problem in association_problems(
                d.associations, d.identifier if d.source_format == "case" else "")])
        tick = _ticker(sum(len(d.competencies) for d in drafts), progress)
        ids = [_write_framework(taxonomy, tenant, draft, tick) for draft in drafts]
        for framework_id, draft in zip(ids, drafts, strict=True):
            if draft.source_format == "case":
                record_document(InterchangeRepository(session), framework_id, draft)
            elif draft.associations:
                InterchangeRepository(session).replace_associations(
                    framework_id, stored_associations(draft))
    return ImportSummary(tenant=tenant.slug, frameworks=tuple(d.name for d in drafts),
                         framework_ids=tuple(ids),
                         competencies=sum(len(d.competencies) for d in drafts))


def _tenant(session: Session, slug: str) -> Tenant:
    tenant = TenantRepository(session).by_slug(slug)
    if tenant is None:
        raise NotFound(f"no tenant with slug {slug!r}")
    return tenant


def _ticker(total: int, progress: Progress | None) -> Callable[[], None]:
    """A function to call after each item is written; it reports to `progress`."""
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)
    return tick


def _framework_problems(taxonomy: TaxonomyRepository, tenant: Tenant,
                        drafts: Iterable[FrameworkDraft]) -> list[ImportProblem]:
    """Names must be new in the tenant and in the file; source URIs must fit."""
    problems, seen = [], set()
    for draft in drafts:
        if draft.name in seen or taxonomy.framework_id(tenant.id, draft.name) is not None:
            problems.append(ImportProblem(draft.row, draft.name_column, f"a framework named "
                                          f"{draft.name!r} already exists in tenant "
                                          f"{tenant.slug}"))
        if draft.source_uri and len(draft.source_uri) > SOURCE_URI_LIMIT:
            problems.append(ImportProblem(draft.row, "CFDocument.uri",
                                          f"longer than {SOURCE_URI_LIMIT} characters"))
        seen.add(draft.name)
    return problems


def _write_framework(taxonomy: TaxonomyRepository, tenant: Tenant, draft: FrameworkDraft,
                     tick: Callable[[], None]) -> str:
    """Store one framework, parents before children; its id."""
    owner = None if draft.scale in SHIPPED_SCALES else tenant.id
    scale_id = taxonomy.ensure_scale(draft.scale, owner)
    framework_id = taxonomy.add_framework(tenant.id, draft.name, scale_id,
                                          description=draft.description,
                                          source_uri=draft.source_uri)
    stored: dict[str, str] = {}
    for c in draft.competencies:
        parent = None if c.parent_key is None else stored[c.parent_key]
        stored[c.key] = taxonomy.add_competency(
            framework_id, c.code, c.name, c.description, parent_id=parent,
            source_identifier=c.source_identifier).id
        tick()
    return framework_id


def import_roles(database: Database, tenant_slug: str, lattice: LatticeDraft,
                 progress: Progress | None = None) -> ImportSummary:
    """Store roles and transitions after resolving competency codes; all or nothing."""
    with database.session() as session:
        tenant = _tenant(session, tenant_slug)
        roles = RoleRepository(session)
        existing = {role.name: role.id for role in roles.list(tenant.id)}
        chosen, problems = resolve_requirements(lattice, _catalogue(session, tenant))
        reject_if_any(problems + lattice_problems(lattice, set(existing)))
        tick = _ticker(len(lattice.roles) + len(lattice.transitions), progress)
        ids = dict(existing)
        for role in lattice.roles:
            ids[role.name] = roles.add(tenant.id, role.name, [
                Requirement(chosen[r.row], r.required_level, r.weight, r.minimum_level)
                for r in role.requirements], role.threshold, role.family).id
            tick()
        for t in lattice.transitions:
            roles.add_transition(Transition(ids[t.from_role], ids[t.to_role],
                                            TransitionKind(t.kind)))
            tick()
    return ImportSummary(tenant=tenant.slug, roles=len(lattice.roles),
                         transitions=len(lattice.transitions))


def _catalogue(session: Session, tenant: Tenant) -> dict[str, list[CompetencyChoice]]:
    """Every competency of the tenant by code, with its framework and top level."""
    found: dict[str, list[CompetencyChoice]] = {}
    for framework in TaxonomyRepository(session).frameworks(tenant.id):
        for c in framework.competencies:
            found.setdefault(c.code, []).append(
                CompetencyChoice(framework.name, c.id, framework.scale.max_value))
    return found
