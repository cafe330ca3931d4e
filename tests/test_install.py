"""Wheel-install smoke test: the built wheel carries the content pack and works from another folder.

Builds the wheel the way ``pip install .`` does (an isolated build that fetches hatchling from PyPI),
installs it into a plain folder and runs it with that folder first on ``sys.path``, so the module
and the content pack must come from the wheel, not from this checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.core.test_content import ITEM_SLUGS
from wizard import __version__

REPO = Path(__file__).resolve().parent.parent
PACK_IN_WHEEL = "wizard/_content/telemedicine-clinical-workflows"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the folder it was installed into with ``pip install --target``)."""
    dist = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(REPO)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    if build.returncode != 0:
        pytest.fail(
            "could not build the wheel (the isolated build fetches hatchling from PyPI: is the network "
            f"or a package index reachable?)\n{build.stdout[-2000:]}\n{build.stderr[-3000:]}",
            pytrace=False,
        )
    (wheel,) = dist.glob("telewizard-*.whl")
    target = tmp_path_factory.mktemp("target")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert install.returncode == 0, install.stderr
    return wheel, target


def run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run Python with only the installed copy of wizard importable ahead of the checkout."""
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("TELEWIZARD_CONTENT_PATH", None)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_wheel_contains_the_package_and_the_content_pack(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    assert wheel.name == f"telewizard-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    assert f"{PACK_IN_WHEEL}/pack.toml" in names
    items = {name for name in names if name.startswith(f"{PACK_IN_WHEEL}/items/")}
    assert items == {f"{PACK_IN_WHEEL}/items/{slug}.toml" for slug in ITEM_SLUGS}
    for module in (
        "__init__",
        "__main__",
        "cli",
        "checks",
        "playbook/__init__",
        "content/__init__",
        "project/__init__",
    ):
        assert f"wizard/{module}.py" in names
    assert {"wizard/commands/serve.py", "wizard/serve/server.py", "wizard/serve/page/app_index.html"} <= names
    stray = [n for n in names if not n.startswith(("wizard/", f"telewizard-{__version__}.dist-info/"))]
    assert stray == []
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    entry_points = zipfile.ZipFile(wheel).read(f"telewizard-{__version__}.dist-info/entry_points.txt").decode()
    assert "telewizard = wizard.cli:console" in entry_points


def test_installed_copy_runs_from_another_folder(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, target = installed
    where = run_installed(
        target,
        tmp_path,
        "-c",
        "import wizard, wizard.content as c; print(wizard.__file__); print(c.bundled_content_dir())",
    )
    assert where.returncode == 0, where.stderr
    module_file, content_dir = where.stdout.splitlines()
    assert Path(module_file).is_relative_to(target), module_file
    assert Path(content_dir) == target / "wizard" / "_content"

    check = run_installed(target, tmp_path, "-m", "wizard", "content", "check")
    assert check.returncode == 0, check.stderr
    assert "40 items" in check.stdout

    new = run_installed(
        target,
        tmp_path,
        "-m",
        "wizard",
        "new",
        "clinic.toml",
        "--title",
        "Installed clinic",
        "--care-model",
        "hybrid-primary-care",
        "--roles",
        "physician,medical-assistant",
        "--visit-types",
        "video,audio-only",
    )
    assert new.returncode == 0, new.stderr
    assert (tmp_path / "clinic.toml").is_file()

    export = run_installed(target, tmp_path, "-m", "wizard", "export", "clinic.toml")
    assert export.returncode == 0, export.stderr
    playbook = tmp_path / "exports" / "clinic-playbook.md"
    assert export.stdout.strip() == str(Path("exports") / "clinic-playbook.md")
    assert "Installed clinic" in playbook.read_text(encoding="utf-8").splitlines()[0]


def test_installed_console_script(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, target = installed
    script = target / "bin" / "telewizard"
    assert script.is_file()
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [str(script), "--version"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"telewizard {__version__}"
