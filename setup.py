"""Packaging beside pyproject.toml: the package list, computed so new areas need no entry here.

`templates/` and `migrations/` stay at the top of the checkout and are installed inside the
package as `casework/_templates` and `casework/_migrations`; `casework.resource_folder` finds
them in either place. Package data (templates, migrations, static files, translations, the demo
data) is listed in pyproject.toml.
"""

from setuptools import find_packages, setup

RESOURCES = {"casework._templates": "templates", "casework._migrations": "migrations"}

setup(packages=[*find_packages(include=["casework", "casework.*"]), *RESOURCES], package_dir=RESOURCES)
