"""R torch's `Optimizer` base: param groups, per-parameter state, `zero_grad`, `state_dict`.

Updates work on the parameters' arrays in place (NumPy or CuPy), with the float32 operations of
torch.optim's single-tensor implementations in their order, so a trajectory matches PyTorch's to float
rounding. R torch keys state by the parameter's address; here by identity, and `state_dict()` numbers the
parameters 1, 2, ... in param-group order, as R torch's does.
"""
from .._rvector import NamedList
from .._tensor import Tensor
from ._print import optimizer_text
from ..autograd import with_enable_grad, with_no_grad
from .._creation import torch_zeros_like
from ..nn.modules._module import _init_calling, _uses_super, _with_class


class _Required:
    def __repr__(self):
        return "optim_required()"


REQUIRED = _Required()


def optim_required():
    """R torch's marker for an option without a default (`lr` of `optim_sgd`)."""
    return REQUIRED


def _as_groups(params):
    if isinstance(params, Tensor):
        return [{"params": [params]}]
    if isinstance(params, dict):
        return [params if "params" in params else {"params": params}]
    params = list(params)
    if params and isinstance(params[0], Tensor):
        return [{"params": params}]
    if params and all(isinstance(g, dict) for g in params):
        return params
    raise ValueError("Wrong parameters specification.")


def _bump(p):
    """An in-place update bumps the version counter, as libtorch's in-place ops do."""
    vc = p._vc
    if vc is not None:
        vc[0] += 1


class _State(dict):
    """The per-parameter state, keyed by the parameter's identity; R torch's `State` methods
    `self$state$get(param)` and `self$state$set(param, value)` take the parameter itself."""

    def get(self, key, default=None):
        return dict.get(self, id(key) if isinstance(key, Tensor) else key, default)

    def set(self, key, value):
        self[id(key) if isinstance(key, Tensor) else key] = value


class _OptimizerMeta(type):
    """Lets the methods that use `self.super_` know which class defined them (R6's `super`), and gives a
    class defining `initialize` an `__init__` that calls it."""

    def __init__(cls, name, bases, ns):
        super().__init__(name, bases, ns)
        for key, value in ns.items():
            if callable(value) and not isinstance(value, type) and _uses_super(value):
                type.__setattr__(cls, key, _with_class(value, cls))
        if "initialize" in ns and "__init__" not in ns:
            type.__setattr__(cls, "__init__", _init_calling(cls.__dict__["initialize"]))
        elif "__init__" in ns and "initialize" not in ns:
            type.__setattr__(cls, "initialize", ns["__init__"])


