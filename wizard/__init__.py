"""telewizard: design telemedicine clinical workflows and export a review-ready playbook."""

import os

from wizard import _plugins_off

__version__ = "0.1.0"

# telewizard uses no pydantic plugins; looking for them scans every installed package's entry points
# (~8-10 ms on each start) and a plugin found there could change how design files are validated.
# A value the user set is kept. pydantic still imports importlib.metadata to be told so (49M
# instructions, 7% of an export): the stand-in loader answers "no plugins" without it.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
_plugins_off.install()
