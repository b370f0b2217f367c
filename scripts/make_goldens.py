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
