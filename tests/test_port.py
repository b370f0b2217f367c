"""`rtorch port`: each construct ported (R in, Python out), and both run: R through rpy2, the port through
rtorch, printed text compared where the construct needs no torch. The blog's R originals port to scripts
that print their goldens byte for byte. Bad input, the command line and speed."""
import contextlib
import io
import pathlib
import re
import subprocess
import sys
import time

import pytest

from tests._require import require

ROOT = pathlib.Path(__file__).resolve().parent.parent
BLOG = ROOT / "scripts" / "blog"
GOLDEN = ROOT / "compat" / "golden"

require("rpy2.robjects")
from rtorch.port import RParseError, port, port_text  # noqa: E402


def r_prints(code):
    ro = require("rpy2.robjects")
    run = ro.r("function(code) capture.output(source(textConnection(code), print.eval = TRUE, "
               "local = new.env()))")
    return "".join(line + "\n" for line in run(code))


def py_prints(python):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(python, "<port>", "exec"), {"__name__": "__main__"})
    return buf.getvalue()


# (R code, the Python `rtorch port` writes) -- torch-free, so R and the port must print the same text
CONSTRUCTS = [
    ("x <- 2\nx", "x = 2\nautoprint(x)"),
    # R looks functions up apart from other values: a variable named c leaves c() working
    ("c <- c(1, 2)\nc(c, 3)", "c_ = c(1, 2)\nautoprint(c(c_, 3))"),
    ("for (rep in 1:2) print(rep(rep, 2))", "for rep_ in seq(1, 2):\n    rprint(rep(rep_, 2))"),
    ("x = 2L\nx", "x = as_integer(2)\nautoprint(x)"),
    ("3 -> x\nx * 2", "x = 3\nautoprint(x * 2)"),
    ("1e-3", "autoprint(1e-3)"),
    ("c(TRUE, FALSE)", "autoprint(c(True, False))"),
    ("c(1, NA)", "autoprint(c(1, NA))"),
    ('"a\\tb"', 'autoprint("a\\tb")'),
    ("2^3^2", "autoprint(2 ** 3 ** 2)"),
    ("(2^3)^2", "autoprint((2 ** 3) ** 2)"),
    ("-2^2", "autoprint(-2 ** 2)"),
    ("7 %% 3", "autoprint(7 % 3)"),
    ("7 %/% 2", "autoprint(7 // 2)"),
    ("1:3 * 2", "autoprint(seq(1, 3) * 2)"),
    ("1 < 2 & 3 > 4", "autoprint((1 < 2) & (3 > 4))"),
    ("TRUE && !FALSE", "autoprint(True and not False)"),
    ("x <- c(1, 2, 3)\n!(x > 2)", "x = c(1, 2, 3)\nautoprint(~(x > 2))"),
    ("f <- function(a, b = 2) {\n  a + b\n}\nf(1)",
     "def f(a, b=2):\n    return a + b\nautoprint(f(1))"),
    ("f <- function(x) {\n  y <- x * 2\n}\nz <- f(3)\nz",
     "def f(x):\n    y = x * 2\n    return y\nz = f(3)\nautoprint(z)"),
    ("f <- function(x) if (x > 0) \"pos\" else \"neg\"\nf(-1)",
     'def f(x):\n    return "pos" if x > 0 else "neg"\nautoprint(f(-1))'),
    ("f <- function(x) {\n  if (x > 0) {\n    return(1)\n  }\n  2\n}\nf(1)\nf(-1)",
     "def f(x):\n    if x > 0:\n        return 1\n    return 2\nautoprint(f(1))\nautoprint(f(-1))"),
    ("x <- 5\nif (x > 3) {\n  cat(\"big\\n\")\n} else if (x > 1) {\n  cat(\"mid\\n\")\n} else {\n  cat(\"small\\n\")\n}",
     'x = 5\nif x > 3:\n    cat("big\\n")\nelif x > 1:\n    cat("mid\\n")\nelse:\n    cat("small\\n")'),
    ("s <- 0\nfor (i in 1:4) {\n  s <- s + i\n}\ns",
     "s = 0\nfor i in seq(1, 4):\n    s = s + i\nautoprint(s)"),
    ("for (i in seq_len(3)) cat(i, \"\\n\")", 'for i in seq_len(3):\n    cat(i, "\\n")'),
    ("v <- c(5, 6)\nfor (i in seq_along(v)) cat(i, \"\\n\")",
     'v = c(5, 6)\nfor i in seq_along(v):\n    cat(i, "\\n")'),
    ("i <- 0\nwhile (i < 3) i <- i + 1\ni", "i = 0\nwhile i < 3:\n    i = i + 1\nautoprint(i)"),
    ("i <- 0\nrepeat {\n  i <- i + 1\n  if (i %% 2 == 0) next\n  if (i > 5) break\n  cat(i, \"\\n\")\n}",
     'i = 0\nwhile True:\n    i = i + 1\n    if i % 2 == 0:\n        continue\n    if i > 5:\n        break\n'
     '    cat(i, "\\n")'),
    ("l <- list(1, \"a\")\nl[[2]]", 'l = [1, "a"]\nautoprint(l[1])'),
    ("l <- list(a = 1, b = 2)\nl$b\nl[[\"a\"]]", 'l = {"a": 1, "b": 2}\nautoprint(l["b"])\nautoprint(l["a"])'),
    ("l <- list(3, 4)\ni <- 2\nl[[i]]", "l = [3, 4]\ni = 2\nautoprint(l[rpos(i)])"),
    ("y <- if (TRUE) 1 else 2\ny", "y = 1 if True else 2\nautoprint(y)"),
    ("is.null(NULL)", "autoprint(None is None)"),
    ('cat(paste("a", 1, TRUE), "\\n")', 'cat(paste("a", 1, True), "\\n")'),
    ('cat(paste0("x", 1.5, "y"), "\\n")', 'cat(paste0("x", 1.5, "y"), "\\n")'),
    ('cat(sprintf("%d items, %.2f each\\n", 3, 1.5))', 'cat(sprintf("%d items, %.2f each\\n", 3, 1.5))'),
    ('print(paste("n =", 3))', 'rprint(paste("n =", 3))'),
    ("x <- 1 # trailing\n# own line\ny <- 2", "x = 1  # trailing\n# own line\ny = 2"),
    ("counter <- 0\nbump <- function() counter <<- counter + 1\nb <- bump()\nb <- bump()\ncounter",
     "counter = 0\ndef bump():\n    global counter\n    counter = counter + 1\n    return counter\n"
     "b = bump()\nb = bump()\nautoprint(counter)"),
    ('tryCatch(stop("boom"), error = function(e) cat("caught:", conditionMessage(e), "\\n"))',
     'try:\n    raise RuntimeError(paste0("boom"))\nexcept Exception as e:\n'
     '    cat("caught:", conditionMessage(e), "\\n")'),
    ("x <- c(1, 2) %>% sum\nx", None),
    # R's own generators, seeded as R seeds them; torch_manual_seed() leaves them alone, as in R
    ("set.seed(1)\nx <- runif(3)\nx\nrnorm(2, mean = 10)\nrunif(2, 5, 6)\nset.seed(1)\nrunif(1)",
     "set_seed(1)\nx = runif(3)\nautoprint(x)\nautoprint(rnorm(2, mean=10))\nautoprint(runif(2, 5, 6))\n"
     "set_seed(1)\nautoprint(runif(1))"),
    ("set.seed(42)\nm <- matrix(rnorm(6), ncol = 3)\nm", "set_seed(42)\nm = matrix(rnorm(6), ncol=3)\nautoprint(m)"),
    ("set.seed(42)\nsample(10)\nsample(5, 3)\nsample(c(10, 20, 30))\nsample(3, 5, replace = TRUE)\n"
     "idx <- sample(100000, 3)\nidx\nsample(0.5)",
     "set_seed(42)\nautoprint(sample(10))\nautoprint(sample(5, 3))\nautoprint(sample(c(10, 20, 30)))\n"
     "autoprint(sample(3, 5, replace=True))\nidx = sample(100000, 3)\nautoprint(idx)\nautoprint(sample(0.5))"),
    ("log(dnorm(0))\ndnorm(c(0, 1.5), sd = 2)\ndnorm(3, log = TRUE)",
     "autoprint(log(dnorm(0)))\nautoprint(dnorm(c(0, 1.5), sd=2))\nautoprint(dnorm(3, log=True))"),
    ("l <- c()\nfor (v in c(1, 2.5)) l <- c(l, v * 2)\nmean(l)\ncat(sprintf(\"mean %3f\\n\", mean(l)))",
     'l = c()\nfor v in c(1, 2.5):\n    l = c(l, v * 2)\nautoprint(mean(l))\ncat(sprintf("mean %3f\\n", mean(l)))'),
    ('Sys.setenv(RTORCH_PORT_TEST = 1)\nSys.getenv("RTORCH_PORT_TEST")\nSys.getenv("RTORCH_UNSET_X", unset = "no")',
     'Sys_setenv(RTORCH_PORT_TEST=1)\nautoprint(Sys_getenv("RTORCH_PORT_TEST"))\n'
     'autoprint(Sys_getenv("RTORCH_UNSET_X", unset="no"))'),
    # R base functions on R values, typed as R types them (integer sums of integers, ...)
    ('m <- matrix(1:6, 2)\nt(m)\nt(1:3)\nsum(1:3)\nsum(c(1.5, 2), 3)\nsum(c(TRUE, FALSE, TRUE))\n'
     'max(c(1, 5), 2)\nmin(4:6)\nabs(-3:1)\nround(2.567, 2)\nround(c(0.5, 1.5, 2.5))\nrev(1:3)\n'
     'sort(c(3, 1, 2), decreasing = TRUE)\nnrow(m)\nncol(m)\nunlist(list(1, c(2, 3)))\n'
     'sapply(1:3, function(i) i^2)\nsapply(1:2, function(i) c(i, i * 10))\n'
     'vapply(1:3, function(i) i * 2, numeric(1))\nis.na(c(1, NA, 3))\nidentical(c(1, 2), c(1, 2))\n'
     'identical(1L, 1)\npi\nround(pi, 3)',
     'm = matrix(seq(1, 6), 2)\nautoprint(t(m))\nautoprint(t(seq(1, 3)))\nautoprint(sum(seq(1, 3)))\n'
     'autoprint(sum(c(1.5, 2), 3))\nautoprint(sum(c(True, False, True)))\nautoprint(max(c(1, 5), 2))\n'
     'autoprint(min(seq(4, 6)))\nautoprint(abs(seq(-3, 1)))\nautoprint(round(2.567, 2))\n'
     'autoprint(round(c(0.5, 1.5, 2.5)))\nautoprint(rev(seq(1, 3)))\n'
     'autoprint(sort(c(3, 1, 2), decreasing=True))\nautoprint(nrow(m))\nautoprint(ncol(m))\n'
     'autoprint(unlist([1, c(2, 3)]))\ndef _fn1(i):\n    return i ** 2\n\n'
     'autoprint(sapply(seq(1, 3), _fn1))\ndef _fn2(i):\n    return c(i, i * 10)\n\n'
     'autoprint(sapply(seq(1, 2), _fn2))\ndef _fn3(i):\n    return i * 2\n\n'
     'autoprint(vapply(seq(1, 3), _fn3, numeric(1)))\nautoprint(is_na(c(1, NA, 3)))\n'
     'autoprint(identical(c(1, 2), c(1, 2)))\nautoprint(identical(as_integer(1), 1))\nautoprint(pi)\n'
     'autoprint(round(pi, 3))'),
    # R's subsetting on R vectors and matrices (1-based, negatives exclude, R copies on assignment)
    ('x <- c(5, 1, 7)\nx[2]\nx[-1]\nx[c(TRUE, FALSE)]\nx[x > 2]\nx[2:3]\ny <- x\ny[2] <- 10\ny\nx\n'
     'm <- matrix(1:6, 2)\nm[1, ]\nm[, 2]\nm[2, 3]\nm[1, 2, drop = FALSE]\nm[1, ] <- 0L\nm\nv <- 1:10',
     'x = c(5, 1, 7)\nautoprint(rindex(x, 2))\nautoprint(rindex(x, -1))\n'
     'autoprint(rindex(x, c(True, False)))\nautoprint(rindex(x, x > 2))\n'
     'autoprint(rindex(x, seq(2, 3)))\ny = x\ny = rassign(y, 10, 2)\nautoprint(y)\nautoprint(x)\n'
     'm = matrix(seq(1, 6), 2)\nautoprint(rindex(m, 1, slice(None)))\n'
     'autoprint(rindex(m, slice(None), 2))\nautoprint(rindex(m, 2, 3))\n'
     'autoprint(rindex(m, 1, 2, drop=False))\nm = rassign(m, as_integer(0), 1, slice(None))\n'
     'autoprint(m)\nv = seq(1, 10)'),
    ("x <- c(3, 1, 2, 1)\nidx <- order(x)\nidx\norder(x, decreasing = TRUE)\nx[idx]\n"
     "for (i in seq_along(idx)) cat(i, x[i], \"\\n\")",
     "x = c(3, 1, 2, 1)\nidx = order(x)\nautoprint(idx)\nautoprint(order(x, decreasing=True))\n"
     "autoprint(rindex(x, idx))\nfor i in seq_along(idx):\n    cat(i, rindex(x, i), \"\\n\")"),
    ("which(c(FALSE, TRUE, FALSE, TRUE))\nx <- c(5, 1, 7)\nwhich(x > 2)",
     "autoprint(which(c(False, True, False, True)))\nx = c(5, 1, 7)\nautoprint(which(x > 2))"),
    ("invisible(3)", "3"),
]


