"""The wheel works anywhere: built from the sources, installed into a fresh virtual environment and
run from an empty folder, it migrates, loads the demo and serves every page in both languages.

Marked `packaging` (`pytest -m "not packaging"` leaves it out); it takes some 30 seconds.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

CHECKOUT = Path(__file__).resolve().parents[1]
SOURCES = ("casework", "templates", "migrations", "config.py", "pyproject.toml", "README.md")
TEAM = "kraften-hedemora"

# Run by the installed interpreter: every page the demo accounts can open, as status codes.
SERVE = """
import json, re, sys
import pyotp
from casework import create_app

accounts = json.loads(sys.argv[1])
app = create_app({"WTF_CSRF_ENABLED": False})
client = app.test_client()
seen = {}

def get(path, role):
    response = client.get(path, follow_redirects=True)
    seen.setdefault(path, {})[role] = response.status_code
    return response.get_data(as_text=True)

login = get("/login", "anonymous")
seen["stylesheet"] = client.get(re.search(r'href="([^"]+[.]css)"', login).group(1)).status_code
client.post("/language/en")
seen["english"] = "Sign in" in client.get("/login").get_data(as_text=True)
pages = [str(r) for r in app.url_map.iter_rules()
         if "GET" in r.methods and not r.arguments and not str(r).startswith("/api")]
for role, (email, password) in accounts.items():
    client.post("/login", data={"email": email, "password": password})
    enrol = client.get("/login/enrol").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", enrol).group(1)
    client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    for page in pages:
        get(page, role)
    if role == "coach":
        listing = get("/teams/%s/participants" % sys.argv[2], role)
        get(re.search(r'href="(/participants/[^"/]+)"', listing).group(1), role)
        get("/teams/%s/participants/new" % sys.argv[2], role)
    client.post("/logout")
print(json.dumps(seen))
"""


@dataclass
class Installed:
    python: Path
    casework: Path
    venv: Path
    workdir: Path
    env: dict

    def run(self, *args, timeout: int = 120) -> subprocess.CompletedProcess:
        result = subprocess.run([str(a) for a in args], check=False, cwd=self.workdir, env=self.env, capture_output=True,
                                text=True, timeout=timeout)
        assert result.returncode == 0, result.stderr
        return result


def _run(*args) -> None:
    result = subprocess.run([str(a) for a in args], check=False, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """The wheel built from a copy of the sources (no stale build/ folder can slip in), installed
    without dependencies into a new venv that sees this venv's packages through a .pth file."""
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"
    for name in SOURCES:
        if (CHECKOUT / name).is_dir():
            shutil.copytree(CHECKOUT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(CHECKOUT / name, source / name)
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", root / "dist", source)
    wheel = next((root / "dist").glob("casework-*.whl"))
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel)
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = sysconfig.get_paths()
    Path(site, "casework_test_dependencies.pth").write_text(f"{ours['purelib']}\n{ours['platlib']}\n")
    workdir = root / "empty"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_") and k != "PYTHONPATH"}
    return Installed(python, bin_dir / "casework", venv, workdir, env)


def test_the_installed_package_is_the_one_imported_and_carries_its_files(installed):
    result = installed.run(installed.python, "-c", "import json, casework, config; from casework import resource_folder;"
                           "print(json.dumps([casework.__file__, config.__file__, str(resource_folder('templates')),"
                           " str(resource_folder('migrations'))]))")
    paths = [Path(p) for p in json.loads(result.stdout)]
    assert all(p.is_relative_to(installed.venv) for p in paths), paths
    package = paths[0].parent
    assert _files(package / "_templates") == _files(CHECKOUT / "templates")
    assert _files(package / "_migrations") == _files(CHECKOUT / "migrations")
    assert _files(package / "translations", "*.mo") == _files(CHECKOUT / "casework" / "translations", "*.mo")
    assert _files(package / "static") == _files(CHECKOUT / "casework" / "static")


def test_from_an_empty_folder_it_migrates_loads_the_demo_and_serves_every_page(installed):
    installed.run(installed.casework, "db", "upgrade")
    assert (installed.workdir / "instance" / "casework.sqlite").is_file()
    assert not (installed.workdir / "instance" / "master.key").exists(), "only keys init (or the demo) makes it"
    demo = installed.run(installed.casework, "demo", "--no-serve")
    assert re.search(r"participants: [1-9]\d* added", demo.stdout)
    accounts = {line.split()[0]: line.split()[1:3] for line in demo.stdout.splitlines() if "@example.org" in line}
    assert set(accounts) == {"coach", "team_lead", "referrer", "analyst", "auditor", "admin"}

    seen = json.loads(installed.run(installed.python, "-c", SERVE, json.dumps(accounts), TEAM).stdout)
    assert seen.pop("/login")["anonymous"] == 200
    assert seen.pop("stylesheet") == 200
    assert seen.pop("english") is True
    assert {page: codes for page, codes in seen.items() if max(codes.values()) >= 500} == {}
    assert {page for page, codes in seen.items() if 200 not in codes.values()} == set()


def _files(folder: Path, pattern: str = "*") -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob(pattern)
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def test_every_package_of_the_checkout_is_listed_for_the_wheel():
    import tomllib

    listed = set(tomllib.loads((CHECKOUT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(CHECKOUT).parts) for init in (CHECKOUT / "casework").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(found - listed)}"
