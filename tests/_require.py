"""Import an optional engine for a test; in CI a missing engine fails instead of skipping."""
import importlib
import os

import pytest


def require(name):
    try:
        module = importlib.import_module(name)
        if name.startswith("rpy2"):  # rtorch.r takes R's folders off LD_LIBRARY_PATH again once R has started
            importlib.import_module("rtorch.r")
        return module
    except ImportError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI but cannot be imported: {exc}")
        pytest.skip(f"{name} not installed")