class Optimizer(metaclass=_OptimizerMeta):
    """Subclasses set `defaults` and implement `_update(group, p, state)` for one parameter; or, made with
    `optimizer()`, `initialize` and `step` as in R torch."""

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.param_groups = []
        self.state = _State()
        for group in _as_groups(params):
            self.add_param_group(group)

    _classes = ("torch_optimizer",)

    @property
    def _r_class(self):
        """R's `class()`: the R6 class chain, each class's names (`optimizer(name)`), then "R6"."""
        import numpy as np
        mro = type(self).__mro__
        ignite = next((c for c in mro if c.__name__ == "OptimizerIgnite"), None)
        names = []
        for cls in mro:
            if "_classes" in cls.__dict__:
                own = cls.__dict__["_classes"]
            elif ignite is None and issubclass(cls, Optimizer):
                own = (cls.__name__,)
            elif ignite is not None and issubclass(cls, ignite):
                own = (cls.__name__, "optim_ignite")
            else:
                own = ()
            names.extend(n for n in own if n not in names)
        return np.array(names + ["R6"])

    @property
    def super_(self):
        """R6's `super`: the parent of the class whose method is running, bound to `self`."""
        stack = self.__dict__.get("_class_stack")
        cls = stack[-1] if stack else type(self)
        return super(cls, self)

    def step_helper(self, closure, loop_fun):
        """R torch's `private$step_helper(closure, loop_fun)`: with recording off, `loop_fun(group, param, g,
        p)` for each parameter whose grad is defined (`g`, `p` 1-based); the closure runs with grad on."""
        loss = None
        if closure is not None:
            with with_enable_grad():
                loss = closure()
        with with_no_grad():
            for g, group in enumerate(self.param_groups, 1):
                for p, param in enumerate(group["params"], 1):
                    if param._grad is not None:
                        loop_fun(group, param, g, p)
        return loss

    def __repr__(self):
        return optimizer_text(self)

    def add_param_group(self, param_group):
        if not isinstance(param_group, dict):
            raise ValueError("`param_group` is not named")
        group = dict(param_group)
        ps = group.get("params")
        if isinstance(ps, Tensor):
            ps = [ps]
        group["params"] = NamedList(ps.values(), ps) if isinstance(ps, dict) else list(ps)
        for p in group["params"]:
            if not isinstance(p, Tensor):
                raise ValueError("optimizer can only optimize Tensors, but one of the params is "
                                 + type(p).__name__)
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if name not in group:
                if default is REQUIRED:
                    raise ValueError("parameter group didn't specify a value of required optimization "
                                     f"parameter {name}")
                group[name] = default
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=False):
        """R torch: each defined grad is detached and zeroed (or dropped with `set_to_none=True`)."""
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        p._grad.detach_()
                        p._grad.zero_()

    def _state_of(self, p):
        return self.state.setdefault(id(p), {})

    def step(self, closure=None):
        """Runs `closure` (with grad enabled) if given, then updates every parameter whose grad is defined,
        without recording. Returns the closure's loss (None without one)."""
        loss = None
        if closure is not None:
            with with_enable_grad():
                loss = closure()
        with with_no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    g = p._grad
                    if g is None:
                        continue
                    self._update(group, p, g._data, self._state_of(p))
                    _bump(p)
        return loss

    def _update(self, group, p, grad, state):
        raise NotImplementedError

    def _zeros(self, p):
        return torch_zeros_like(p.detach())

    # ---- state dicts (R torch's layout: params numbered from 1 across groups) ----
    def _all_params(self):
        return [p for g in self.param_groups for p in g["params"]]

    def state_dict(self):
        index = {id(p): i for i, p in enumerate(self._all_params(), 1)}
        state = {str(index[k]): dict(v) for k, v in self.state.items() if k in index}
        groups = [dict(g, params=[index[id(p)] for p in g["params"]]) for g in self.param_groups]
        return {"param_groups": groups, "state": state}

    def load_state_dict(self, state_dict):
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError("Loaded state dict has a different number of parameter groups")
        for mine, theirs in zip(self.param_groups, groups):
            if len(mine["params"]) != len(theirs["params"]):
                raise ValueError("Loaded state dict has contains a parameter group that doesn't match the "
                                 "size of optimizers group.")
        params = self._all_params()
        with with_no_grad():
            for i, value in state_dict["state"].items():
                self.state[id(params[int(i) - 1])] = {
                    k: (v.detach().clone() if isinstance(v, Tensor) else v) for k, v in value.items()}
        for mine, theirs in zip(self.param_groups, groups):
            mine.update({k: v for k, v in theirs.items() if k != "params"})
        return self


def is_optimizer(x):
    return isinstance(x, Optimizer)


def optimizer(name=None, inherit=Optimizer, private=None, active=None, parent_env=None, **methods):
    """R torch's `optimizer(name, inherit = Optimizer, ..., private, active)`: a new optimizer class with
    `methods` (functions taking `self` first) and fields; `initialize(self, params, ...)` ends with
    `self.super_.initialize(params, defaults)`, `step(self, closure=None)` updates the parameters (with
    `self.step_helper(closure, fn)` or under `with_no_grad()`). R returns a generator; here the class, which
    calling builds the optimizer. `private` methods become methods too (Python has no private fields),
    `active` ones properties; `parent_env` has no Python meaning and is ignored."""
    if not (isinstance(inherit, type) and issubclass(inherit, Optimizer)):
        raise TypeError("`inherit` must be an optimizer")
    ns = {"__module__": __name__, **(private or {}), **methods}
    ns.update({k: property(f, lambda self, v, f=f: f(self, v)) for k, f in (active or {}).items()})
    names = name if isinstance(name, (list, tuple)) else ([name] if name else [])
    ns["_classes"] = tuple(names)
    return type(inherit)(names[0] if names else "optimizer", (inherit,), ns)
