"""Every image the README shows is in the repository, and docs/update_readme_images.py makes each one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_readme_image_is_committed_and_made_by_the_script():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert shown, "the README shows at least the lecture map"
    script = (ROOT / "docs" / "update_readme_images.py").read_text(encoding="utf-8")
    for path in shown:
        assert (ROOT / path).is_file(), f"README shows {path}, which is not in the repository"
        assert f'"{path}"' in script, f"{path} is not refreshed by docs/update_readme_images.py"
