"""R torch's functional forms (`nnf_*`), one file per family as R torch's R/nnf-*.R."""
from . import _activation, _linear
from ._activation import *   # noqa: F401,F403
from ._linear import *       # noqa: F401,F403

FAMILIES = [_activation, _linear]
__all__ = [name for m in FAMILIES for name in m.__all__]
