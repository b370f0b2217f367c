"""Write compat/golden/*.txt: what R torch prints for each port of the blog post, computed by the real engines.

For every script in scripts/blog/ (and for `scripts/train_raw_network.py --seed 1`) this repeats the R code's
computation without rtorch:

* tensors are built and computed with PyTorch (R's 1-based positions and dims translated to 0-based; random
  snippets seeded with `torch.manual_seed`, exactly as the ports call `torch_manual_seed`) and printed by
  libtorch's own `operator<<` (compat/libtorch_oracle.py), wrapped as R torch's `print()` wraps it: the line
  `torch_tensor`, at most `n = 30` lines of libtorch's text, the truncation line, the footer, a newline;
* R values (sizes, strides, `as_array()` results, `class()`, logicals, `cat()` lines) are printed by R itself
  through rpy2 (`capture.output(print(x))`);
* R torch's own objects are written in R torch's format: a dtype prints `torch_Float` (`cat("torch_", type,
  "\\n", sep = "")`), a device `torch_device(type='cpu') ` (`cat(s, "\\n")`, hence the trailing space);
* an error prints as `Error: <libtorch's message>` (see compat/README.md).

Sections that touch the GPU get two goldens: `<name>.txt` for a machine without a usable GPU (the port prints
its skip line) and `<name>.cuda.txt` for a machine with one GPU, as in the post.

    python scripts/make_goldens.py [--out DIR] [--only NAME ...]

Needs PyTorch (the `oracle` extra), a C++ compiler, R and rpy2 (the `r` extra).
"""
import argparse
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, os.fspath(ROOT))
from scripts.raw_network import epoch  # noqa: E402

GOLDEN_DIR = ROOT / "compat" / "golden"
SKIP_LINE = "[GPU snippet skipped: cuda_is_available() is FALSE]"
TRUNCATION_LINE = "... [the output was truncated (use n=-1 to disable)]"
SEED = 1


class Session:
    """What an R session running the same code prints, collected as text."""

    def __init__(self, torch, ro, libtorch_print):
        self.torch, self.ro, self._libtorch_print = torch, ro, libtorch_print
        self._capture = ro.r("function(x) capture.output(print(x))")
        self._as_array = ro.r("function(v, d) if (length(d) <= 1L) v else aperm(array(v, dim = rev(d)))")
        self._class = ro.r("function(x) class(x)")
        self._as_integer = ro.r("function(x) as.integer(x)")
        self._cat = ro.r("function(...) capture.output(cat(...))")
        self.parts = []

    def text(self):
        return "".join(self.parts)

    def line(self, s):
        self.parts.append(s + "\n")

    def tensor(self, t, n=30):
        """R torch's `print(t, n)` of a PyTorch tensor."""
        lines = self._libtorch_print(t).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) > n > 1:
            lines = lines[:n] + [TRUNCATION_LINE, lines[-1]]
        self.parts.append("torch_tensor\n" + "\n".join(lines) + "\n")

    def r(self, value):
        """R's `print(value)` of an R object."""
        self.parts.append("".join(s + "\n" for s in self._capture(value)))

    def ints(self, values):
        return self.ro.IntVector([int(v) for v in values])

    def doubles(self, values):
        return self.ro.FloatVector([float(v) for v in values])

    def logical(self, value):
        return self.ro.BoolVector([bool(value)])

    def as_array(self, t):
        """R torch's `as_array(t)`: Float/Double -> double, integer types -> integer, Bool -> logical."""
        t = t.detach().cpu().contiguous()
        flat = t.reshape(-1).tolist()
        if t.dtype == self.torch.bool:
            v = self.ro.BoolVector(flat)
        elif t.dtype.is_floating_point:
            v = self.doubles(flat)
        else:
            v = self.ints(flat)
        return self._as_array(v, self.ints(t.shape))

    def class_(self, x):
        return self._class(x)

    def as_integer(self, x):
        return self._as_integer(x)

    def size(self, t):
        """`t$size()`: an R integer vector."""
        return self.ints(t.shape)

    def stride(self, t):
        """`t$stride()`: one libtorch int64 per dim, which R torch returns as doubles."""
        return self.doubles(t.stride())

    def dtype(self, dtype):
        name = self.torch.empty(0, dtype=dtype).type().rsplit(".", 1)[1]
        self.parts.append(f"torch_{name.removesuffix('Tensor')}\n")

    def device(self, device):
        s = f"torch_device(type='{device.type}'"
        s += ")" if device.index is None else f", index={device.index})"
        self.parts.append(s + " \n")

    def error(self, fn):
        try:
            fn()
        except RuntimeError as e:
            self.parts.append(f"Error: {e}\n")
        else:
            raise AssertionError("the snippet was expected to fail")

    def cat(self, *args):
        self.parts.append("".join(s + "\n" for s in self._cat(*args)))