def _body(python):
    return "\n".join(line for line in python.splitlines() if not line.startswith("from rtorch.port.runtime"))


@pytest.mark.parametrize("r_code,expected", [c for c in CONSTRUCTS if c[1] is not None],
                         ids=[c[0].split("\n")[-1][:30] for c in CONSTRUCTS if c[1] is not None])
def test_construct_ports_and_prints_what_r_prints(r_code, expected):
    result = port(r_code)
    assert result.problems == []
    assert _body(result.python) == expected
    assert py_prints("from rtorch import *\n" + result.python) == r_prints(r_code)


def test_untranslatable_code_is_kept_marked_never_dropped():
    result = port("x <- 1\ny <- rapply(1:3, function(i) i, numeric(1))\nz <- x ~ y\nw <- 2\n")
    lines = result.python.splitlines()
    assert "x = 1" in lines and "w = 2" in lines
    assert "# rtorch port: not translated: y <- rapply(1:3, function(i) i, numeric(1))" in lines
    assert "# rtorch port: not translated: z <- x ~ y" in lines
    assert [p[0] for p in result.problems] == [2, 3]
    assert not any(line.startswith("def ") for line in lines)  # a hoisted def of a dropped statement is dropped too


def test_untranslated_statement_inside_a_loop_keeps_the_loop_valid():
    python = port_text("for (i in 1:2) {\n  y <- rapply(i, f, 1)\n}\n")
    compile(python, "<port>", "exec")
    assert "    # rtorch port: not translated:   y <- rapply(i, f, 1)" in python.splitlines()


