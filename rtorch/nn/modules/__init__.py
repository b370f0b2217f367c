"""R torch's modules (`nn_*`): the module system and the layers, one file per family."""
from . import (_activation, _adaptive, _attention, _aum, _container, _conv, _ctc, _distance, _dropout,
               _fractional, _linear, _loss, _module, _normalization, _pooling, _pooling3d, _rnn, _sparse,
               _sparsemax, _transformer, _upsampling, _utils, _utils_rnn, _weight_norm)

FAMILIES = [_module, _container, _linear, _activation, _dropout, _loss, _normalization, _sparse, _conv, _pooling,
            _utils, _rnn, _attention, _transformer, _distance, _upsampling, _pooling3d, _utils_rnn, _weight_norm,
            _ctc, _adaptive, _sparsemax, _aum, _fractional]
__all__ = [name for m in FAMILIES for name in m.__all__]
globals().update({name: getattr(m, name) for m in FAMILIES for name in m.__all__})
