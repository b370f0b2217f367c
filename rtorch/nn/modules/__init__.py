"""R torch's modules (`nn_*`): the module system and the layers, one file per family."""
from . import _activation, _container, _linear, _module
from . import _dropout, _loss, _normalization, _sparse
from ._activation import *   # noqa: F401,F403
from ._container import *    # noqa: F401,F403
from ._linear import *       # noqa: F401,F403
from ._module import *       # noqa: F401,F403
from ._dropout import *      # noqa: F401,F403
from ._loss import *         # noqa: F401,F403
from ._normalization import *  # noqa: F401,F403
from ._sparse import *       # noqa: F401,F403
from . import _conv, _pooling
from ._conv import *       # noqa: F401,F403
from ._pooling import *    # noqa: F401,F403
from . import _utils
from ._utils import *      # noqa: F401,F403
from . import _rnn
from ._rnn import *        # noqa: F401,F403
from . import _attention
from ._attention import *  # noqa: F401,F403
from . import _transformer
from ._transformer import *  # noqa: F401,F403

FAMILIES = [_module, _container, _linear, _activation, _dropout, _loss, _normalization, _sparse, _conv, _pooling, _utils, _rnn, _attention, _transformer]
__all__ = [name for m in FAMILIES for name in m.__all__]