# Each section: a function of (session, torch, cuda) writing what R prints; `cuda` says whether the machine
# has one usable GPU (then R torch's "cuda" device is cuda:0).

def creation(S, torch, cuda):
    torch.manual_seed(SEED)
    S.tensor(torch.tensor([1.0, 2.0]))
    S.tensor(torch.tensor([True, False]))
    S.tensor(torch.tensor([[1.0, 2, 0], [3, 0, 0], [4, 5, 6]]))
    S.tensor(torch.arange(1, 10).reshape(3, 3))
    S.tensor(torch.randn(3, 3))
    S.tensor(torch.zeros(4, 2, 2))
    S.dtype(torch.tensor([3.0, 5, 7]).dtype)
    S.dtype(torch.tensor([1]).dtype)
    t = torch.tensor([2.0], dtype=torch.float64)
    S.dtype(t.dtype)
    S.device(t.device)
    if cuda:
        S.device(torch.device("cuda", 0))
    else:
        S.line(SKIP_LINE)


def conversion(S, torch, cuda):
    S.r(S.as_array(torch.arange(1, 10).reshape(3, 3)))
    for t in (torch.tensor([1.0, 2, 3]), torch.ones(2, 2), torch.ones(2, 2, 2)):
        S.r(S.class_(S.as_array(t)))
    if cuda:
        S.r(S.as_integer(S.as_array(torch.tensor([2.0]))))
    else:
        S.line(SKIP_LINE)


def indexing_r_like(S, torch, cuda):
    t = torch.tensor([[1.0, 2, 3], [4, 5, 6]])
    S.tensor(t)
    S.tensor(t[0, 0])
    S.tensor(t[0, :])
    S.tensor(t[0, 0:2])
    S.r(S.size(t))
    S.r(S.size(t[0, 0:2]))
    S.r(S.size(t[0, 0]))
    S.r(S.size(t[0:1, 0:2]))
    S.r(S.size(t[0:1, 0:1]))


def indexing_look_out(S, torch, cuda):
    torch.manual_seed(SEED)
    t = torch.tensor([[1.0, 2, 3], [4, 5, 6]])
    S.tensor(t[0, -1])
    S.tensor(t[:, -2:])
    t = torch.arange(1, 11)
    S.tensor(t[1:10:2])
    t = torch.randint(-7, 7, (2, 2, 2), dtype=torch.float32)  # R torch's default dtype: libtorch's, Float
    S.tensor(t)
    S.tensor(t[..., 0])
    S.tensor(t[1, ...])


