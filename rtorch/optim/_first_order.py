"""optim_sgd, optim_adam, optim_adamw, optim_rmsprop, optim_adagrad, optim_adadelta, optim_rprop,
optim_asgd.

Each `_update` repeats torch.optim's single-tensor step (what PyTorch runs on CPU by default) on the
parameter's float32 array: the same operations, in the same order. Where R torch differs: its Adam family
adds the weight decay into `param$grad` in place, PyTorch (and rtorch) into a copy, so `p.grad` is left
as the backward made it.
"""
import numpy as np

from ..autograd import with_enable_grad, with_no_grad
from ._optimizer import REQUIRED, Optimizer, _bump


def _check(conds):
    for bad, msg in conds:
        if bad:
            raise ValueError(msg)


def _fma(a, b, c):
    """a * b + c rounded once to float32, as libtorch's vectorised CPU kernels compute `add(alpha=)` and
    `lerp` (a fused multiply-add); the float64 product of two float32 values is exact."""
    return (np.float64(c.dtype.type(a)) * b.astype(np.float64) + c).astype(c.dtype)


def _add_(x, other, alpha):
    """x.add_(other, alpha = alpha)."""
    x[...] = _fma(alpha, other, x)


def _lerp_(x, end, weight):
    """x.lerp_(end, weight) for weight < 0.5: x + weight * (end - x), fused."""
    x[...] = _fma(weight, end - x, x)


def _decayed(grad, data, wd):
    return _fma(wd, data, grad) if wd != 0 else grad   # grad.add(param, alpha = wd)


def _addcmul_(acc, a, b, value):
    """acc.addcmul_(a, b, value = value): libtorch fuses (value * a) * b + acc."""
    acc[...] = ((a * acc.dtype.type(value)).astype(np.float64) * b + acc).astype(acc.dtype)


def _addcdiv_(acc, a, b, value):
    acc += a * value / b                                # libtorch: self + value * t1 / t2


class optim_sgd(Optimizer):
    """R torch's `optim_sgd(params, lr, momentum = 0, dampening = 0, weight_decay = 0, nesterov = FALSE)`."""

    def __init__(self, params, lr=REQUIRED, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        self._assert_params(lr, momentum, dampening, weight_decay, nesterov)
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov))

    @staticmethod
    def _assert_params(lr, momentum, dampening, weight_decay, nesterov):
        """R torch's `assert_sgd_params()`."""
        _check([(lr is REQUIRED, "Need to specify a learning rate"),
                (lr is not REQUIRED and lr < 0, f"Invalid learning rate: {lr}"),
                (momentum < 0, f"Invalid momentum value: {momentum}"),
                (weight_decay < 0, f"Invalid weight_decay value: {weight_decay}"),
                (nesterov and (momentum <= 0 or dampening != 0),
                 "Nesterov momentum requires a momentum and zero dampening")])

    def _update(self, group, p, grad, state):
        d = p._data
        grad = _decayed(grad, d, group["weight_decay"])
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = self._zeros(p)
                buf._data[...] = grad
            else:
                b = buf._data
                b *= momentum
                _add_(b, grad, 1 - group["dampening"])
            grad = _fma(momentum, buf._data, grad) if group["nesterov"] else buf._data
        _add_(d, grad, -group["lr"])


def _adam_checks(lr, betas, eps, weight_decay, amsgrad=False):
    """R torch's `assert_adam_params()`."""
    _check([(lr < 0, f"Invalid learning rate: {lr}"), (eps < 0, f"Invalid eps: {eps}"),
            (not 0 <= betas[0] <= 1, "Invalid beta parameter at index 1"),
            (not 0 <= betas[1] <= 1, "Invalid beta parameter at index 2"),
            (weight_decay < 0, f"Invalid weight decay value: {weight_decay}")])


