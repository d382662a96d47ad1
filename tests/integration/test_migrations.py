from __future__ import annotations

from cryptotalks import db, migrations


def test_applying_again_changes_nothing(database: db.Connection) -> None:
    assert migrations.apply_all(database) == []
    recorded = database.execute("SELECT count(*) FROM public.schema_migrations").fetchone()
    assert recorded == {"count": len(migrations.available())}


def test_one_schema_per_context_and_no_foreign_key_leaves_its_context(database: db.Connection) -> None:
    present = {r["nspname"] for r in database.execute("SELECT nspname FROM pg_namespace").fetchall()}
    assert set(migrations.schemas()) <= present
    crossing = database.execute(
        "SELECT conname, conrelid::regclass::text AS source, confrelid::regclass::text AS target"
        " FROM pg_constraint WHERE contype = 'f'"
        " AND connamespace <> (SELECT relnamespace FROM pg_class WHERE oid = confrelid)"
    ).fetchall()
    assert crossing == []
