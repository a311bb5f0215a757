"""The package map only (metadata is in pyproject.toml).

The checkout keeps the design card's top-level folders; the wheel must carry the ones the
tool reads at run time, so two of them ship as packages of their own, found through
importlib.resources (lti_tool/resources.py), never through a checkout path:

    migrations/  ->  careerpath_migrations   (Alembic env.py, script template, versions/)
    static/      ->  careerpath_static       (css, scripts, icons served at /static)

find_packages picks up every new sub-package of lti_tool and widgets by itself.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["lti_tool", "lti_tool.*", "widgets", "widgets.*"]),
              "careerpath_migrations", "careerpath_static"],
    package_dir={"careerpath_migrations": "migrations", "careerpath_static": "static"},
)