class optim_adam(Optimizer):
    """R torch's `optim_adam(params, lr = 1e-3, betas = c(0.9, 0.999), eps = 1e-8, weight_decay = 0,
    amsgrad = FALSE)`."""

    _decoupled = False
    _assert_params = staticmethod(_adam_checks)

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False):
        betas = tuple(float(b) for b in betas)
        _adam_checks(lr, betas, eps, weight_decay, amsgrad)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad))

    def step(self, closure=None):
        """`Optimizer.step`, with a group's parameters updated together where they can be: the same
        elementwise operations on one array that joins every gradient (and the moments, kept as views into
        one array each), so each operation is one NumPy call per group instead of one per parameter; the
        values are the same as the per-parameter update's to the bit."""
        loss = None
        if closure is not None:
            with with_enable_grad():
                loss = closure()
        with with_no_grad():
            for group in self.param_groups:
                if self._step_joined(group):
                    continue
                for p in group["params"]:
                    g = p._grad
                    if g is None:
                        continue
                    self._update(group, p, g._data, self._state_of(p))
                    _bump(p)
        return loss

    def _joined(self, group, params):
        """The group's moments as views into one array each (made or rebuilt when the parameters or the
        state tensors changed); None where the per-parameter update must run."""
        cache = self.__dict__.setdefault("_joined_cache", {})
        key = id(group)
        plan = cache.get(key)
        states = [self.state.get(id(p)) for p in params]
        if plan is not None and len(plan[0]) == len(params) and all(a is b for a, b in zip(plan[0], params)):
            flat_m, flat_v, views_m, views_v = plan[1:5]
            if all(st and st["exp_avg"]._data is vm and st["exp_avg_sq"]._data is vv and vm.base is flat_m
                   and vv.base is flat_v for st, vm, vv in zip(states, views_m, views_v)):
                return plan
        dtype = params[0]._data.dtype
        if any(p._data.dtype != dtype for p in params):
            return None
        if all(not st for st in states):
            fresh = True
        elif all(st and "exp_avg" in st and "exp_avg_sq" in st and "max_exp_avg_sq" not in st
                 and st["step"] == states[0]["step"] for st in states):
            fresh = False
            for st, p in zip(states, params):
                for name in ("exp_avg", "exp_avg_sq"):
                    a = st[name]._data
                    if type(a) is not np.ndarray or a.dtype != dtype or a.shape != p._data.shape:
                        return None
        else:
            return None
        sizes = [p._data.size for p in params]
        offsets = np.cumsum([0] + sizes).tolist()
        flat_m = np.zeros(offsets[-1], dtype)
        flat_v = np.zeros(offsets[-1], dtype)
        views_m, views_v = [], []
        for i, (p, st) in enumerate(zip(params, states)):
            shape = p._data.shape
            vm = flat_m[offsets[i]:offsets[i + 1]].reshape(shape)
            vv = flat_v[offsets[i]:offsets[i + 1]].reshape(shape)
            if fresh:
                st = self._state_of(p)
                st["step"] = 0
                st["exp_avg"], st["exp_avg_sq"] = self._zeros(p), self._zeros(p)
            vm[...] = st["exp_avg"]._data
            vv[...] = st["exp_avg_sq"]._data
            st["exp_avg"]._data, st["exp_avg_sq"]._data = vm, vv
            views_m.append(vm)
            views_v.append(vv)
        plan = cache[key] = (list(params), flat_m, flat_v, views_m, views_v, offsets)
        return plan

    def _step_joined(self, group):
        """One Adam step for the whole group on joined arrays; False (nothing done) where it does not
        apply: amsgrad, arrays that are not NumPy's, mixed dtypes, parameters at different steps."""
        if group["amsgrad"]:
            return False
        params = [p for p in group["params"] if p._grad is not None]
        if len(params) < 2:
            return False
        for p in params:
            if type(p._data) is not np.ndarray or type(p._grad._data) is not np.ndarray:
                return False
        plan = self._joined(group, params)
        if plan is None:
            return False
        _, m, v, _, _, offsets = plan
        dtype = m.dtype
        grads = [p._grad._data for p in params]
        if any(g.dtype != dtype for g in grads):
            return False
        lr, wd, (beta1, beta2) = group["lr"], group["weight_decay"], group["betas"]
        state0 = self.state[id(params[0])]
        step = state0["step"] + 1
        for p in params:
            self.state[id(p)]["step"] = step
        grad = np.concatenate([g.reshape(-1) for g in grads])
        if self._decoupled:
            for p in params:
                p._data *= 1 - lr * wd
        elif wd != 0:
            grad = _fma(wd, np.concatenate([p._data.reshape(-1) for p in params]), grad)
        _lerp_(m, grad, 1 - beta1)
        v *= beta2
        _addcmul_(v, grad, grad, 1 - beta2)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        denom = np.sqrt(v) / bias_correction2 ** 0.5
        denom += group["eps"]
        update = m * -step_size
        update /= denom
        for i, p in enumerate(params):
            d = p._data
            d += update[offsets[i]:offsets[i + 1]].reshape(d.shape)
            _bump(p)
        return True

    def _update(self, group, p, grad, state):
        d = p._data
        lr, wd, (beta1, beta2) = group["lr"], group["weight_decay"], group["betas"]
        if not state:
            state["step"] = 0
            state["exp_avg"], state["exp_avg_sq"] = self._zeros(p), self._zeros(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = self._zeros(p)
        state["step"] += 1
        step = state["step"]
        if self._decoupled:
            d *= 1 - lr * wd
        else:
            grad = _decayed(grad, d, wd)
        m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
        _lerp_(m, grad, 1 - beta1)
        v *= beta2
        _addcmul_(v, grad, grad, 1 - beta2)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        if group["amsgrad"]:
            vmax = state["max_exp_avg_sq"]._data
            np.maximum(vmax, v, out=vmax)
            v = vmax
        denom = np.sqrt(v) / bias_correction2 ** 0.5
        denom += group["eps"]
        _addcdiv_(d, m, denom, -step_size)


class optim_adamw(optim_adam):
    """R torch's `optim_adamw(params, lr = 1e-3, betas = c(0.9, 0.999), eps = 1e-8, weight_decay = 1e-2,
    amsgrad = FALSE)`: Adam with the decay applied to the parameter (`param * (1 - lr * weight_decay)`)."""

    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


class optim_rmsprop(Optimizer):
    """R torch's `optim_rmsprop(params, lr = 0.01, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0,
    centered = FALSE)`."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
        self._assert_params(lr, alpha, eps, weight_decay, momentum, centered)
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered))

    @staticmethod
    def _assert_params(lr, alpha, eps, weight_decay, momentum, centered):
        """R torch's `assert_rmsprop_params()`."""
        _check([(lr < 0, f"Invalid learning rate: {lr}"), (eps < 0, f"Invalid epsilon value: {eps}"),
                (momentum < 0, f"Invalid momentum value: {momentum}"),
                (weight_decay < 0, f"Invalid weight_decay value: {weight_decay}"),
                (alpha < 0, f"Invalid alpha value: {alpha}")])

    def _update(self, group, p, grad, state):
        d = p._data
        alpha, momentum = group["alpha"], group["momentum"]
        if not state:
            state["step"] = 0
            state["square_avg"] = self._zeros(p)
            if momentum > 0:
                state["momentum_buffer"] = self._zeros(p)
            if group["centered"]:
                state["grad_avg"] = self._zeros(p)
        state["step"] += 1
        grad = _decayed(grad, d, group["weight_decay"])
        sq = state["square_avg"]._data
        sq *= alpha
        _addcmul_(sq, grad, grad, 1 - alpha)
        if group["centered"]:
            ga = state["grad_avg"]._data
            _lerp_(ga, grad, 1 - alpha)
            avg = sq.copy()
            _addcmul_(avg, ga, ga, -1)
            avg = np.sqrt(avg)
        else:
            avg = np.sqrt(sq)
        avg += group["eps"]
        if momentum > 0:
            buf = state["momentum_buffer"]._data
            buf *= momentum
            _addcdiv_(buf, grad, avg, 1)
            _add_(d, buf, -group["lr"])
        else:
            _addcdiv_(d, grad, avg, -group["lr"])


class optim_adagrad(Optimizer):
    """R torch's `optim_adagrad(params, lr = 0.01, lr_decay = 0, weight_decay = 0,
    initial_accumulator_value = 0, eps = 1e-10)`."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10):
        self._assert_params(lr, lr_decay, weight_decay, initial_accumulator_value, eps)
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps))

    @staticmethod
    def _assert_params(lr, lr_decay, weight_decay, initial_accumulator_value, eps):
        """R torch's `assert_adagrad_params()`."""
        _check([(lr < 0, f"Invalid learning rate: {lr}"), (lr_decay < 0, f"Invalid lr_decay value: {lr_decay}"),
                (weight_decay < 0, f"Invalid weight_decay value: {weight_decay}"),
                (initial_accumulator_value < 0,
                 f"Invalid initial_accumulator_value value: {initial_accumulator_value}"),
                (eps < 0, f"Invalid epsilon value: {eps}")])

    def _init_state(self, group, p, state):
        state["step"] = 0
        state["sum"] = self._zeros(p)
        state["sum"]._data[...] = group["initial_accumulator_value"]

    def _update(self, group, p, grad, state):
        d = p._data
        if not state:
            self._init_state(group, p, state)
        state["step"] += 1
        grad = _decayed(grad, d, group["weight_decay"])
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        s = state["sum"]._data
        _addcmul_(s, grad, grad, 1)
        std = np.sqrt(s)
        std += group["eps"]
        _addcdiv_(d, grad, std, -clr)


class optim_adadelta(Optimizer):
    """R torch's `optim_adadelta(params, lr = 1.0, rho = 0.9, eps = 1e-6, weight_decay = 0)`."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0):
        _check([(lr < 0, f"Invalid learning rate: {lr}"), (not 0 <= rho <= 1, f"Invalid rho value: {rho}"),
                (eps < 0, f"Invalid epsilon value: {eps}"),
                (weight_decay < 0, f"Invalid weight_decay value: {weight_decay}")])
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay))

    def _update(self, group, p, grad, state):
        d = p._data
        rho, eps = group["rho"], group["eps"]
        if not state:
            state["step"] = 0
            state["square_avg"], state["acc_delta"] = self._zeros(p), self._zeros(p)
        state["step"] += 1
        grad = _decayed(grad, d, group["weight_decay"])
        sq, acc = state["square_avg"]._data, state["acc_delta"]._data
        sq *= rho
        _addcmul_(sq, grad, grad, 1 - rho)
        std = np.sqrt(sq + eps)
        delta = np.sqrt(acc + eps)
        delta /= std
        delta *= grad
        acc *= rho
        _addcmul_(acc, delta, delta, 1 - rho)
        _add_(d, delta, -group["lr"])


class optim_rprop(Optimizer):
    """R torch's `optim_rprop(params, lr = 0.01, etas = c(0.5, 1.2), step_sizes = c(1e-6, 50))`: each
    element's step grows by etas[2] while its gradient keeps its sign, shrinks by etas[1] when it flips."""

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50)):
        etas, step_sizes = tuple(float(e) for e in etas), tuple(float(s) for s in step_sizes)
        _check([(lr < 0, f"Invalid learning rate: {lr}"),
                (etas[0] < 0 or etas[0] > 1.0 or etas[1] < 1, f"Invalid eta values: {etas[0]}, {etas[1]}")])
        super().__init__(params, dict(lr=lr, etas=etas, step_sizes=step_sizes))

    def _update(self, group, p, grad, state):
        d = p._data
        if not state:
            state["step"] = 0
            state["prev"] = self._zeros(p)
            state["step_size"] = self._zeros(p)
            state["step_size"]._data[...] = group["lr"]
        state["step"] += 1
        ft = d.dtype.type
        etaminus, etaplus = (ft(e) for e in group["etas"])
        prev, size = state["prev"]._data, state["step_size"]._data
        factor = np.sign(grad * prev)
        factor[factor > 0] = etaplus          # the same three masked writes, in libtorch's order
        factor[factor < 0] = etaminus
        factor[factor == 0] = 1
        size *= factor
        np.clip(size, ft(group["step_sizes"][0]), ft(group["step_sizes"][1]), out=size)
        grad = grad.copy()
        grad[factor == etaminus] = 0
        d -= np.sign(grad) * size
        prev[...] = grad


