"""R torch's functional forms (`nnf_*`), one file per family as R torch's R/nnf-*.R."""
from . import _activation, _linear
from . import _dropout, _loss, _normalization, _sparse
from ._activation import *   # noqa: F401,F403
from ._linear import *       # noqa: F401,F403
from ._dropout import *      # noqa: F401,F403
from ._loss import *         # noqa: F401,F403
from ._normalization import *  # noqa: F401,F403
from ._sparse import *       # noqa: F401,F403
from . import _conv, _pooling
from ._conv import *       # noqa: F401,F403
from ._pooling import *    # noqa: F401,F403
from . import _padding, _distance
from ._padding import *    # noqa: F401,F403
from ._distance import *   # noqa: F401,F403
from . import _upsampling, _pixelshuffle, _fold
from ._upsampling import *  # noqa: F401,F403
from ._pixelshuffle import *  # noqa: F401,F403
from ._fold import *       # noqa: F401,F403
from . import _pooling3d
from ._pooling3d import *  # noqa: F401,F403
from . import _lppool
from ._lppool import *     # noqa: F401,F403
from . import _instancenorm, _gumbel
from ._instancenorm import *  # noqa: F401,F403
from ._gumbel import *     # noqa: F401,F403

FAMILIES = [_activation, _linear, _dropout, _loss, _normalization, _sparse, _conv, _pooling, _padding, _distance, _upsampling, _pixelshuffle, _fold, _pooling3d, _lppool, _instancenorm, _gumbel]
__all__ = [name for m in FAMILIES for name in m.__all__]
