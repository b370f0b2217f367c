"""R torch's functional forms (`nnf_*`), one file per family as R torch's R/nnf-*.R."""
from . import (_activation, _attention, _aum, _conv, _convtbc, _ctc, _distance, _dropout, _fold, _fractional,
               _gumbel, _instancenorm, _linear, _loss, _lppool, _normalization, _padding, _pixelshuffle, _pooling,
               _pooling3d, _sparse, _sparsemax, _upsampling, _vision)

FAMILIES = [_activation, _linear, _dropout, _loss, _normalization, _sparse, _conv, _pooling, _attention,
            _padding, _distance, _upsampling, _pixelshuffle, _fold, _pooling3d, _lppool, _instancenorm, _gumbel,
            _vision, _convtbc, _ctc, _sparsemax, _aum, _fractional]
from ..._autocast import install as _autocast_install

__all__ = [name for m in FAMILIES for name in m.__all__]
_TABLE = {name: getattr(m, name) for m in FAMILIES for name in m.__all__}
_autocast_install(_TABLE)
globals().update(_TABLE)
