"""Kept so that existing imports work: this module moved to :mod:`guidance_audit.reports.html`.

The old name is the same module object, so every name (and any patch made through it) is shared."""
import sys
from typing import TYPE_CHECKING

from .reports import html as _moved

if TYPE_CHECKING:
    from .reports.html import *  # noqa: F401,F403

sys.modules[__name__] = _moved
