"""Scales, frameworks, competencies and behavioural anchors, as domain objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, exists, select, update
from sqlalchemy.orm import Session

from lti_tool.domain.calculation import CalculationMethod
from lti_tool.domain.errors import NotFound
from lti_tool.domain.scales import ProficiencyLevel, ProficiencyScale
from lti_tool.domain.taxonomy import BehaviouralAnchor, Competency, Framework

from ..models import (
    BehaviouralAnchorRow,
    CompetencyRow,
    EvidenceRow,
    EvidenceRuleRow,
    FrameworkRow,
    RoleRequirementRow,
    ScaleLevelRow,
    ScaleRow,
)
from .statements import insert_if_absent, pk


def competency_from_row(row: CompetencyRow) -> Competency:
    parent = None if row.parent_id is None else str(row.parent_id)
    return Competency(id=str(row.id), code=row.code, name=row.name,
                      description=row.description, parent_id=parent,
                      badge_level=row.badge_level)


def anchor_from_row(row: BehaviouralAnchorRow) -> BehaviouralAnchor:
    return BehaviouralAnchor(competency_id=str(row.competency_id), level=row.level, text=row.text)


def scale_from_rows(row: ScaleRow, levels: Iterable[ScaleLevelRow]) -> ProficiencyScale:
    ordered = sorted(levels, key=lambda level: level.value)
    return ProficiencyScale(key=row.key, name=row.name, levels=tuple(
        ProficiencyLevel(level.value, level.label, level.proficient) for level in ordered))


def framework_from_rows(
    row: FrameworkRow,
    scale: ProficiencyScale,
    competencies: Sequence[CompetencyRow],
    anchors: Sequence[BehaviouralAnchorRow],
) -> Framework:
    return Framework(
        id=str(row.id), name=row.name, scale=scale,
        competencies=tuple(competency_from_row(c) for c in competencies),
        anchors=tuple(anchor_from_row(a) for a in anchors),
        calculation=CalculationMethod.parse(row.calculation_method),
    )


class TaxonomyRepository:
    """Scales, frameworks and their competency trees."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def ensure_scale(self, scale: ProficiencyScale, tenant_id: int | str | None = None) -> int:
        """The id of the stored scale with `scale.key`, storing it (and its levels) if absent."""
        owner = None if tenant_id is None else pk(tenant_id)
        insert_if_absent(self.session, ScaleRow, {"tenant_id": owner, "key": scale.key,
                                                  "name": scale.name})
        scale_id = self.scale_id(scale.key, owner)
        assert scale_id is not None
        for level in scale.levels:
            insert_if_absent(self.session, ScaleLevelRow, {
                "scale_id": scale_id, "value": level.value, "label": level.label,
                "proficient": level.proficient})
        return scale_id

    def scale_id(self, key: str, tenant_id: int | str | None = None) -> int | None:
        owner = ScaleRow.tenant_id.is_(None) if tenant_id is None else (
            ScaleRow.tenant_id == pk(tenant_id))
        return self.session.scalar(select(ScaleRow.id).where(ScaleRow.key == key, owner))

    def scale(self, scale_id: int | str) -> ProficiencyScale:
        row = self.session.get(ScaleRow, pk(scale_id))
        if row is None:
            raise NotFound(f"scale {scale_id} does not exist")
        levels = self.session.scalars(
            select(ScaleLevelRow).where(ScaleLevelRow.scale_id == row.id))
        return scale_from_rows(row, levels)

    def add_framework(self, tenant_id: int | str, name: str, scale_id: int | str,
                      calculation: CalculationMethod | None = None, description: str = "",
                      source_uri: str | None = None) -> str:
        """Store an empty framework; its id."""
        row = FrameworkRow(tenant_id=pk(tenant_id), name=name, scale_id=pk(scale_id),
                           calculation_method=str(calculation or CalculationMethod.highest()),
                           description=description, source_uri=source_uri)
        self.session.add(row)
        self.session.flush()
        return str(row.id)

    def framework_id(self, tenant_id: int | str, name: str) -> str | None:
        found = self.session.scalar(select(FrameworkRow.id).where(
            FrameworkRow.tenant_id == pk(tenant_id), FrameworkRow.name == name))
        return None if found is None else str(found)

    def add_competency(self, framework_id: int | str, code: str, name: str,
                       description: str = "", parent_id: int | str | None = None,
                       source_identifier: str | None = None,
                       badge_level: int | None = None) -> Competency:
        row = CompetencyRow(framework_id=pk(framework_id), code=code, name=name,
                            description=description, source_identifier=source_identifier,
                            parent_id=None if parent_id is None else pk(parent_id),
                            badge_level=badge_level)
        self.session.add(row)
        self.session.flush()
        return competency_from_row(row)

    def competency_by_code(self, framework_id: int | str, code: str) -> Competency | None:
        row = self.session.scalar(select(CompetencyRow).where(
            CompetencyRow.framework_id == pk(framework_id), CompetencyRow.code == code))
        return None if row is None else competency_from_row(row)

    def set_anchor(self, competency_id: int | str, level: int, text: str) -> BehaviouralAnchor:
        """Create or replace the anchor of `competency_id` at `level`."""
        row = self.session.scalar(select(BehaviouralAnchorRow).where(
            BehaviouralAnchorRow.competency_id == pk(competency_id),
            BehaviouralAnchorRow.level == level))
        if row is None:
            row = BehaviouralAnchorRow(competency_id=pk(competency_id), level=level, text=text)
            self.session.add(row)
        row.text = text
        self.session.flush()
        return anchor_from_row(row)

    def framework(self, framework_id: int | str) -> Framework:
        """One framework with its scale, competencies and anchors."""
        found = self._frameworks(FrameworkRow.id == pk(framework_id))
        if not found:
            raise NotFound(f"framework {framework_id} does not exist")
        return found[0]

    def frameworks(self, tenant_id: int | str) -> list[Framework]:
        """Every framework of a tenant (five statements, whatever the size)."""
        return self._frameworks(FrameworkRow.tenant_id == pk(tenant_id))

    def _frameworks(self, where: ColumnElement[bool]) -> list[Framework]:
        rows = list(self.session.scalars(select(FrameworkRow).where(where)
                                         .order_by(FrameworkRow.id)))
        return frameworks_from_ids(self.session, rows)

    def badge_levels(self, framework_id: int) -> dict[str, int]:
        """Competency id → badge level, for the framework's competencies that award one."""
        rows = self.session.execute(select(CompetencyRow.id, CompetencyRow.badge_level).where(
            CompetencyRow.framework_id == framework_id, CompetencyRow.badge_level.is_not(None)))
        return {str(cid): int(level) for cid, level in rows if level is not None}


    def badge_levels_of_tenant(self, tenant_id: int | str) -> dict[str, int]:
        """Competency id → badge level, across the tenant's frameworks."""
        rows = self.session.execute(
            select(CompetencyRow.id, CompetencyRow.badge_level)
            .join(FrameworkRow, FrameworkRow.id == CompetencyRow.framework_id)
            .where(FrameworkRow.tenant_id == pk(tenant_id), CompetencyRow.badge_level.is_not(None))
            .order_by(CompetencyRow.id)).all()
        return {str(cid): int(level) for cid, level in rows if level is not None}

    def tenant_awards_competency_badges(self, tenant_id: int) -> bool:
        """Whether any competency of the tenant's frameworks has a badge level."""
        found = self.session.scalar(
            select(CompetencyRow.id).join(FrameworkRow,
                                          FrameworkRow.id == CompetencyRow.framework_id)
            .where(FrameworkRow.tenant_id == tenant_id, CompetencyRow.badge_level.is_not(None))
            .limit(1))
        return found is not None

    def has_live_children(self, competency_id: int) -> bool:
        """Whether any competency that is not archived has this one as parent."""
        return bool(self.session.scalar(select(exists().where(
            CompetencyRow.parent_id == competency_id, CompetencyRow.archived_at.is_(None)))))

    def competency_uses(self, competency_id: int) -> tuple[bool, bool]:
        """Whether evidence rules, and whether evidence, refer to the competency."""
        rules, evidence = (bool(self.session.scalar(select(exists().where(
            model.competency_id == competency_id)))) for model in (EvidenceRuleRow, EvidenceRow))
        return rules, evidence

    def drop_rules_and_requirements(self, competency_id: int) -> None:
        """Delete the evidence rules and role requirements on a competency (archiving it)."""
        for model in (EvidenceRuleRow, RoleRequirementRow):
            self.session.execute(delete(model).where(model.competency_id == competency_id))

    def replace_anchors(self, competency_id: int, anchors: Iterable[tuple[int, str]]) -> None:
        """The competency's behavioural anchors become (level, text) `anchors`."""
        self.session.execute(delete(BehaviouralAnchorRow).where(
            BehaviouralAnchorRow.competency_id == competency_id))
        self.session.add_all(BehaviouralAnchorRow(competency_id=competency_id, level=level,
                                                  text=text) for level, text in anchors)

    def update_competency(self, competency_id: int, values: dict[str, object]) -> None:
        """Set the competency's columns named in `values` (name, description, parent_id,
        badge_level)."""
        row = self.session.get(CompetencyRow, competency_id)
        if row is None:
            raise NotFound(f"competency {competency_id} does not exist")
        for name, value in values.items():
            setattr(row, name, value)
        self.session.flush()

    def delete_competency(self, competency_id: int) -> None:
        row = self.session.get(CompetencyRow, competency_id)
        if row is not None:
            self.session.delete(row)
            self.session.flush()

    def archive_competency(self, competency_id: int, at: datetime) -> None:
        """Hide the competency from catalogue and readiness, dropping its badge level."""
        self.update_competency(competency_id, {"archived_at": at, "badge_level": None})

    def set_badge_level(self, competency_id: int, badge_level: int) -> None:
        """The scale level that earns the competency's badge."""
        row = self.session.get(CompetencyRow, competency_id)
        assert row is not None
        row.badge_level = badge_level

    def default_badge_level(self, competency_id: int, badge_level: int) -> None:
        """Give the competency `badge_level` unless it already has one."""
        self.session.execute(update(CompetencyRow).where(
            CompetencyRow.id == competency_id, CompetencyRow.badge_level.is_(None))
            .values(badge_level=badge_level))


