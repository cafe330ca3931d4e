"""Where telewizard keeps its files: the cache folder is platformdirs' answer, however it is found."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from platformdirs import user_cache_dir

from wizard import paths

linux_only = pytest.mark.skipif(
    sys.platform != "linux", reason="the cache folder is found without platformdirs only on Linux"
)

ENVIRONMENTS = [
    pytest.param({"XDG_CACHE_HOME": "/srv/cache", "HOME": "/home/lead"}, True, id="xdg-absolute"),
    pytest.param({"XDG_CACHE_HOME": "/srv/cache/", "HOME": "/home/lead"}, True, id="xdg-trailing-slash"),
    pytest.param({"XDG_CACHE_HOME": "", "HOME": "/home/lead"}, True, id="xdg-empty"),
    pytest.param({"HOME": "/home/lead/"}, True, id="home-trailing-slash"),
    pytest.param({"HOME": "/"}, True, id="home-root"),
    pytest.param({"XDG_CACHE_HOME": "relative/cache", "HOME": "/home/lead"}, True, id="xdg-relative"),
    pytest.param({"XDG_CACHE_HOME": "relative/cache", "HOME": "relative-home"}, False, id="home-relative"),
    pytest.param({"ANDROID_DATA": "/data", "ANDROID_ROOT": "/system", "HOME": "/home/lead"}, False, id="android"),
]


@linux_only
@pytest.mark.parametrize(("env", "found_here"), ENVIRONMENTS)
def test_the_cache_folder_is_where_platformdirs_puts_it(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], found_here: bool
) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    for name in ("XDG_CACHE_HOME", "HOME", "ANDROID_DATA", "ANDROID_ROOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert (paths._xdg_cache_home() is not None) is found_here
    assert paths.cache_dir() == Path(user_cache_dir("telewizard", appauthor=False))


@linux_only
def test_a_command_finds_the_cache_folder_without_importing_platformdirs(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import sys
        from wizard.content import load_pack_by_ref
        load_pack_by_ref()  # loads through the cache
        print("platformdirs" in sys.modules)
        """
    )
    env = {"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]
    assert list((tmp_path / "cache" / "telewizard" / "packs").glob("*.marshal"))