class optim_asgd(Optimizer):
    """R torch's `optim_asgd(params, lr = 0.01, lambda = 1e-4, alpha = 0.75, t0 = 1e6, weight_decay = 0)`;
    `lambda` is a Python keyword, so the argument is `lambda_` (what `rtorch port` writes for it) and the
    group's entry keeps R's name, `"lambda"`. As in R torch, eta and mu are R doubles, not float32 tensors
    (PyTorch's), and the average `ax` moves by mu once mu drops below 1 (R torch's code calls `$add_` on
    the number mu there, an error; this follows PyTorch's `ax.add_((p - ax) * mu)`)."""

    def __init__(self, params, lr=1e-2, lambda_=1e-4, alpha=0.75, t0=1e6, weight_decay=0):
        _check([(lr < 0, f"Invalid learning rate: {lr}"),
                (weight_decay < 0, f"Invalid weight_decay value: {weight_decay}")])
        super().__init__(params, {"lr": lr, "lambda": lambda_, "alpha": alpha, "t0": t0,
                                  "weight_decay": weight_decay})

    def _update(self, group, p, grad, state):
        d = p._data
        if not state:
            state.update(step=0, eta=float(group["lr"]), mu=1.0, ax=self._zeros(p))
        state["step"] += 1
        grad = _decayed(grad, d, group["weight_decay"])
        d *= d.dtype.type(1 - group["lambda"] * state["eta"])
        _add_(d, grad, -state["eta"])
        ax = state["ax"]._data
        if state["mu"] != 1:
            ax += (d - ax) * d.dtype.type(state["mu"])
        else:
            ax[...] = d
        state["eta"] = group["lr"] / (1 + group["lambda"] * group["lr"] * state["step"]) ** group["alpha"]
        state["mu"] = 1 / max(1, state["step"] - group["t0"])