def frameworks_from_ids(session: Session, rows: Sequence[FrameworkRow]) -> list[Framework]:
    """Build domain frameworks for `rows` with four further statements."""
    ids = [row.id for row in rows]
    scale_ids = {row.scale_id for row in rows}
    scales = {s.id: s for s in session.scalars(select(ScaleRow).where(ScaleRow.id.in_(scale_ids)))}
    levels: dict[int, list[ScaleLevelRow]] = defaultdict(list)
    for level in session.scalars(select(ScaleLevelRow).where(
            ScaleLevelRow.scale_id.in_(scale_ids))):
        levels[level.scale_id].append(level)
    competencies: dict[int, list[CompetencyRow]] = defaultdict(list)
    for c in session.scalars(select(CompetencyRow).where(CompetencyRow.framework_id.in_(ids),
                                                         CompetencyRow.archived_at.is_(None))
                             .order_by(CompetencyRow.id)):
        competencies[c.framework_id].append(c)
    framework_of = {c.id: fid for fid, cs in competencies.items() for c in cs}
    anchors: dict[int, list[BehaviouralAnchorRow]] = defaultdict(list)
    for a in session.scalars(select(BehaviouralAnchorRow).join(CompetencyRow).where(
            CompetencyRow.framework_id.in_(ids), CompetencyRow.archived_at.is_(None))
            .order_by(BehaviouralAnchorRow.id)):
        anchors[framework_of[a.competency_id]].append(a)
    return [framework_from_rows(row, scale_from_rows(scales[row.scale_id], levels[row.scale_id]),
                                competencies[row.id], anchors[row.id]) for row in rows]