def reshaping_zero_copy(S, torch, cuda):
    torch.manual_seed(SEED)
    t1 = torch.randint(3, 7, (3, 3, 3), dtype=torch.float32)
    S.r(S.size(t1))
    t2 = t1.unsqueeze(0)
    S.r(S.size(t2))
    t3 = t1.unsqueeze(1)
    S.r(S.size(t3))
    t4 = t3.squeeze()
    S.r(S.size(t4))
    t1 = torch.tensor([[1.0, 2], [3, 4], [5, 6]])
    S.tensor(t1)
    t2 = t1.view(2, 3)
    S.tensor(t2)
    t4 = t1.view(-1, 6)
    S.r(S.size(t4))
    S.tensor(t4)
    S.r(S.logical(t1.untyped_storage().data_ptr() == t2.untyped_storage().data_ptr()))
    S.r(S.stride(t1))
    S.r(S.stride(t2))
    t1 = torch.tensor([[1.0, 2], [3, 4], [5, 6]])
    S.tensor(t1)
    S.r(S.stride(t1))
    t2 = t1.t()
    S.tensor(t2)
    S.r(S.stride(t2))


def reshaping_with_copy(S, torch, cuda):
    t1 = torch.tensor([[1.0, 2], [3, 4], [5, 6]])
    t2 = t1.t()
    S.error(lambda: t2.view(6))
    t3 = t2.contiguous()
    S.tensor(t3.view(6))
    ptr2 = t2.untyped_storage().data_ptr()
    t4 = t2.reshape(6)
    S.r(S.logical(ptr2 == t4.untyped_storage().data_ptr()))


def operations(S, torch, cuda):
    t1 = torch.tensor([[1.0, 2], [3, 4], [5, 6]])
    t2 = t1.clone()
    S.tensor(t1.add(t2))
    S.tensor(t1)
    S.tensor(t1.add_(t1))
    S.tensor(t1)
    t3 = t1.add(t1)
    S.tensor(t3)


def gpu(S, torch, cuda):
    S.r(S.logical(cuda))
    S.r(S.ints([1 if cuda else 0]))
    if cuda:
        S.device(torch.device("cuda", 0))
        S.device(torch.device("cpu"))
    else:
        S.line(SKIP_LINE)


def broadcasting(S, torch, cuda):
    torch.manual_seed(SEED)
    t1 = torch.randn(3, 5)
    S.tensor(t1 + 22)
    t1 = torch.randn(3, 5)
    S.tensor(t1 + torch.tensor([22.0]))
    t1 = torch.randn(3, 5)
    t2 = torch.randn(5, 5)
    S.error(lambda: t1.add(t2))
    t1 = torch.randn(3, 5)
    t2 = torch.randn(5, 5)
    S.error(lambda: t1.add(t2))
    for a, b in (((3, 5), (1, 5)), ((3, 5), (5,)), ((1, 5), (3, 1))):
        t1 = torch.randn(*a)
        t2 = torch.randn(*b)
        S.tensor(t1.add(t2))
    t1 = torch.tensor([0.0, 10, 20, 30])
    t2 = torch.tensor([1.0, 2, 3])
    S.tensor(t1.view(4, 1) * t2)


def simple_network(S, torch, cuda):
    """Every snippet of the section assigns; R prints nothing."""


SECTIONS = {  # golden name -> (builder, has a GPU variant)
    "01_creation": (creation, True),
    "02_conversion": (conversion, True),
    "03_indexing_r_like": (indexing_r_like, False),
    "04_indexing_look_out": (indexing_look_out, False),
    "05_reshaping_zero_copy": (reshaping_zero_copy, False),
    "06_reshaping_with_copy": (reshaping_with_copy, False),
    "07_operations": (operations, False),
    "08_gpu": (gpu, True),
    "09_broadcasting": (broadcasting, False),
    "10_simple_network": (simple_network, False),
}


def network_data(torch, seed, n, d_hidden):
    """Both posts' data and weights, drawn in their order after `torch_manual_seed(seed)`: x, y, w1, w2, b1, b2."""
    torch.manual_seed(seed)
    d_in, d_out = 3, 1
    x = torch.randn(n, d_in)
    y = x[:, 0, None] * 0.2 - x[:, 1, None] * 1.3 - x[:, 2, None] * 0.5 + torch.randn(n, 1)
    w1 = torch.randn(d_in, d_hidden)
    w2 = torch.randn(d_hidden, d_out)
    return x, y, w1, w2, torch.zeros(1, d_hidden), torch.zeros(1, d_out)


