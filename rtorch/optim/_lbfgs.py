"""R torch's `optim_lbfgs(params, lr = 1, max_iter = 20, max_eval = NULL, tolerance_grad = 1e-7,
tolerance_change = 1e-9, history_size = 100, line_search_fn = NULL)`; `opt.step(closure)`.

The two-loop recursion of torch.optim.LBFGS on the flattened float32 gradient. Only the fixed-step variant
(`line_search_fn = NULL`) is here; `"strong_wolfe"` raises.
"""
import numpy as np

from ..autograd import with_enable_grad, with_no_grad
from ._optimizer import Optimizer, _bump


class optim_lbfgs(Optimizer):
    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9,
                 history_size=100, line_search_fn=None):
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        if line_search_fn is not None:
            if line_search_fn != "strong_wolfe":
                raise ValueError("only strong_wolfe is supported")
            raise NotImplementedError("rtorch's optim_lbfgs has no line search yet: use line_search_fn = None")
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval, tolerance_grad=tolerance_grad,
                                      tolerance_change=tolerance_change, history_size=history_size,
                                      line_search_fn=line_search_fn))
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _flat_grad(self):
        return np.concatenate([np.zeros(p.shape, p._data.dtype).ravel() if p._grad is None
                               else p._grad._data.ravel() for p in self._params])

    def _add_grad(self, t, d):
        offset = 0
        for p in self._params:
            n = p._data.size
            p._data += (d[offset:offset + n] * t).reshape(p.shape)
            _bump(p)
            offset += n

    def step(self, closure):
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tol_grad, tol_change, history_size = group["tolerance_grad"], group["tolerance_change"], group["history_size"]

        def evaluate():
            with with_enable_grad():
                return closure()

        state = self._state_of(self._params[0])
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = evaluate()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.abs(flat_grad).max() <= tol_grad:
            return orig_loss
        f32 = flat_grad.dtype.type
        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        H_diag, prev_flat_grad, prev_loss = state.get("H_diag"), state.get("prev_flat_grad"), state.get("prev_loss")
        n_iter = 0
        with with_no_grad():
            while n_iter < max_iter:
                n_iter += 1
                state["n_iter"] += 1
                if state["n_iter"] == 1:
                    d = -flat_grad
                    old_dirs, old_stps, ro, H_diag = [], [], [], f32(1)
                else:
                    y = flat_grad - prev_flat_grad
                    s = d * t
                    ys = y.dot(s)
                    if ys > 1e-10:
                        if len(old_dirs) == history_size:
                            old_dirs.pop(0), old_stps.pop(0), ro.pop(0)
                        old_dirs.append(y), old_stps.append(s), ro.append(f32(1.0) / ys)
                        H_diag = ys / y.dot(y)
                    al = [None] * len(old_dirs)
                    q = -flat_grad
                    for i in range(len(old_dirs) - 1, -1, -1):
                        al[i] = old_stps[i].dot(q) * ro[i]
                        q += old_dirs[i] * -al[i]
                    d = r = q * H_diag
                    for i in range(len(old_dirs)):
                        be_i = old_dirs[i].dot(r) * ro[i]
                        r += old_stps[i] * (al[i] - be_i)
                prev_flat_grad = flat_grad.copy()
                prev_loss = loss
                if state["n_iter"] == 1:
                    t = min(f32(1.0), f32(1.0) / np.abs(flat_grad).sum()) * f32(lr)
                else:
                    t = lr
                gtd = flat_grad.dot(d)
                if gtd > -tol_change:
                    break
                ls_func_evals = 0
                self._add_grad(t, d)
                opt_cond = False
                if n_iter != max_iter:
                    loss = float(evaluate())
                    flat_grad = self._flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tol_grad
                    ls_func_evals = 1
                current_evals += ls_func_evals
                state["func_evals"] += ls_func_evals
                if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                    break
                if np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change:
                    break
        state.update(d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=H_diag,
                     prev_flat_grad=prev_flat_grad, prev_loss=prev_loss)
        return orig_loss
