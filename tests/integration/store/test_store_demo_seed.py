"""The demo seed: idempotent, and rich enough to demonstrate every screen."""

from __future__ import annotations

from sqlalchemy import func, select

from lti_tool.domain.calculation import CalculationMethod
from lti_tool.domain.scales import SHIPPED_SCALES
from lti_tool.store import Database
from lti_tool.store.models import Base
from lti_tool.store.repositories import RoleRepository, TaxonomyRepository
from lti_tool.usecases.demo.seed import seed_demo


def _row_counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {name: s.scalar(select(func.count()).select_from(table)) or 0
                for name, table in Base.metadata.tables.items()}


def test_seeding_twice_changes_nothing(migrated_db: Database) -> None:
    with migrated_db.session() as s:
        first = seed_demo(s)
    before = _row_counts(migrated_db)
    with migrated_db.session() as s:
        second = seed_demo(s)
    assert second == first and _row_counts(migrated_db) == before
    assert before["scales"] == len(SHIPPED_SCALES)
    # what the demo catalogue held when it moved from Python to lti_tool/demo_data/
    assert {name: n for name, n in before.items() if n} == {
        "tenants": 1, "scales": 2, "scale_levels": 7, "frameworks": 2, "competencies": 35,
        "behavioural_anchors": 98, "roles": 9, "role_requirements": 50, "role_transitions": 9}


def test_demo_content(migrated_db: Database) -> None:
    with migrated_db.session() as s:
        tenant = seed_demo(s)
        frameworks = {f.name: f for f in TaxonomyRepository(s).frameworks(tenant.id)}
        lattice = RoleRepository(s).lattice(tenant.id)
    assert tenant.name == "Northwind Learning"
    product, customer = frameworks["Product & Data"], frameworks["Customer & Delivery"]
    assert product.scale.key == "four_point_rubric"
    assert product.calculation == CalculationMethod.highest()
    assert customer.calculation == CalculationMethod.decaying_average(0.65)
    assert sum(len(f.competencies) for f in frameworks.values()) >= 30
    for framework in frameworks.values():
        for leaf in (c for c in framework.competencies if c.parent_id is not None):
            levels = [a.level for a in framework.anchors if a.competency_id == leaf.id]
            assert levels == [level.value for level in framework.scale.levels], leaf.code
    assert len(lattice.roles) >= 8
    for role in lattice.roles:
        assert 4 <= len(role.requirements) <= 8 and 0.75 <= role.threshold <= 0.85
    names = {role.id: role.name for role in lattice.roles}
    moves = {(names[t.from_role_id], names[t.to_role_id], str(t.kind))
             for t in lattice.transitions}
    assert {("Product Manager I", "Product Manager II", "upward"),
            ("Data Analyst", "Senior Data Analyst", "upward"),
            ("Support Representative", "Customer Success Manager", "upward"),
            ("Data Analyst", "Product Manager I", "lateral"),
            ("Support Representative", "Data Analyst", "lateral")} <= moves
    lead = next(role for role in lattice.roles if role.name == "Delivery Lead")
    by_name = {customer.competency(r.competency_id).name: r.weight / lead.total_weight
               for r in lead.requirements}
    assert by_name == {"Client partnership": 0.25, "Technical delivery": 0.35,
                       "Leadership": 0.20, "Continuous improvement": 0.20}
    assert any(r.minimum_level for role in lattice.roles for r in role.requirements)


def test_seeding_sets_missing_badge_levels_and_keeps_chosen_ones(migrated_db: Database) -> None:
    from sqlalchemy import update

    from lti_tool.store.models import CompetencyRow
    from lti_tool.usecases.demo.catalogue import demo_catalogue

    frameworks = demo_catalogue().frameworks
    wanted = {c.code: c.badge_level for f in frameworks for g in f.groups for c in g.children
              if c.badge_level is not None}
    assert len(wanted) >= 6, "the demo shows competency badges in both frameworks"
    with migrated_db.session() as s:
        seed_demo(s)

    def levels() -> dict[str, int | None]:
        with migrated_db.session() as s:
            return dict(s.execute(select(CompetencyRow.code, CompetencyRow.badge_level)).all())

    assert {code: levels()[code] for code in wanted} == wanted
    assert sum(1 for level in levels().values() if level is not None) == len(wanted)
    with migrated_db.session() as s:  # a database seeded before badge levels existed
        s.execute(update(CompetencyRow).values(badge_level=None))
        s.execute(update(CompetencyRow).where(CompetencyRow.code == "PD.ANL.SQL")
                  .values(badge_level=4))  # an admin's choice
        seed_demo(s)
    found = levels()
    assert found["PD.ANL.SQL"] == 4
    assert {code: found[code] for code in wanted if code != "PD.ANL.SQL"} == {
        code: level for code, level in wanted.items() if code != "PD.ANL.SQL"}