def train_raw_network(S, torch, seed=SEED, epochs=200, n=100, d_hidden=32, learning_rate=1e-4):
    """The post's "Putting it all together" loop in PyTorch, float32, each `cat()` line written by R."""
    x, y, w1, w2, b1, b2 = network_data(torch, seed, n, d_hidden)
    for t in range(1, epochs + 1):
        loss, w1, w2, b1, b2 = epoch(x, y, w1, w2, b1, b2, learning_rate, first_dim=0)
        if t % 10 == 0:
            S.cat("Epoch: ", S.ints([t]), "   Loss: ", S.doubles([loss.item()]), "\n")


TRAIN_GOLDEN = f"train_raw_network_seed{SEED}"


# "Introducing torch autograd" (RStudio AI blog, 2020-10-05): scripts/blog/autograd_*.py and
# scripts/train_autograd_network.py. R torch calls a function's Scalar overload when an argument is an R
# number of length one (`x2 + 2` is aten::add.Scalar, `y$pow(2) * 3` aten::mul.Scalar, whose nodes libtorch
# names AddBackward1 and MulBackward1); PyTorch's Python binding would wrap the number as a tensor
# (AddBackward0), so those calls name the overload R torch picks.

_R_NODE_PRINTER = """local({
  registerS3method("print", "autograd_node", function(x, ...) cat(x$name, "\\n", sep = ""))
  function(names, as_list) {
    nodes <- lapply(names, function(name) structure(list(name = name), class = "autograd_node"))
    capture.output(print(if (as_list) nodes else nodes[[1]]))
  }
})"""


def print_nodes(S, nodes, as_list=True):
    """R's print of R torch's `autograd_node`s: one node (`y$grad_fn`), or the R list `next_functions` returns
    (`[[1]]`, the node, a blank line). R torch's node is an R6 object whose `print()` is `cat(name, "\\n",
    sep = "")`, `name` libtorch's `Node::name()` (e.g. `torch::autograd::AccumulateGrad`); an S3 object with
    that print method prints the same in R and needs no R6 package. R does the printing."""
    assert all(node is not None for node in nodes)
    printer = S.ro.r(_R_NODE_PRINTER)
    S.parts.append("".join(s + "\n" for s in printer(S.ro.StrVector([n.name() for n in nodes]), as_list)))


def next_functions(node):
    """R torch's `node$next_functions`: the functions of the node's edges, as a list."""
    return [fn for fn, _ in node.next_functions]


def autograd_basics(S, torch, cuda):
    x = torch.ones(2, 2, requires_grad=True)
    y = x.mean()
    print_nodes(S, [y.grad_fn], as_list=False)
    y.backward()
    S.tensor(x.grad)


def autograd_digging_deeper(S, torch, cuda):
    aten = torch.ops.aten
    x1 = torch.ones(2, 2, requires_grad=True)
    x2 = torch.tensor([1.1], requires_grad=True)
    y = x1 * aten.add.Scalar(x2, 2)
    z = aten.mul.Scalar(y.pow(2), 3)
    out = z.mean()
    y.retain_grad()
    z.retain_grad()
    print_nodes(S, [out.grad_fn], as_list=False)
    mul1 = next_functions(out.grad_fn)
    print_nodes(S, mul1)
    pow0 = next_functions(mul1[0])
    print_nodes(S, pow0)
    mul0 = next_functions(pow0[0])
    print_nodes(S, mul0)
    branches = next_functions(mul0[0])
    print_nodes(S, branches)
    print_nodes(S, next_functions(branches[1]))
    out.backward()
    for t in (z.grad, y.grad, x2.grad, x1.grad):
        S.tensor(t)


