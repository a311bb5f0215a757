"""In-memory adapters for use-case unit tests: no database, no app, no network."""

from .units_of_work import InMemoryDatabase, InMemoryUnitOfWork, WriteInReadUnitOfWork

__all__ = ["InMemoryDatabase", "InMemoryUnitOfWork", "WriteInReadUnitOfWork"]
