"""Predictor fixtures. The three trained models (``trained``) are a root fixture (tests/conftest.py):
the documented-examples test needs them too."""
from __future__ import annotations

from tests.demo_copies import AS_OF, copy_demo  # noqa: F401 - re-exported for the tests here