def autograd_simple_network(S, torch, cuda):
    """The three-line snippet assigns and calls `loss$backward()` (invisible); R prints nothing."""


def train_autograd_network(S, torch, seed=SEED, epochs=200, n=100, d_hidden=32, learning_rate=1e-4):
    """The autograd post's complete code in PyTorch, float32: the forward pass as one chain, `loss.backward()`,
    the updates and `grad.zero_()` under no_grad. `learning_rate * w1$grad` multiplies by
    `torch_tensor(learning_rate)` (R torch's `*` turns a number on its left into a one-element tensor)."""
    x, y, *params = network_data(torch, seed, n, d_hidden)
    w1, w2, b1, b2 = (p.requires_grad_() for p in params)
    lr = torch.tensor([learning_rate])
    for t in range(1, epochs + 1):
        y_pred = x.mm(w1).add(b1).clamp(min=0).mm(w2).add(b2)
        loss = (y_pred - y).pow(2).sum()
        if t % 10 == 0:
            S.cat("Epoch: ", S.ints([t]), "   Loss: ", S.doubles([loss.item()]), "\n")
        loss.backward()
        with torch.no_grad():
            for p in (w1, w2, b1, b2):
                p.sub_(lr * p.grad)
            for p in (w1, w2, b1, b2):
                p.grad.zero_()


AUTOGRAD_TRAIN_GOLDEN = f"train_autograd_network_seed{SEED}"

SECTIONS.update({  # the autograd post's sections, and its network's training run
    "autograd_01_basics": (autograd_basics, False),
    "autograd_02_digging_deeper": (autograd_digging_deeper, False),
    "autograd_03_simple_network": (autograd_simple_network, False),
    AUTOGRAD_TRAIN_GOLDEN: (lambda S, torch, cuda: train_autograd_network(S, torch), False),
})


# "Using torch modules" (RStudio AI blog, 2020-10-07) and "Optimizers in torch" (2020-10-09):
# scripts/blog/modules_*.py, scripts/blog/optim_*.py and scripts/train_nn_network.py. PyTorch's torch.nn
# modules stand for R torch's (both are libtorch's: same init, same draws after the same seed); what is
# R torch's own (its tensor print's grad suffix, named lists, a module's and an optimizer's print) is
# printed by R: a list by R's print, a module by the cli calls of R torch's `print_nn_module`, an optimizer
# by the R6 package.

def tensor_text(S, t, n=30):
    """R torch's `print(t)` of a PyTorch tensor: libtorch's text, then `[ grad_fn = <Name> ]` or
    `[ requires_grad = TRUE ]` on the footer's line, as R torch's `print` method cats them."""
    sub = Session(S.torch, S.ro, S._libtorch_print)
    sub.tensor(None if t is None else t.detach(), n)
    text = sub.text()[:-1]
    if t is not None:
        if t.grad_fn is not None:
            text += f"[ grad_fn = <{t.grad_fn.name()}> ]"
        elif t.requires_grad:
            text += "[ requires_grad = TRUE ]"
    return text + "\n"


def print_tensor(S, t, n=30):
    S.parts.append(tensor_text(S, t, n))


_R_LIST_PRINTER = """local({
  registerS3method("print", "printed_elsewhere", function(x, ...) cat(x$text))
  function(names, texts) {
    items <- lapply(texts, function(s) structure(list(text = s), class = "printed_elsewhere"))
    capture.output(print(setNames(items, names)))
  }
})"""


def print_list(S, named):
    """R's print of a named list of tensors (`model$parameters`): `$name` (R quotes `0.weight` in
    backticks), the element's print, a blank line; R does the printing, each element's text is R torch's."""
    printer = S.ro.r(_R_LIST_PRINTER)
    texts = [tensor_text(S, t) for t in named.values()]
    S.parts.append("".join(s + "\n" for s in printer(S.ro.StrVector(list(named)), S.ro.StrVector(texts))))