def test_syntax_error_is_rs_own_message_with_line_and_column():
    ro = require("rpy2.robjects")
    code = "x <- 1\ny <- (2 +\n"
    with pytest.raises(RParseError) as info:
        port(code)
    want = ro.r(f"tryCatch(parse(text = {code!r}), error = conditionMessage)")[0]
    assert str(info.value) == want
    assert re.match(r"<text>:\d+:\d+: unexpected end of input", str(info.value))


def test_empty_file_is_an_empty_module():
    assert port_text("") == ""
    assert port_text("\n\n") == ""
    assert port_text("# only a comment\n") == "# only a comment\n"


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "rtorch.port", *args], capture_output=True, text=True,
                          input=stdin, cwd=ROOT)


def test_command_line(tmp_path):
    src = tmp_path / "a.R"
    src.write_text("library(torch)\nx <- torch_tensor(c(1, 2))\nx\n")
    out = tmp_path / "a.py"
    done = _cli("port", str(src), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text().splitlines()[-1] == "autoprint(x)"
    done = _cli(str(src))
    assert done.returncode == 0 and done.stdout == out.read_text()
    bad = tmp_path / "b.R"
    bad.write_text("x <- rapply(1:2, f, 1)\n")
    done = _cli("port", str(bad))
    assert done.returncode == 1
    assert "b.R:1: not translated" in done.stderr
    binary = tmp_path / "c.R"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    done = _cli("port", str(binary))
    assert done.returncode == 2 and "is not an R script" in done.stderr
    syntax = tmp_path / "d.R"
    syntax.write_text("x <- )\n")
    done = _cli("port", str(syntax))
    assert done.returncode == 2 and "unexpected ')'" in done.stderr and "1:6" in done.stderr


BLOG_R = sorted(BLOG.glob("[0-9][0-9]_*.R"))


def test_every_hand_port_has_its_r_original():
    assert {p.stem for p in BLOG_R} == {p.stem for p in BLOG.glob("[0-9][0-9]_*.py")}


@pytest.mark.parametrize("r_file", BLOG_R, ids=lambda p: p.stem)
def test_blog_r_original_ports_to_its_golden(r_file, tmp_path):
    from tests.test_blog_goldens import golden_for, run_port
    result = port(r_file.read_text(encoding="utf-8"))
    assert result.problems == []
    out = tmp_path / (r_file.stem + ".py")
    out.write_text(result.python, encoding="utf-8")
    assert run_port(out) == golden_for(r_file.stem).read_text(encoding="utf-8")


def test_a_1000_line_script_ports_in_under_2_seconds():
    blocks = [p.read_text(encoding="utf-8") for p in BLOG_R]
    text, n = "", 0
    while n < 1000:
        for b in blocks:
            text += b
            n += b.count("\n")
    port_text("x <- 1\n")  # R started
    t0 = time.perf_counter()
    port_text(text)
    elapsed = time.perf_counter() - t0
    assert elapsed < 2.0, f"{n} lines took {elapsed:.2f} s"


# an R dataset/dataloader script, its port, and the Python a person writes by hand with rtorch: the port must
# print what the hand-written Python prints (a seeded shuffle: the same batches, in the same order)
DATA_R = '''library(torch)
squares <- dataset(
  name = "squares",
  initialize = function(n) {
    self$x <- torch_arange(1, n)
  },
  .getitem = function(i) {
    list(x = self$x[i], y = self$x[i]^2)
  },
  .length = function() {
    self$x$size(1)
  }
)
ds <- squares(10)
length(ds)
ds[3]$y
ds[[4]]$x
ds$.getitem(2)[[2]]
torch_manual_seed(7)
dl <- dataloader(ds, batch_size = 4, shuffle = TRUE)
length(dl)
coro::loop(for (b in dl) {
  print(b$x)
  cat("sum of y:", b[[2]]$sum()$item(), "\\n")
})
it <- dataloader_make_iter(dl)
b <- dataloader_next(it)
b$y
sub <- dataset_subset(ds, c(2, 5))
length(sub)
td <- tensor_dataset(torch_tensor(matrix(1:6, ncol = 2)), torch_tensor(c(1, 2, 3)))
td[2][[1]]
path <- tempfile(fileext = ".pt")
torch_save(list(a = b$x, b = b$y), path)
back <- torch_load(path)
back[["b"]]
model <- nn_linear(2, 1)
torch_save(model, path)
model2 <- nn_linear(2, 1)
model2$load_state_dict(torch_load(path))
torch_equal(model2$weight, model$weight)
'''

DATA_PY = '''from rtorch import *
import tempfile, os

def init(self, n):
    self.x = torch_arange(1, n)

def getitem(self, i):
    return {"x": self.x[i], "y": self.x[i] ** 2}

def length_(self):
    return self.x.size(1)

squares = dataset("squares", initialize=init, getitem=getitem, length=length_)
ds = squares(10)
rprint(length(ds))
print(ds[3]["y"])
print(ds.getitem(4)["x"])
print(ds.getitem(2)["y"])
torch_manual_seed(7)
dl = dataloader(ds, batch_size=4, shuffle=True)
rprint(length(dl))
for b in dl:
    print(b["x"])
    cat("sum of y:", b["y"].sum().item(), "\\n")
it = dataloader_make_iter(dl)
b = dataloader_next(it)
print(b["y"])
sub = dataset_subset(ds, c(2, 5))
rprint(length(sub))
td = tensor_dataset(torch_tensor(matrix(seq(1, 6), ncol=2)), torch_tensor(c(1, 2, 3)))
print(td[2][0])
path = os.path.join(tempfile.mkdtemp(), "a.pt")
torch_save({"a": b["x"], "b": b["y"]}, path)
back = torch_load(path)
print(back["b"])
model = nn_linear(2, 1)
torch_save(model, path)
model2 = nn_linear(2, 1)
model2.load_state_dict(torch_load(path))
rprint(torch_equal(model2.weight, model.weight))
'''


def test_dataset_dataloader_script_ports_and_prints_what_rtorch_by_hand_prints():
    result = port(DATA_R)
    assert result.problems == []
    python = result.python
    assert 'squares = dataset("squares", initialize=squares_initialize, getitem=squares_getitem, ' \
           'length=squares_length)' in python
    assert "for b in dl:" in python and 'rprint(b["x"])' in python and "nth(b, 2).sum().item()" in python
    assert 'autoprint(ds.getitem(4)["x"])' in python and 'autoprint(b["y"])' in python
    printed = py_prints(python)
    assert printed == py_prints(DATA_PY)
    assert printed.count("torch_tensor") >= 6 and "sum of y:" in printed and printed.endswith("[1] TRUE\n")


def test_nth_takes_a_named_lists_values_by_position():
    from rtorch.port.runtime import nth
    assert nth({"x": 1, "y": 2}, 2) == 2
    assert nth({"x": 1, "y": 2}, "x") == 1
    assert nth([5, 6], 1) == 5
    with pytest.raises(IndexError):
        nth({"x": 1}, 2)
    assert _body(port_text('l <- list(a = 1, b = 2)\nl[[2]]')) == 'l = {"a": 1, "b": 2}\nautoprint(nth(l, 2))'


VIGNETTE = '''---
title: "a vignette"
---

```{r setup}
library(torch)
```

```{r, include = FALSE}
knitr::opts_chunk$set(collapse = TRUE)
```

```{r}
x <- c(1.5, 2)
cat(paste("n =", length(x)), "\\n")
x * 2
```

```{r eval = FALSE}
stop("R does not run this")
```

```{r}
t <- torch_tensor(c(1, 2, 3))
t
torch_ones(2, 2)$requires_grad_(TRUE)
```

```{r}
runif(2)
```
'''


def test_knitr_chunks_are_the_documents_not_r_torch_code():
    from scripts.port_vignettes import knitr_only
    assert knitr_only("knitr::opts_chunk$set(\n  collapse = TRUE\n)\n")
    assert knitr_only('files <- list.files(pattern = "*.R$")\no <- data.frame(x = files)\nknitr::kable(o)\n')
    assert not knitr_only("x <- torch_randn(2)\nknitr::kable(as_array(x))\n")
    assert not knitr_only("knitr::opts_chunk$set(eval = torch::torch_is_installed())\n")
    assert not knitr_only("x <- 1\n")


def test_vignette_report_checks_prints_against_r_and_libtorch(tmp_path):
    from scripts.port_vignettes import build_oracle, report
    build_oracle()
    path = tmp_path / "a.Rmd"
    path.write_text(VIGNETTE, encoding="utf-8")
    rows = report(path, timeout=120)
    assert (rows["chunks"], rows["no_eval"], rows["knitr"], rows["ported"], rows["runs"]) == (4, 1, 1, 4, 4)
    # library(torch) and the torch-free chunk print what R prints; runif() unseeded draws other numbers
    assert (rows["r_same"], rows["r_differ"]) == (2, 1)
    assert rows["differ"] == ["R prints otherwise: runif(2)"]
    # the tensor chunk: both prints are libtorch's text in R torch's frame
    assert (rows["t_same"], rows["t_differ"], rows["tensor_prints"], rows["unchecked"]) == (1, 0, 2, 0)


def test_slc_is_the_slice_the_colon_form_writes():
    python = port_text("x <- torch_arange(1, 10)\na <- x[slc(start = 1, end = 5, step = 2)]\nb <- x[1:5:2]\n"
                       "e <- x[slc(3, Inf)]\nprint(a)\n")
    ns = {}
    printed = py_prints("from rtorch import *\n" + python)
    exec("from rtorch import *\n" + python, ns)
    assert ns["torch_equal"](ns["a"], ns["b"]) and ns["e"].size() == (8,)
    assert printed.splitlines()[1:4] == [" 1", " 3", " 5"]
    with pytest.raises(IndexError, match="whole number"):
        ns["x"][ns["slc"](1.5, 3)]


def test_dollar_on_what_torch_load_returns_is_decided_when_it_runs():
    r_code = ('path <- tempfile(fileext = ".pt")\n'
              'torch_save(list(a = torch_tensor(1), b = torch_tensor(c(2, 3))), path)\n'
              'back <- torch_load(path)\nback$b$sum()$item()\nback[[1]]$item()\nis.null(back$zz)\n'
              'torch_load(path)$a$item()\ntorch_save(torch_tensor(c(4, 5)), path)\nt2 <- torch_load(path)\n'
              't2$shape\n')
    result = port(r_code)
    assert result.problems == []
    assert 'autoprint(dollar(back, "b").sum().item())' in result.python
    assert "autoprint(nth(back, 1).item())" in result.python
    assert 'autoprint(dollar(torch_load(path), "a").item())' in result.python
    assert py_prints("from rtorch import *\n" + result.python) == "[1] 5\n[1] 1\n[1] TRUE\n[1] 1\n[1] 2\n"


def test_mean_of_a_tensor_is_torch_mean_as_r_torchs_method():
    python = port_text("x <- torch_tensor(c(1, 2, 4))\nm <- mean(x)\n")
    ns = {}
    exec("from rtorch import *\n" + python, ns)
    assert ns["m"].item() == pytest.approx(7 / 3) and ns["m"].dtype == ns["torch_float32"]()


def test_indexing_stays_a_tensors_where_the_value_may_be_a_tensor():
    python = _body(port_text("x <- c(1, 2, 3)\nx <- torch_tensor(x)\ny <- x[1]\nt <- torch_randn(3)\nz <- t[2]\n"))
    assert "y = x[1]" in python and "z = t[2]" in python and "rindex" not in python
    from rtorch.port.runtime import rindex
    import rtorch
    t = rtorch.torch_tensor(rtorch.c(4, 5, 6))
    assert rindex(t, 2).item() == 5  # a tensor reaching rindex is indexed as R torch indexes it


def test_vignette_report_catches_a_tensor_print_that_is_not_libtorchs(tmp_path, monkeypatch):
    import scripts.port_vignettes as pv
    pv.build_oracle()
    monkeypatch.setattr(pv, "RUNNER", pv.RUNNER.replace("out = _text(t, n)", "out = _text(t, n).replace(' 2', ' 9')"))
    path = tmp_path / "a.Rmd"
    path.write_text("```{r}\ntorch_tensor(c(1, 2, 3))\ntorch_tensor(5)\n```\n", encoding="utf-8")
    rows = pv.report(path, timeout=120)
    assert (rows["t_same"], rows["t_differ"], rows["tensor_prints"]) == (0, 1, 2)
    assert rows["differ"] == ["1 tensor print(s) differ from libtorch's: torch_tensor(c(1, 2, 3))"]


def test_vignette_report_checks_r_values_and_cat_a_torch_chunk_prints_against_r(tmp_path, monkeypatch):
    import scripts.port_vignettes as pv
    pv.build_oracle()
    path = tmp_path / "a.Rmd"
    path.write_text("```{r}\nx <- torch_ones(2, 3)\nx$size()\nas_array(x)\nprint(as_array(x) / 3, digits = 3)\n"
                    "cat(\"sum:\", x$sum()$item() / 7, \"\\n\")\n```\n", encoding="utf-8")
    rows = pv.report(path, timeout=120)
    assert (rows["t_same"], rows["t_differ"], rows["value_prints"], rows["tensor_prints"]) == (1, 0, 4, 0)
    runner = pv.RUNNER
    monkeypatch.setattr(pv, "RUNNER", runner.replace("out = _format_r(x, digits)",
                                                        "out = _format_r(x, digits).replace('1', '7')"))
    rows = pv.report(path, timeout=120)
    assert (rows["t_same"], rows["t_differ"]) == (0, 1)
    assert rows["differ"] == ["3 R value print(s) differ from R's: x <- torch_ones(2, 3)"]
    monkeypatch.setattr(pv, "RUNNER", runner.replace("_cat(*args, sep=sep, fill=fill)\n",
                                                        "_cat(*args, sep=sep + '!', fill=fill)\n"))
    rows = pv.report(path, timeout=120)
    assert rows["differ"] == ["1 R value print(s) differ from R's: x <- torch_ones(2, 3)"]


def test_a_list_of_modules_grows_with_c_and_splices_with_bang_bang_bang():
    r_code = ("layers <- list()\nfor (i in 1:2) layers <- c(layers, list(nn_linear(2, 2), nn_relu()))\n"
              "layers <- c(layers, list(nn_linear(2, 1)))\nlength(layers)\nmodel <- nn_sequential(!!!layers)\n"
              "length(model)\n")
    result = port(r_code)
    assert result.problems == []
    assert "model = nn_sequential(*layers)" in result.python
    assert py_prints("from rtorch import *\n" + result.python) == "[1] 5\n[1] 5\n"
    assert port("f <- function(...) 1\nf(a = !!!x)").problems[0][2] == "a named !!! argument has no rule"
