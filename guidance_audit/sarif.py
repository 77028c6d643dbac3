"""Kept so that existing imports work: this module moved to :mod:`guidance_audit.reports.sarif`.

The old name is the same module object, so every name (and any patch made through it) is shared."""
import sys
from typing import TYPE_CHECKING

from .reports import sarif as _moved

if TYPE_CHECKING:
    from .reports.sarif import *  # noqa: F401,F403

sys.modules[__name__] = _moved
