"""Authoring helper: validate the bundled pack and print problems for the given item slugs.

Usage: .venv/bin/python tools/check_items.py [slug ...]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wizard.content import bundled_content_dir, check_pack

pack, problems = check_pack(bundled_content_dir() / "telemedicine-clinical-workflows")
wanted = set(sys.argv[1:])
shown = [p for p in problems if not wanted or Path(p.file).stem in wanted]
for problem in shown:
    print(f"{problem.severity}: {problem}")
print(f"{len(shown)} problem(s) for {', '.join(sorted(wanted)) or 'all items'}")
