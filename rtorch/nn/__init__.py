"""R torch's neural network stack: modules (`nn_*`), functional forms (`nnf_*`) and initialisers
(`nn_init_*`), written on the tensor core's recorded operations so that autograd comes free."""
from . import functional, init, modules
from .functional import *   # noqa: F401,F403
from .init import *         # noqa: F401,F403
from .modules import *      # noqa: F401,F403

__all__ = functional.__all__ + init.__all__ + modules.__all__