_R_MODULE_PRINTER = """function(count, modules, classes, counts, par_names, par_types, par_dims,
                                 buf_names, buf_types, buf_dims) {
  comma <- function(x) format(x, nsmall = 0, big.mark = ",", scientific = FALSE)
  tensor_str <- function(dtype, dims) paste0(dtype, " [", paste(paste0("1:", dims), collapse = ", "), "]")
  items <- function(title, names, types, dims) {
    if (length(names) > 0) {
      cli::cat_line()
      cli::cat_rule(title)
      for (i in seq_along(names)) cli::cat_bullet(paste0(names[i], ": ", tensor_str(types[i], dims[[i]])))
    }
  }
  capture.output({
    cli::cat_line("An `nn_module` containing ", comma(count), " parameters.")
    if (length(modules) > 0) {
      cli::cat_line()
      cli::cat_rule("Modules")
      for (i in seq_along(modules)) {
        cli::cat_bullet(paste0(modules[i], ": <", classes[i], "> #", comma(counts[i]), " parameters"))
      }
    }
    items("Parameters", par_names, par_types, par_dims)
    items("Buffers", buf_names, buf_types, buf_dims)
  })
}"""

R_MODULE_CLASS = {"Linear": "nn_linear", "ReLU": "nn_relu", "Sequential": "nn_sequential"}


def module_printer(ro):
    """R torch's `print(<nn_module>)` (print_nn_module in R/nn.R) for a PyTorch module: the same cli calls
    (cat_line, cat_rule, cat_bullet) on the module's counts, children and own parameters and buffers, run by
    R. Counts are R doubles (`sum(prod(shape))`); a tensor reads `Float [1:32, 1:3]` (make_str_torch_tensor)."""
    printer = ro.r(_R_MODULE_PRINTER)

    def count(m):
        return ro.FloatVector([float(sum(p.numel() for p in m.parameters()))])

    def tensors(reg):
        entries = [(k, v) for k, v in reg.items() if v is not None]
        types = [v.type().rsplit(".", 1)[1].removesuffix("Tensor") for _, v in entries]
        return (ro.StrVector([k for k, _ in entries]), ro.StrVector(types),
                ro.ListVector.from_length(0) if not entries else
                ro.r["list"](*[ro.IntVector(list(v.shape)) for _, v in entries]))

    def text(module, class_of=lambda m: R_MODULE_CLASS[type(m).__name__]):
        children = [(k, m) for k, m in module._modules.items() if m is not None]
        lines = printer(count(module), ro.StrVector([k for k, _ in children]),
                        ro.StrVector([class_of(m) for _, m in children]),
                        ro.FloatVector([float(sum(p.numel() for p in m.parameters())) for _, m in children]),
                        *tensors(module._parameters), *tensors(module._buffers))
        return "".join(s + "\n" for s in lines)
    return text


def print_module(S, module):
    S.parts.append(module_printer(S.ro)(module))


# R torch's optimizer is an R6 object without a print method of its own, so R6 prints its members. These
# classes have the members of R torch's `torch_optimizer` (R/optim.R), its `State` and `optim_adam`
# (R/optim-adam.R), with the same names and formals; R6 does the printing.
_R_ADAM_PRINTER = """local({
  State <- R6::R6Class("State", lock_objects = FALSE, public = list(
    initialize = function() self$map <- list(),
    set = function(key, value) NULL, get = function(key) NULL, keys = function() NULL))
  Optimizer <- R6::R6Class("torch_optimizer", lock_objects = FALSE, public = list(
    initialize = function(params, defaults) {
      self$defaults <- defaults
      self$state <- list()
      self$param_groups <- list()
      self$state <- State$new()
    },
    add_param_group = function(param_group) NULL,
    zero_grad = function(set_to_none = FALSE) NULL,
    state_dict = function() NULL,
    load_state_dict = function(state_dict, ..., .refer_to_state_dict = FALSE) NULL),
    private = list(deep_clone = function(name, value) NULL, step_helper = function(closure, loop_fun) NULL))
  Adam <- R6::R6Class("optim_adam", lock_objects = FALSE, inherit = Optimizer, public = list(
    initialize = function(params, lr = 1e-3, betas = c(0.9, 0.999), eps = 1e-8,
                          weight_decay = 0, amsgrad = FALSE) {
      super$initialize(params, list(lr = lr, betas = betas, eps = eps, weight_decay = weight_decay,
                                    amsgrad = amsgrad))
    },
    step = function(closure = NULL) NULL))
  function() capture.output(print(Adam$new(NULL)))
})"""


