"""print(optimizer) is R6's member list of R torch's optimizer; each method's line is R's own
`deparse(args(f))[[1]]`, checked here against R for every optimizer's `initialize`."""
import pytest

from tests._require import require

require("rpy2.robjects")
import rtorch  # noqa: E402
from rtorch.optim._print import _formals  # noqa: E402
from tests._r_oracle import r_eval  # noqa: E402

OPTIMIZERS = [rtorch.optim_sgd, rtorch.optim_adam, rtorch.optim_adamw, rtorch.optim_rmsprop, rtorch.optim_adagrad,
              rtorch.optim_adadelta, rtorch.optim_lbfgs]


@pytest.mark.parametrize("cls", OPTIMIZERS, ids=lambda c: c.__name__)
def test_initialize_line_is_rs_deparse(cls):
    model = rtorch.nn_linear(2, 1)
    opt = cls(model.parameters, lr=0.1)
    line = next(s for s in repr(opt).splitlines() if s.startswith("    initialize: "))
    formals = ", ".join(_formals(cls.__init__))
    want = str(r_eval(f"deparse(args(function({formals}) NULL))[[1]]")[0])
    assert line == "    initialize: " + want


def test_print_lists_r6_members_in_order():
    opt = rtorch.optim_adam(rtorch.nn_linear(2, 1).parameters)
    lines = repr(opt).splitlines()
    assert lines[:3] == ["<optim_adam>", "  Inherits from: <torch_optimizer>", "  Public:"]
    public = [s.split(":")[0].strip() for s in lines[3:lines.index("  Private:")]]
    assert public == sorted(public) and {"step", "zero_grad", "param_groups", "state"} <= set(public)


def test_param_groups_keep_the_parameter_names():
    model = rtorch.nn_sequential(rtorch.nn_linear(2, 3), rtorch.nn_relu(), rtorch.nn_linear(3, 1))
    opt = rtorch.optim_sgd(model.parameters, lr=0.1)
    params = opt.param_groups[0]["params"]
    assert params.names == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(p is q for p, q in zip(params, model.parameters.values()))
