"""Constants and helpers the browser tests share (a plain module: tests/ is not a package)."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "artifacts" / "ui"
SCRIPT_CAMPAIGN = "<script>window.__xss=1</script>Evil_iOS"


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
