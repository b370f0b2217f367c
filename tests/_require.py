"""Import an optional engine for a test; in CI a missing engine fails instead of skipping."""
import importlib
import os

import pytest


def require(name):
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI but cannot be imported: {exc}")
        pytest.skip(f"{name} not installed")
