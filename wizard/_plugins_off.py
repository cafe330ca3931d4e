"""Stand-in for pydantic's plugin loader (``pydantic.plugin._loader``) while plugins are disabled.

telewizard runs pydantic with plugins disabled (``PYDANTIC_DISABLE_PLUGINS``, set in ``wizard``).
pydantic honours that, but its loader module imports ``importlib.metadata`` at its top, and pydantic
imports that module the first time it builds a validator: so every command paid for the import of
``importlib.metadata`` (and the email, zipfile and csv modules it brings) to be told there are no
plugins. That was 49M instructions of the 40-item export's 700M, 7% of it.

While plugins are disabled this module stands in for the loader and answers as it would: no plugins.
It is installed only when pydantic has not imported its loader yet and the variable disables every
plugin (pydantic's own rule: ``__all__``, ``1`` or ``true``). Should the variable change later, or
pydantic ask for anything else of its loader, the real loader is imported and answers instead: the
stand-in can only ever skip the import, never change what pydantic finds.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from typing import Any

LOADER = "pydantic.plugin._loader"
ENV = "PYDANTIC_DISABLE_PLUGINS"
ALL_DISABLED = ("__all__", "1", "true")
"""The values with which pydantic's ``get_plugins`` returns no plugins without looking."""


def _real() -> Any:
    """pydantic's own loader, imported in place of this stand-in."""
    if sys.modules.get(LOADER) is sys.modules[__name__]:
        del sys.modules[LOADER]
    return importlib.import_module(LOADER)


def get_plugins() -> Iterable[Any]:
    """No plugins while every plugin is disabled, as pydantic's ``get_plugins`` answers then."""
    if os.environ.get(ENV) in ALL_DISABLED:
        return ()
    return _real().get_plugins()  # type: ignore[no-any-return]


def __getattr__(name: str) -> Any:
    """Anything else pydantic asks of its loader comes from the real one."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_real(), name)


def install() -> bool:
    """Stand in for pydantic's loader if plugins are all disabled and the loader is not imported yet."""
    if LOADER in sys.modules or os.environ.get(ENV) not in ALL_DISABLED:
        return False
    sys.modules[LOADER] = sys.modules[__name__]
    return True
