"""Where the tool's run-time files are: found through importlib.resources, so an installed
wheel works from any directory, and a checkout (installed editable) works the same way."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .domain.errors import ConfigurationError

MIGRATIONS_PACKAGE = "careerpath_migrations"  # the checkout's migrations/ (see setup.py)
STATIC_PACKAGE = "careerpath_static"  # the checkout's static/


def package_dir(package: str) -> Path:
    """The directory of an installed resource package (Alembic and Flask need a real path)."""
    try:
        found = resources.files(package)
    except ModuleNotFoundError as exc:
        raise ConfigurationError(
            f"the package {package!r} is missing: install careerpath-lti with pip "
            f"(`pip install .`, or `pip install -e .` in a checkout)") from exc
    if not isinstance(found, Path) or not found.is_dir():
        raise ConfigurationError(f"{package!r} is not a directory on disk ({found}); "
                                 "install careerpath-lti unzipped")
    return found


def migrations_dir() -> Path:
    """Alembic's script location: env.py, script.py.mako and versions/."""
    return package_dir(MIGRATIONS_PACKAGE)


def static_dir() -> Path:
    """The files Flask serves at /static."""
    return package_dir(STATIC_PACKAGE)
