"""Shared fixtures: project paths and the optional ../shared data folder."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir():
    """../shared, or skip where it is absent (e.g. a bare clone)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED
