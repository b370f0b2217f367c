"""R torch's `optim_ignite_*` optimizers (R/ignite.R): `OptimizerIgnite` wraps libtorch's C++ optimizers.

The updates are rtorch's `optim_sgd`, `optim_adam`, `optim_adamw`, `optim_rmsprop`, `optim_adagrad`
(torch.optim's single-tensor step); an ignite class adds what R torch's ignite layer does differently:

- `state_dict()` lists, for each parameter that has a state, the fixed set of entries libtorch keeps
  (Adam: `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`, `step`), `step` as a one-element long tensor and an
  entry libtorch leaves undefined as an empty float tensor; `load_state_dict()` checks it as R torch does;
- assigning `opt.param_groups` must keep each group's parameters (R torch's active binding);
- `zero_grad()` drops the gradients (libtorch's `zero_grad(set_to_none = true)`);
- Adagrad's state is made at construction for the first group's parameters, as libtorch does.

libtorch's C++ Adam and RMSprop move their averages with `mul_(beta).add_(grad, 1 - beta)` where
torch.optim (and rtorch) use `lerp_`: the two differ by float32 rounding only.
"""
from .._creation import torch_empty, torch_tensor
from .._dtypes import torch_float32, torch_long
from .._tensor import Tensor
from ..autograd import with_no_grad
from ._first_order import optim_adagrad, optim_adam, optim_adamw, optim_rmsprop, optim_sgd
from ._optimizer import REQUIRED, Optimizer, optimizer

__all__ = ["OptimizerIgnite", "optim_ignite_adagrad", "optim_ignite_adam", "optim_ignite_adamw",
           "optim_ignite_rmsprop", "optim_ignite_sgd"]


def _param_list(params):
    if isinstance(params, Tensor):
        return [params]
    if isinstance(params, dict):
        return list(params.values())
    return list(params)


def _scalar(v):
    """A value as R hands it back (a length-one vector after `torch_load()`) as a Python scalar."""
    if isinstance(v, Tensor):
        v = v.item()
    if isinstance(v, (list, tuple)) and len(v) == 1:
        v = v[0]
    return v.item() if hasattr(v, "item") and getattr(v, "size", 1) == 1 else v


def _index(v):
    v = _scalar(v)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v):
        return None
    return int(v)


def _option(default, value):
    """Options are libtorch's doubles and bools; `betas` a pair of doubles."""
    if isinstance(default, tuple):
        flat = [_scalar(x) for x in (value.tolist() if hasattr(value, "tolist") else value)]
        return tuple(float(x) for x in flat)
    value = _scalar(value)
    if isinstance(default, bool):
        return bool(value)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class OptimizerIgnite:
    """The ignite layer, mixed in before the rtorch optimizer whose update it uses."""

    _state_names = ()
    _classes = ("OptimizerIgnite",)

    def __init__(self, params, **options):
        if not isinstance(params, (Tensor, dict)):
            params = list(params)
        if isinstance(params, (list, dict)) and not params:
            raise ValueError("The `params` must have length > 0.")
        super().__init__(params, **options)

    @property
    def param_groups(self):
        return self.__dict__["_param_groups"]

    @param_groups.setter
    def param_groups(self, value):
        d = self.__dict__
        if "_param_groups" not in d:
            d["_param_groups"] = value
            return
        prev = d["_param_groups"]
        if not isinstance(value, (list, tuple)) or len(value) != len(prev):
            raise ValueError("Parameter groups must be a list of the same length as the number of parameter groups.")
        names = ("params",) + tuple(self.defaults)
        all_params = self._all_params()
        for old, new in zip(prev, value):
            if not all(n in new for n in names):
                raise ValueError(f"Parameter groups must include names '{', '.join(names)}' but only included "
                                 f"'{', '.join(new)}'.")
            ps = new["params"]
            ps = ps.tolist() if hasattr(ps, "tolist") and not isinstance(ps, Tensor) else _param_list(ps)
            if ps and not any(isinstance(p, Tensor) for p in ps):
                ps = [all_params[i - 1] if i is not None and 1 <= i <= len(all_params) else None
                      for i in map(_index, ps)]
            if len(ps) != len(old["params"]) or any(a is not b for a, b in zip(ps, old["params"])):
                raise ValueError("Cannot change the parameter groups, use `$add_param_group()` to add a new "
                                 "parameter group.")
        for old, new in zip(prev, value):
            params = old["params"]
            old.clear()
            old["params"] = params
            old.update((k, _option(self.defaults[k], v) if k in self.defaults else v)
                       for k, v in new.items() if k != "params")

    def add_param_group(self, param_group):
        """R torch: the group's options, completed from `defaults`, are checked as the constructor checks
        them; a parameter may be in one group only (libtorch)."""
        if not isinstance(param_group, dict):
            raise ValueError("`param_group` is not named")
        ps = param_group.get("params")
        ps = _param_list(ps) if isinstance(ps, (Tensor, dict, list, tuple)) else None
        if not ps or not all(isinstance(p, Tensor) for p in ps):
            raise ValueError("The `params` must be a list of tensors.")
        seen = {id(p) for g in self.__dict__.get("_param_groups", ()) for p in g["params"]}
        if len({id(p) for p in ps}) != len(ps) or any(id(p) in seen for p in ps):
            raise ValueError("some parameters appear in more than one parameter group")
        self._assert_params(**{k: param_group.get(k, v) for k, v in self.defaults.items()})
        super().add_param_group(param_group)

    def zero_grad(self):
        """libtorch's `zero_grad()`: every gradient is dropped (set to undefined)."""
        super().zero_grad(set_to_none=True)

    def _ignite_entry(self, state, name):
        value = state.get(name)
        if name == "step":
            return torch_tensor([int(value)], dtype=torch_long())
        if value is None:
            return torch_empty(0, dtype=torch_float32())
        return value.detach().clone()

    def state_dict(self):
        """`list(param_groups, state)`: param_groups with `params` as 1-based indices; state named by the
        index of each parameter that has one, in param-group order."""
        params = self._all_params()
        index = {id(p): i for i, p in enumerate(params, 1)}
        groups = [dict(g, params=[index[id(p)] for p in g["params"]]) for g in self.param_groups]
        state = {}
        with with_no_grad():
            for p in params:
                st = self.state.get(id(p))
                if st:
                    state[str(index[id(p)])] = {n: self._ignite_entry(st, n) for n in self._state_names}
        return {"param_groups": groups, "state": state}

    def load_state_dict(self, state_dict):
        if not isinstance(state_dict, dict) or not all(k in state_dict for k in ("param_groups", "state")):
            raise ValueError("The `state_dict` must be a list with elements 'param_groups' and 'state'.")
        states = state_dict["state"]
        missing = [i for i in self.state_dict()["state"] if i not in states]
        if missing:
            raise ValueError(f"To-be loaded state dict is missing states for parameters {', '.join(missing)}.")
        for i, st in states.items():
            if tuple(st) != self._state_names:
                raise ValueError(f"The {i}-th state has elements with names {', '.join(self._state_names)} but got "
                                 f"{', '.join(st)}.")
        params = self._all_params()
        self.param_groups = state_dict["param_groups"]
        with with_no_grad():
            for i, st in states.items():
                mine = {}
                for name, value in st.items():
                    if name == "step":
                        mine["step"] = int(value.item()) if isinstance(value, Tensor) else int(value)
                    elif value.numel() != 0:
                        mine[name] = value.detach().clone()
                self.state[id(params[int(i) - 1])] = mine
        return self


class optim_ignite_sgd(OptimizerIgnite, optim_sgd):
    """R torch's `optim_ignite_sgd(params, lr = optim_required(), momentum = 0, dampening = 0,
    weight_decay = 0, nesterov = FALSE)`: `optim_sgd`'s update; a state (`momentum_buffer`) only where
    `momentum` is not 0, as libtorch's."""

    _state_names = ("momentum_buffer",)

    def __init__(self, params, lr=REQUIRED, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        super().__init__(params, lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                         nesterov=nesterov)


class optim_ignite_adam(OptimizerIgnite, optim_adam):
    """R torch's `optim_ignite_adam(params, lr = 1e-3, betas = c(0.9, 0.999), eps = 1e-8, weight_decay = 0,
    amsgrad = FALSE)`: `optim_adam`'s update."""

    _state_names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step")

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)


class optim_ignite_adamw(OptimizerIgnite, optim_adamw):
    """R torch's `optim_ignite_adamw(params, lr = 1e-3, betas = c(0.9, 0.999), eps = 1e-8,
    weight_decay = 1e-2, amsgrad = FALSE)`: `optim_adamw`'s update."""

    _state_names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step")

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)


class optim_ignite_rmsprop(OptimizerIgnite, optim_rmsprop):
    """R torch's `optim_ignite_rmsprop(params, lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0,
    momentum = 0, centered = FALSE)`: `optim_rmsprop`'s update."""

    _state_names = ("grad_avg", "square_avg", "momentum_buffer", "step")

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
        super().__init__(params, lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                         centered=centered)


class optim_ignite_adagrad(OptimizerIgnite, optim_adagrad):
    """R torch's `optim_ignite_adagrad(params, lr = 1e-2, lr_decay = 0, weight_decay = 0,
    initial_accumulator_value = 0, eps = 1e-10)`: `optim_adagrad`'s update. libtorch makes the state
    (`step` 0, `sum` filled with `initial_accumulator_value`) of the first group's parameters at
    construction, so they are in `state_dict()` before any step; a group added later gets its state at its
    first step (where libtorch's step fails on the missing state)."""

    _state_names = ("sum", "step")

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10):
        super().__init__(params, lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                         initial_accumulator_value=initial_accumulator_value, eps=eps)
        group = self.param_groups[0]
        with with_no_grad():
            for p in group["params"]:
                self._init_state(group, p, self._state_of(p))


def optimizer_ignite(name=None, inherit=None, private=None, active=None, parent_env=None, **methods):
    """R torch's `optimizer_ignite(name, ..., private, active)`: an optimizer class of the ignite family (R
    class `optim_ignite`: the ignite state dict, `zero_grad()` drops the grads). R torch's wrap a libtorch
    optimizer through private methods; rtorch's ignite optimizers are its own, so `inherit` names the one to
    build on: an `optim_ignite_*` class, or another rtorch optimizer class, given the ignite layer."""
    if not (isinstance(inherit, type) and issubclass(inherit, Optimizer)):
        raise TypeError("optimizer_ignite() needs `inherit`: an optim_ignite_* or other rtorch optimizer class "
                        "(rtorch has no libtorch optimizer to wrap)")
    base = inherit if issubclass(inherit, OptimizerIgnite) else type(inherit)(
        "OptimizerIgnite_" + inherit.__name__, (OptimizerIgnite, inherit), {"__module__": __name__, "_classes": ()})
    names = list(name) if isinstance(name, (list, tuple)) else ([name] if name else [])
    return optimizer(names + ["optim_ignite"], inherit=base, private=private, active=active, **methods)
