"""CASE 1.0 (1EdTech) packages: a CFPackage read into a FrameworkDraft, and written back.

Reading: CFDocument -> the framework (title -> name, uri -> source URI, falling back to
the URL the package came from); CFItems -> competencies (identifier kept, humanCodingScheme
-> code, else the identifier; abbreviatedStatement -> name with fullStatement as the
description, else fullStatement -> name); `isChildOf` associations build the tree (an item
that is a child of the document, or of nothing, is a root). Other association types
(isRelatedTo, precedes, exactMatchOf, ...) are kept in the draft, stored and written back.
The CFDocument's identifier, uri and lastChangeDateTime are kept: writing a framework read
from a document keeps that document's identifier, uri and title. The scale is always the
4-point rubric: CASE has no "proficient" flag, so CFRubrics do not map cleanly and are
ignored.

Problems name the 1-based position in CFItems or CFAssociations as the row and
"CFItems.<field>" or "CFAssociations.<field>" as the column; row 0 is the CFDocument.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from .model import (
    CODE_LIMIT,
    AssociationDraft,
    CompetencyDraft,
    FrameworkDraft,
    cycle_problems,
    duplicate_problems,
    parent_first,
    shortened,
)
from .problems import ImportProblem, reject_if_any

CASE_PATH = "/ims/case/v1p0"
CHILD_OF = "isChildOf"
ITEM_TYPE = "Competency"
ITEM_TYPE_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "careerpath:case:CFItemType:Competency"))


def read_package(package: Any, source_url: str | None = None) -> FrameworkDraft:
    """The framework a CFPackage describes; ImportRejected lists every problem found."""
    if not isinstance(package, Mapping):
        reject_if_any([ImportProblem(0, "CFPackage", "the package is not a JSON object")])
    document = package.get("CFDocument")
    if not isinstance(document, Mapping):
        reject_if_any([ImportProblem(0, "CFDocument", "the package has no CFDocument")])
    problems: list[ImportProblem] = []
    title = _text(document.get("title"))
    if not title:
        problems.append(ImportProblem(0, "CFDocument.title", "the document has no title"))
    items, item_problems = _items(package.get("CFItems"))
    problems += item_problems
    by_uri = {_text(raw.get("uri")): key for key, raw in _raw_by_key(package).items()}
    doc_id = _text(document.get("identifier"))
    by_uri[_text(document.get("uri"))] = doc_id
    parents, others, link_problems = _associations(package.get("CFAssociations"), items,
                                                   doc_id, by_uri)
    problems += link_problems
    linked = [replace(c, parent_key=parents.get(c.key, (None, 0))[0]) for c in items.values()]
    ordered, stuck = parent_first(linked)
    problems += [replace(p, row=parents[c.key][1]) for c, p in zip(
        stuck, cycle_problems(stuck, "CFAssociations.destinationNodeURI"), strict=True)]
    changed, found = _date_time(document.get("lastChangeDateTime"))
    problems += found
    reject_if_any(problems)
    return FrameworkDraft(
        name=shortened(title), competencies=tuple(ordered),
        description=_text(document.get("description")),
        source_uri=_text(document.get("uri")) or source_url, identifier=doc_id,
        creator=_text(document.get("creator")), associations=tuple(others),
        name_column="CFDocument.title", uri=_text(document.get("uri")),
        last_changed=changed, source_format="case")


def _date_time(value: Any) -> tuple[datetime | None, list[ImportProblem]]:
    """A CASE dateTime (UTC when it names no offset); None when absent."""
    text = _text(value)
    if not text:
        return None, []
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None, [ImportProblem(0, "CFDocument.lastChangeDateTime",
                                    f"{text!r} is not a dateTime")]
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)), []


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _raw_by_key(package: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    raw_items = package.get("CFItems")
    if not isinstance(raw_items, list):
        return {}
    return {_text(raw.get("identifier")): raw for raw in raw_items if isinstance(raw, Mapping)}


def _items(raw_items: Any) -> tuple[dict[str, CompetencyDraft], list[ImportProblem]]:
    """Competency drafts by identifier, with the problems of each item."""
    if raw_items is None:
        raw_items = []
    if not isinstance(raw_items, list):
        return {}, [ImportProblem(0, "CFItems", "CFItems is not a list")]
    drafts: dict[str, CompetencyDraft] = {}
    problems: list[ImportProblem] = []
    for row, raw in enumerate(raw_items, start=1):
        draft, found = _item(row, raw)
        problems += found
        if draft is not None and draft.key in drafts:
            problems.append(ImportProblem(row, "CFItems.identifier",
                                          f"duplicate identifier {draft.key!r}"))
        elif draft is not None:
            drafts[draft.key] = draft
    problems += duplicate_problems(drafts.values(), lambda c: c.code, lambda c: c.row,
                                   "CFItems.humanCodingScheme", "humanCodingScheme")
    return drafts, problems


def _item(row: int, raw: Any) -> tuple[CompetencyDraft | None, list[ImportProblem]]:
    """One CFItem as a competency draft (None when it cannot be one)."""
    if not isinstance(raw, Mapping):
        return None, [ImportProblem(row, "CFItems", "the item is not a JSON object")]
    problems = []
    identifier, statement = _text(raw.get("identifier")), _text(raw.get("fullStatement"))
    code = _text(raw.get("humanCodingScheme")) or identifier
    if not identifier:
        problems.append(ImportProblem(row, "CFItems.identifier", "the item has no identifier"))
    if not statement:
        problems.append(ImportProblem(row, "CFItems.fullStatement",
                                      "the item has no fullStatement"))
    if len(code) > CODE_LIMIT:
        problems.append(ImportProblem(row, "CFItems.humanCodingScheme",
                                      f"longer than {CODE_LIMIT} characters"))
    if problems:
        return None, problems
    short = _text(raw.get("abbreviatedStatement"))
    name, description = (short, statement) if short and len(short) < len(statement) else (
        shortened(statement), statement if len(statement) > len(shortened(statement)) else "")
    type_link = raw.get("CFItemTypeURI")
    item_type = _text(raw.get("CFItemType")) or (
        _text(type_link.get("title")) if isinstance(type_link, Mapping) else "")
    return CompetencyDraft(key=identifier, code=code, name=shortened(name),
                           description=description, source_identifier=identifier,
                           item_type=item_type, row=row), []


def _node(link: Any, by_uri: Mapping[str, str]) -> str:
    """The identifier a LinkURI points at (by identifier, else by uri)."""
    if not isinstance(link, Mapping):
        return ""
    return _text(link.get("identifier")) or by_uri.get(_text(link.get("uri")), "")


def _uri(link: Any) -> str:
    return _text(link.get("uri")) if isinstance(link, Mapping) else ""


def _associations(raw_links: Any, items: Mapping[str, CompetencyDraft], doc_id: str,
                  by_uri: Mapping[str, str]
                  ) -> tuple[dict[str, tuple[str | None, int]], list[AssociationDraft],
                             list[ImportProblem]]:
    """Parents by child (with the association's row), other associations, problems."""
    if raw_links is None:
        raw_links = []
    if not isinstance(raw_links, list):
        return {}, [], [ImportProblem(0, "CFAssociations", "CFAssociations is not a list")]
    parents: dict[str, tuple[str | None, int]] = {}
    others: list[AssociationDraft] = []
    problems: list[ImportProblem] = []
    for row, raw in enumerate(raw_links, start=1):
        if not isinstance(raw, Mapping):
            problems.append(ImportProblem(row, "CFAssociations", "not a JSON object"))
            continue
        kind = _text(raw.get("associationType"))
        origin = _node(raw.get("originNodeURI"), by_uri)
        destination = _node(raw.get("destinationNodeURI"), by_uri)
        if kind != CHILD_OF:
            others.append(AssociationDraft(
                _text(raw.get("identifier")), kind, origin, destination, row,
                _uri(raw.get("originNodeURI")), _uri(raw.get("destinationNodeURI"))))
            continue
        problems += _child_of(row, origin, destination, items, doc_id, parents)
    return parents, others, problems


def _child_of(row: int, origin: str, destination: str, items: Mapping[str, CompetencyDraft],
              doc_id: str, parents: dict[str, tuple[str | None, int]]) -> list[ImportProblem]:
    """Record one isChildOf link; the problems it has."""
    problems = []
    if origin not in items:
        problems.append(ImportProblem(row, "CFAssociations.originNodeURI",
                                      f"unknown item {origin!r}"))
    if destination != doc_id and destination not in items:
        problems.append(ImportProblem(row, "CFAssociations.destinationNodeURI",
                                      f"unknown item {destination!r}"))
    if problems:
        return problems
    parent = None if destination == doc_id else destination
    known = parents.get(origin)
    if known is not None and known[0] != parent:
        return [ImportProblem(row, "CFAssociations.destinationNodeURI",
                              f"item {origin!r} already has a parent (row {known[1]}); an "
                              "item with several parents is not supported")]
    parents[origin] = (parent, row)
    return []


def write_package(draft: FrameworkDraft, base_url: str, changed: datetime) -> dict[str, Any]:
    """A CFPackage for `draft`; URIs are under `base_url` + /ims/case/v1p0, but for the
    CFDocument of a framework read from a CASE document (`draft.uri`), which keeps its own."""
    base = base_url.rstrip("/") + CASE_PATH
    when = changed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    doc_link = {"title": draft.name, "identifier": draft.identifier,
                "uri": draft.uri or f"{base}/CFDocuments/{draft.identifier}"}
    document: dict[str, Any] = {
        **doc_link, "creator": draft.creator or "CareerPath LTI", "lastChangeDateTime": when,
        "description": draft.description,
        "CFPackageURI": {**doc_link, "uri": f"{base}/CFPackages/{draft.identifier}"}}
    if draft.source_uri:
        document["officialSourceURL"] = draft.source_uri
    links = {c.key: _item_link(c, base) for c in draft.competencies}
    items = [_write_item(c, links[c.key], doc_link, when) for c in draft.competencies]
    return {"CFDocument": document, "CFItems": items,
            "CFAssociations": _write_associations(draft, links, doc_link, base, when),
            "CFDefinitions": {"CFItemTypes": [{
                "identifier": ITEM_TYPE_ID, "uri": f"{base}/CFItemTypes/{ITEM_TYPE_ID}",
                "title": ITEM_TYPE, "description": "A competency of a career framework",
                "hierarchyCode": ITEM_TYPE, "lastChangeDateTime": when}]}}


def _item_link(competency: CompetencyDraft, base: str) -> dict[str, str]:
    return {"title": competency.name, "identifier": competency.key,
            "uri": f"{base}/CFItems/{competency.key}"}


def _write_item(competency: CompetencyDraft, link: Mapping[str, str],
                doc_link: Mapping[str, str], when: str) -> dict[str, Any]:
    """One CFItem: the description is the full statement when there is one."""
    item: dict[str, Any] = {
        "identifier": competency.key, "uri": link["uri"],
        "fullStatement": competency.description or competency.name,
        "humanCodingScheme": competency.code, "CFItemType": ITEM_TYPE,
        "CFItemTypeURI": {"title": ITEM_TYPE, "identifier": ITEM_TYPE_ID,
                          "uri": link["uri"].rsplit("/CFItems/", 1)[0]
                          + f"/CFItemTypes/{ITEM_TYPE_ID}"},
        "CFDocumentURI": dict(doc_link), "lastChangeDateTime": when}
    if competency.description:
        item["abbreviatedStatement"] = competency.name
    return item


def _write_associations(draft: FrameworkDraft, links: Mapping[str, Mapping[str, str]],
                        doc_link: Mapping[str, str], base: str, when: str
                        ) -> list[dict[str, Any]]:
    """isChildOf for every competency (roots are children of the document), then others."""
    written = []
    siblings: dict[str | None, int] = {}
    for c in draft.competencies:
        siblings[c.parent_key] = siblings.get(c.parent_key, 0) + 1
        parent = doc_link if c.parent_key is None else links[c.parent_key]
        written.append(_association(CHILD_OF, links[c.key], parent, doc_link, base, when,
                                    siblings[c.parent_key]))
    for other in draft.associations:
        origin = links.get(other.origin) or {"identifier": other.origin,
                                             "uri": other.origin_uri or other.origin}
        target = links.get(other.destination) or {
            "identifier": other.destination, "uri": other.destination_uri or other.destination}
        written.append(_association(other.association_type, origin, target, doc_link, base,
                                    when, None, other.identifier))
    return written


def _association(kind: str, origin: Mapping[str, str], destination: Mapping[str, str],
                 doc_link: Mapping[str, str], base: str, when: str, sequence: int | None,
                 identifier: str = "") -> dict[str, Any]:
    """One CFAssociation with a stable identifier."""
    identifier = identifier or str(uuid.uuid5(
        uuid.NAMESPACE_URL, f"{origin['uri']}#{kind}#{destination['uri']}"))
    link: dict[str, Any] = {
        "identifier": identifier, "uri": f"{base}/CFAssociations/{identifier}",
        "associationType": kind, "originNodeURI": dict(origin),
        "destinationNodeURI": dict(destination), "CFDocumentURI": dict(doc_link),
        "lastChangeDateTime": when}
    if sequence is not None:
        link["sequenceNumber"] = sequence
    return link