def print_optim_adam(S):
    S.parts.append("".join(s + "\n" for s in S.ro.r(_R_ADAM_PRINTER)()))


def _grad_of_mean(torch, n):
    """`torch_tensor(10)$`repeat`(10)$unsqueeze(1)$t()`: R's dim 1 is PyTorch's 0."""
    return torch.tensor([10.0]).repeat(n).unsqueeze(0).t()


def modules_base_modules(S, torch, cuda):
    torch.manual_seed(SEED)
    l = torch.nn.Linear(3, 1)
    print_list(S, dict(l.named_parameters()))
    data = torch.randn(10, 3)
    out = l(data)
    print_tensor(S, out.data)
    print_nodes(S, [out.grad_fn], as_list=False)
    print_tensor(S, l.weight.grad)
    print_tensor(S, l.bias.grad)
    S.error(lambda: out.backward())
    d_avg_d_out = _grad_of_mean(torch, 10)
    out.backward(gradient=d_avg_d_out)
    print_tensor(S, l.weight.grad)
    print_tensor(S, l.bias.grad)


def modules_container_modules(S, torch, cuda):
    torch.manual_seed(SEED)
    data = torch.randn(10, 3)
    model = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    print_list(S, dict(model.named_parameters()))
    print_tensor(S, model[0].bias)
    out = model(data)
    out.backward(gradient=_grad_of_mean(torch, 10))
    print_tensor(S, model[0].bias.grad)
    if cuda:
        # `model$cuda()` copies each tensor (exactly) to the GPU; libtorch's print of the copy differs in the
        # footer's backend only. The oracle's PyTorch has no CUDA, so the CPU text gets the GPU footer.
        text = tensor_text(S, model[0].bias.grad)
        head, _, footer = text.rstrip("\n").rpartition("\n")
        S.parts.append(head + "\n" + footer.replace("[ CPUFloatType{", "[ CUDAFloatType{", 1) + "\n")
    else:
        S.line(SKIP_LINE)


def nn_network_data(torch, seed, n, d_hidden):
    """x, y and the model of both posts' complete code, drawn in their order after `torch_manual_seed(seed)`:
    x, y's noise, then each nn_linear's weight and bias (libtorch's init)."""
    torch.manual_seed(seed)
    x = torch.randn(n, 3)
    y = x[:, 0, None] * 0.2 - x[:, 1, None] * 1.3 - x[:, 2, None] * 0.5 + torch.randn(n, 1)
    nn = torch.nn
    return x, y, nn.Sequential(nn.Linear(3, d_hidden), nn.ReLU(), nn.Linear(d_hidden, 1))


def _epoch_line(S, t, loss):
    S.cat("Epoch: ", S.ints([t]), "   Loss: ", S.doubles([loss.item()]), "\n")


def modules_simple_network(S, torch, cuda, seed=SEED, epochs=200, n=100, d_hidden=32, learning_rate=1e-4):
    """The modules post's complete code: the model printed (added by the port), then its loop in PyTorch,
    float32: `model$zero_grad()`, `loss$backward()`, each parameter's `sub_(learning_rate * grad)` under
    no_grad (a number on the left of R torch's `*` becomes a one-element tensor)."""
    x, y, model = nn_network_data(torch, seed, n, d_hidden)
    print_module(S, model)
    lr = torch.tensor([learning_rate])
    for t in range(1, epochs + 1):
        y_pred = model(x)
        loss = (y_pred - y).pow(2).sum()
        if t % 10 == 0:
            _epoch_line(S, t, loss)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p.sub_(lr * p.grad)


