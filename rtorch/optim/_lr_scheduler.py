"""R torch's learning-rate schedulers: each `step()` writes `param_groups[[i]]$lr` (R/optim-lr_scheduler.R).

`last_epoch` counts from 0 as in R torch (and PyTorch); construction makes the first `step()`.
`lr_scheduler()` builds a scheduler class as R torch's does (an R6 class there): `initialize` runs at
construction, R6's `super$initialize(...)` is `self.super_.initialize(...)` in a function given to it (as in
`nn_module()`), and plain `super().initialize(...)` in a class body.
"""
import math
import sys

from ..nn.modules._module import _init_calling, _uses_super, _with_class
from ._optimizer import is_optimizer


class _SchedulerMeta(type):
    """Gives each class that defines `initialize` an `__init__` with its signature, and lets the methods
    that use `self.super_` know which class defined them."""

    def __init__(cls, name, bases, ns):
        super().__init__(name, bases, ns)
        if "_classes" not in ns:
            cls._classes = (name, "lr_scheduler")
        for key, value in ns.items():
            if callable(value) and not isinstance(value, type) and _uses_super(value):
                type.__setattr__(cls, key, _with_class(value, cls))
        if "initialize" in ns and "__init__" not in ns:
            type.__setattr__(cls, "__init__", _init_calling(cls.__dict__["initialize"]))


