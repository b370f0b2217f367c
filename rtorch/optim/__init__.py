"""R torch's optimizers (`optim_*`) and learning-rate schedulers (`lr_*`)."""
from ._first_order import (optim_adadelta, optim_adagrad, optim_adam, optim_adamw, optim_asgd,  # noqa: F401
                           optim_rmsprop, optim_rprop, optim_sgd)
from ._ignite import (OptimizerIgnite, optim_ignite_adagrad, optim_ignite_adam, optim_ignite_adamw,  # noqa: F401
                      optim_ignite_rmsprop, optim_ignite_sgd, optimizer_ignite)
from ._lbfgs import optim_lbfgs  # noqa: F401
from ._lr_scheduler import (LRScheduler, lr_cosine_annealing, lr_lambda, lr_multiplicative,  # noqa: F401
                            lr_one_cycle, lr_reduce_on_plateau, lr_scheduler, lr_step)
from ._optimizer import Optimizer, is_optimizer, optim_required, optimizer  # noqa: F401

__all__ = ["optim_sgd", "optim_adam", "optim_adamw", "optim_rmsprop", "optim_adagrad", "optim_adadelta", "optim_rprop", "optim_asgd",
           "optim_lbfgs", "optim_ignite_sgd", "optim_ignite_adam", "optim_ignite_adamw", "optim_ignite_rmsprop",
           "optim_ignite_adagrad", "OptimizerIgnite",
           "lr_step", "lr_multiplicative", "lr_lambda", "lr_one_cycle", "lr_cosine_annealing",
           "lr_reduce_on_plateau", "lr_scheduler", "is_optimizer", "optim_required", "optimizer", "optimizer_ignite"]