def optim_losses(S, torch, cuda):
    torch.manual_seed(SEED)
    x = torch.randn(3, 2, 3)
    y = torch.zeros(3, 2, 3)
    print_tensor(S, torch.nn.functional.mse_loss(x, y))
    loss = torch.nn.MSELoss()
    print_tensor(S, loss(x, y))


def optim_optimizers(S, torch, cuda):
    torch.manual_seed(SEED)
    data = torch.randn(1, 3)
    model = torch.nn.Linear(3, 1)
    params = dict(model.named_parameters())
    print_list(S, params)
    optimizer = torch.optim.Adam(params.values(), lr=0.01)
    print_optim_adam(S)
    print_list(S, params)            # optimizer$param_groups[[1]]$params: the same named list
    out = model(data)
    out.backward()
    print_list(S, params)
    print_list(S, dict(model.named_parameters()))
    optimizer.step()
    S.r(S.ro.NULL)                   # step() returns its closure's loss, NULL, visibly
    print_list(S, params)
    print_list(S, dict(model.named_parameters()))


def train_nn_network(S, torch, seed=SEED, epochs=200, n=100, d_hidden=32, learning_rate=0.08):
    """The optimizers post's final network in PyTorch, float32: torch.nn.Sequential, F.mse_loss(reduction =
    "sum"), torch.optim.Adam (its single-tensor CPU step)."""
    x, y, model = nn_network_data(torch, seed, n, d_hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    for t in range(1, epochs + 1):
        y_pred = model(x)
        loss = torch.nn.functional.mse_loss(y_pred, y, reduction="sum")
        if t % 10 == 0:
            _epoch_line(S, t, loss)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


NN_TRAIN_GOLDEN = f"train_nn_network_seed{SEED}"

SECTIONS.update({  # the modules and optimizers posts' sections, and the final network's training run
    "modules_01_base_modules": (modules_base_modules, False),
    "modules_02_container_modules": (modules_container_modules, True),
    "modules_03_simple_network": (lambda S, torch, cuda: modules_simple_network(S, torch, cuda), False),
    "optim_01_losses": (optim_losses, False),
    "optim_02_optimizers": (optim_optimizers, False),
    NN_TRAIN_GOLDEN: (lambda S, torch, cuda: train_nn_network(S, torch), False),
})


def goldens(only=None):
    """{file name: text} for every golden (or those whose name starts with one of ``only``)."""
    import rpy2.robjects as ro
    import torch

    from compat.libtorch_oracle import libtorch_print

    wanted = lambda name: not only or any(name.startswith(o) for o in only)  # noqa: E731
    out = {}
    for name, (build, has_gpu_variant) in SECTIONS.items():
        for cuda in (False, True) if has_gpu_variant else (False,):
            fname = f"{name}.cuda.txt" if cuda else f"{name}.txt"
            if wanted(fname):
                S = Session(torch, ro, libtorch_print)
                build(S, torch, cuda)
                out[fname] = S.text()
    if wanted(TRAIN_GOLDEN):
        S = Session(torch, ro, libtorch_print)
        train_raw_network(S, torch)
        out[f"{TRAIN_GOLDEN}.txt"] = S.text()
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=pathlib.Path, default=GOLDEN_DIR, help="directory to write (default: %(default)s)")
    p.add_argument("--only", nargs="*", help="golden names (prefixes) to write")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for fname, text in goldens(args.only).items():
        (args.out / fname).write_text(text, encoding="utf-8")
        print(f"wrote {args.out / fname}")


if __name__ == "__main__":
    main()
