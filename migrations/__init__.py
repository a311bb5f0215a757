"""Alembic's environment and versions; installed as the package `careerpath_migrations`."""
