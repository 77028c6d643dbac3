"""Kept so that existing imports work: this module moved to :mod:`guidance_audit.reports.escaping`
(the renderers use it and depend on the models only).

The old name is the same module object, so every name (and any patch made through it) is shared."""
import sys
from typing import TYPE_CHECKING

from .reports import escaping as _moved

if TYPE_CHECKING:
    from .reports.escaping import *  # noqa: F401,F403

sys.modules[__name__] = _moved
