"""`among(session, column, values)`: the rows `column IN values` selects, on both databases
(PostgreSQL sends the values as one array: `= ANY(%s)`)."""

from __future__ import annotations

from sqlalchemy import insert, select

from lti_tool.store import Database
from lti_tool.store.models import PersonRow
from lti_tool.store.repositories.statements import among
from tests.integration.store.test_store_prepared_reads import _with_evidence

SUBS = ["plain", "with space", "quote'd", 'double"d', "comma,brace{}", "é-ünïcode", "NULL",
        "back\\slash"]


def test_among_selects_what_an_in_list_selects(migrated_db: Database) -> None:
    _registration, tenant_id, _person = _with_evidence(migrated_db)
    with migrated_db.session() as session:
        session.execute(insert(PersonRow), [{"tenant_id": tenant_id, "sub": sub, "name": sub}
                                             for sub in SUBS])
    with migrated_db.read_session() as session:
        ids = dict(session.execute(select(PersonRow.sub, PersonRow.id)
                                   .where(PersonRow.tenant_id == tenant_id)).all())

        def subs_among(values: list[str]) -> set[str]:
            return set(session.scalars(select(PersonRow.sub).where(
                PersonRow.tenant_id == tenant_id, among(session, PersonRow.sub, values))))

        def ids_among(values: list[int]) -> set[int]:
            return set(session.scalars(select(PersonRow.id).where(
                among(session, PersonRow.id, values))))

        assert subs_among(SUBS) == set(SUBS), "every awkward value matched exactly"
        assert subs_among(["quote'd", "absent"]) == {"quote'd"}
        assert subs_among([]) == set()
        assert subs_among(["%", "_"]) == set(), "no pattern matching"
        wanted = [ids["plain"], ids["NULL"]]
        assert ids_among(wanted) == set(wanted)
        assert ids_among([-1]) == set()
