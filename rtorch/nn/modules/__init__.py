"""R torch's modules (`nn_*`): the module system and the layers, one file per family."""
from . import _activation, _container, _linear, _module
from ._activation import *   # noqa: F401,F403
from ._container import *    # noqa: F401,F403
from ._linear import *       # noqa: F401,F403
from ._module import *       # noqa: F401,F403

FAMILIES = [_module, _container, _linear, _activation]
__all__ = [name for m in FAMILIES for name in m.__all__]