class LRScheduler(metaclass=_SchedulerMeta):
    """R torch's `LRScheduler`, the base every `lr_*` scheduler inherits: subclasses (or `lr_scheduler()`)
    give `initialize` and `get_lr()`."""

    _classes = ("LRScheduler",)

    def __init__(self, *args, **kwargs):
        self.initialize(*args, **kwargs)

    @property
    def super_(self):
        """R6's `super`: the parent of the class whose method is running, bound to `self`."""
        stack = self.__dict__.get("_class_stack")
        cls = stack[-1] if stack else type(self)
        return super(cls, self)

    def initialize(self, optimizer, last_epoch=-1, verbose=False):
        if not is_optimizer(optimizer):
            raise TypeError("not an optimizer")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise ValueError("param 'inital_lr' is not specified.")
        self.base_lrs = [g["initial_lr"] for g in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.verbose = verbose
        self._step_count = 0
        self.step()

    def get_lr(self):
        raise NotImplementedError("get_lr() is not implemented: give `get_lr` to lr_scheduler()")

    def get_last_lr(self):
        return self._last_lr

    def print_lr(self, is_verbose, group, lr):
        """R torch's message when `verbose = TRUE` (R's `inform()`, here to stderr); `group` is 1-based."""
        if is_verbose:
            sys.stderr.write("Adjusting learning rate of group %s to %.4f\n" % (group, lr))

    def step(self):
        self._step_count += 1
        self.last_epoch += 1
        values = self.get_lr()
        if not hasattr(values, "__len__"):
            values = [values]
        groups = self.optimizer.param_groups
        if len(values) != len(groups):
            raise ValueError(f"get_lr() returned {len(values)} learning rates for {len(groups)} param_groups")
        for i, (group, lr) in enumerate(zip(groups, values), 1):
            group["lr"] = float(lr)
            self.print_lr(self.verbose, i, group["lr"])
        self._last_lr = [g["lr"] for g in self.optimizer.param_groups]

    def state_dict(self):
        return {k: v for k, v in vars(self).items()
                if k not in ("optimizer", "_class_stack") and not callable(v)}

    def load_state_dict(self, state_dict):
        vars(self).update(state_dict)

    def _lrs(self):
        return [g["lr"] for g in self.optimizer.param_groups]


def lr_scheduler(classname=None, inherit=LRScheduler, parent_env=None, **methods):
    """R torch's `lr_scheduler(classname, inherit = LRScheduler, ..., parent_env)`: a new scheduler class
    named `classname` that inherits `inherit` (LRScheduler or any `lr_*` scheduler), with `methods`
    (functions taking `self` first) and fields. `get_lr()` returns one learning rate per param group;
    `initialize` runs at construction and normally ends with `self.super_.initialize(optimizer, last_epoch,
    verbose)`, which stores `base_lrs` and makes the first step. R returns a generator function; here the
    class (calling it builds the scheduler). `parent_env` (R6's enclosing environment) has no Python
    meaning and is ignored."""
    if not (isinstance(inherit, type) and issubclass(inherit, LRScheduler)):
        raise TypeError("`inherit` must be an lr_scheduler")
    ns = {"_classes": ((classname,) if classname else ()) + ("lr_scheduler",), "__module__": __name__}
    ns.update(methods)
    return _SchedulerMeta(classname or "lr_scheduler", (inherit,), ns)


def _per_group(optimizer, fn, name="lr_lambda"):
    if not isinstance(fn, (list, tuple)):
        return [fn] * len(optimizer.param_groups)
    if len(fn) != len(optimizer.param_groups):
        raise ValueError(f"{name} length ({len(fn)}) is different from the number of optimizer$param_grpups "
                         f"({len(optimizer.param_groups)})")
    return list(fn)


class lr_lambda(LRScheduler):
    """`lr = initial_lr * lr_lambda(epoch)`."""

    def initialize(self, optimizer, lr_lambda, last_epoch=-1, verbose=False):
        self.lr_lambdas = _per_group(optimizer, lr_lambda)
        super().initialize(optimizer, last_epoch, verbose)

    def get_lr(self):
        return [b * f(self.last_epoch) for b, f in zip(self.base_lrs, self.lr_lambdas)]


class lr_multiplicative(LRScheduler):
    """`lr = lr * lr_lambda(epoch)` from the second step on."""

    def initialize(self, optimizer, lr_lambda, last_epoch=-1, verbose=False):
        self.lr_lambdas = _per_group(optimizer, lr_lambda)
        super().initialize(optimizer, last_epoch, verbose)

    def get_lr(self):
        if self.last_epoch > 0:
            return [lr * f(self.last_epoch) for lr, f in zip(self._lrs(), self.lr_lambdas)]
        return list(self.base_lrs)


class lr_step(LRScheduler):
    """Multiplies the rate by `gamma` every `step_size` epochs."""

    def initialize(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size, self.gamma = step_size, gamma
        super().initialize(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._lrs()
        return [lr * self.gamma for lr in self._lrs()]


class lr_cosine_annealing(LRScheduler):
    """PyTorch's recursive cosine schedule, as R torch writes it."""

    def initialize(self, optimizer, T_max, eta_min=0, last_epoch=-1, verbose=False):
        self.T_max, self.eta_min = T_max, eta_min
        super().initialize(optimizer, last_epoch, verbose)

    def get_lr(self):
        e, T, lo = self.last_epoch, self.T_max, self.eta_min
        if e == 0:
            return self._lrs()
        if self._step_count == 1 and e > 0:
            return [lo + (b - lo) * (1 + math.cos(e * math.pi / T)) / 2 for b in self.base_lrs]
        if (e - 1 - T) % (2 * T) == 0:
            return [lr + (b - lo) * (1 - math.cos(math.pi / T)) / 2 for lr, b in zip(self._lrs(), self.base_lrs)]
        return [(1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T)) * (lr - lo) + lo
                for lr in self._lrs()]


def _annealing_cos(start, end, pct):
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def _annealing_linear(start, end, pct):
    return (end - start) * pct + start


_ANNEAL = {"cos": _annealing_cos, "linear": _annealing_linear}


def _format_param(name, optimizer, value):
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(f"expected {len(optimizer.param_groups)} values for {name}but got {len(value)}")
        return list(value)
    return [value] * len(optimizer.param_groups)


class lr_one_cycle(LRScheduler):
    """The 1cycle policy: up from `max_lr / div_factor` to `max_lr` over `pct_start` of the steps, then down
    to `initial_lr / final_div_factor`; momentum (or Adam's beta1) cycles the other way."""

    def initialize(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3,
                 anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85, max_momentum=0.95,
                 div_factor=25.0, final_div_factor=1e4, last_epoch=-1, verbose=False):
        if total_steps is None and epochs is None and steps_per_epoch is None:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        if total_steps is not None:
            if total_steps <= 0:
                raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
            self.total_steps = total_steps
        else:
            if epochs is None or epochs <= 0:
                raise ValueError(f"Expected positive integer epochs, but got {epochs}")
            if steps_per_epoch is None or steps_per_epoch <= 0:
                raise ValueError(f"Expected positive integer steps_per_epoch, but got {steps_per_epoch}")
            self.total_steps = epochs * steps_per_epoch
        self.step_size_up = pct_start * self.total_steps - 1
        self.step_size_down = self.total_steps - self.step_size_up - 1
        if not 0 <= pct_start <= 1:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in _ANNEAL:
            raise ValueError(f"anneal_strategy must by one of 'cos' or 'linear', instead got {anneal_strategy}")
        self.anneal_func = _ANNEAL[anneal_strategy]
        groups = optimizer.param_groups
        if last_epoch == -1:
            for g, m in zip(groups, _format_param("max_lr", optimizer, max_lr)):
                g["initial_lr"] = m / div_factor
                g["max_lr"] = m
                g["min_lr"] = g["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError("optimizer must support momentum with `cycle momentum` enabled")
            self.use_beta1 = "betas" in optimizer.defaults
            if last_epoch == -1:
                for g, hi, lo in zip(groups, _format_param("max_momentum", optimizer, max_momentum),
                                     _format_param("base_momentum", optimizer, base_momentum)):
                    self._set_momentum(g, hi)
                    g["max_momentum"], g["base_momentum"] = hi, lo
        super().initialize(optimizer, last_epoch, verbose)

    def _set_momentum(self, group, value):
        if self.use_beta1:
            group["betas"] = (value, group["betas"][1])
        else:
            group["momentum"] = value

    def get_lr(self):
        n = self.last_epoch
        if n > self.total_steps:
            raise ValueError(f"Tried to step {n + 1} times. The specified number of total steps is "
                             f"{self.total_steps}")
        up = n <= self.step_size_up
        pct = n / self.step_size_up if up else (n - self.step_size_up) / self.step_size_down
        lrs = []
        for g in self.optimizer.param_groups:
            lr_ends = (g["initial_lr"], g["max_lr"]) if up else (g["max_lr"], g["min_lr"])
            lrs.append(self.anneal_func(*lr_ends, pct))
            if self.cycle_momentum:
                m_ends = (g["max_momentum"], g["base_momentum"]) if up else (g["base_momentum"], g["max_momentum"])
                self._set_momentum(g, self.anneal_func(*m_ends, pct))
        return lrs


class lr_reduce_on_plateau(LRScheduler):
    """Divides the rate by `1 / factor` once `metrics` stop improving for `patience` epochs;
    `sched.step(metrics)`."""

    _BETTER = {("min", "rel"): lambda a, best, t: a < best * (1 - t),
               ("min", "abs"): lambda a, best, t: a < best - t,
               ("max", "rel"): lambda a, best, t: a > best * (t + 1),
               ("max", "abs"): lambda a, best, t: a > best + t}

    def initialize(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel",
                 cooldown=0, min_lr=0, eps=1e-8, verbose=False):
        if factor >= 1.0:
            raise ValueError("Factor should be < 1.0")
        self.optimizer, self.factor = optimizer, factor
        self.min_lrs = _format_param("min_lrs", optimizer, min_lr)
        if mode not in ("min", "max"):
            raise ValueError(f"mode {mode} is unknown!")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold mode {threshold_mode} is unknown!")
        self.patience, self.verbose, self.cooldown, self.mode = patience, verbose, cooldown, mode
        self.threshold, self.threshold_mode, self.eps = threshold, threshold_mode, eps
        self.last_epoch = 0
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.best, self.cooldown_counter, self.num_bad_epochs = self.mode_worse, 0, 0
        self._last_lr = [g["lr"] for g in optimizer.param_groups]

    def step(self, metrics):
        current = float(metrics)
        self.last_epoch += 1
        if self._BETTER[self.mode, self.threshold_mode](current, self.best, self.threshold):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for g, lo in zip(self.optimizer.param_groups, self.min_lrs):
                new_lr = max(g["lr"] * self.factor, lo)
                if g["lr"] - new_lr > self.eps:
                    g["lr"] = new_lr
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = [g["lr"] for g in self.optimizer.param_groups]

    def get_last_lr(self):
        return self._last_lr
