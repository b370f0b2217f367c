"""The one table of translation rules `rtorch port` applies, kept beside the README's porting contract.

`RULES` is the table: each row says how one R construct is written in rtorch. `kind` tells the translator
where the row applies:

- "binary" / "unary": an R operator and its Python operator;
- "constant": an R constant (a symbol or a literal) and its Python spelling;
- "call": an R function and the rtorch/Python function it becomes (same arguments);
- "form": an R construct the translator rewrites as a whole (its Python shape is in `py`); the emitter has one
  method per form, named in `py` after the "=>" where the form is a function call;
- "invisible": an R function whose value R does not auto-print at top level.

`CONTRACT` maps each row of README.md's porting-contract table (its R column, verbatim) to examples: R code
and the Python `rtorch port` writes for it. tests/test_port_contract.py checks that the README rows and these
keys are the same and that every example ports as written here, so the README, this table and the translator
cannot drift apart.
"""
from collections import namedtuple

Rule = namedtuple("Rule", "kind r py")

RULES = (
    # operators (R token text -> Python operator)
    Rule("binary", "+", "+"), Rule("binary", "-", "-"), Rule("binary", "*", "*"), Rule("binary", "/", "/"),
    Rule("binary", "^", "**"), Rule("binary", "%%", "%"), Rule("binary", "%/%", "//"),
    Rule("binary", "%*%", "@"),
    Rule("binary", "==", "=="), Rule("binary", "!=", "!="), Rule("binary", "<", "<"), Rule("binary", ">", ">"),
    Rule("binary", "<=", "<="), Rule("binary", ">=", ">="),
    Rule("binary", "&", "&"), Rule("binary", "|", "|"), Rule("binary", "&&", "and"), Rule("binary", "||", "or"),
    Rule("unary", "-", "-"), Rule("unary", "+", "+"),
    Rule("unary", "!", "~"),  # on tensors and R vectors; `not` where R needs one logical (if, while, &&, ||)
    # constants
    Rule("constant", "TRUE", "True"), Rule("constant", "FALSE", "False"),
    Rule("constant", "T", "True"), Rule("constant", "F", "False"),
    Rule("constant", "NULL", "None"), Rule("constant", "NA", "NA"), Rule("constant", "NA_real_", "NA_real_"),
    Rule("constant", "Inf", "Inf"), Rule("constant", "NaN", "NaN"), Rule("constant", "..", "..."),
    # functions renamed (R name -> rtorch name, same arguments)
    Rule("call", "class", "class_"), Rule("call", "as.integer", "as_integer"),
    Rule("call", "as.numeric", "as_numeric"), Rule("call", "as.double", "as_double"),
    Rule("call", "as.logical", "as_logical"), Rule("call", "as.matrix", "as_matrix"),
    Rule("call", "as.array", "as_array"), Rule("call", "as.character", "as_character"),
    Rule("call", "print", "rprint"), Rule("call", "paste", "paste"), Rule("call", "paste0", "paste0"),
    Rule("call", "sprintf", "sprintf"), Rule("call", "message", "message"),
    Rule("call", "conditionMessage", "conditionMessage"), Rule("call", "seq_len", "seq_len"),
    Rule("call", "seq_along", "seq_along"),
    Rule("call", "sqrt", "sqrt"), Rule("call", "exp", "exp"), Rule("call", "log", "log"),
    Rule("call", "tempfile", "tempfile"),
    Rule("call", "set.seed", "set_seed"), Rule("call", "runif", "runif"), Rule("call", "rnorm", "rnorm"),
    Rule("call", "dnorm", "dnorm"), Rule("call", "which", "which"), Rule("call", "sample", "sample"), Rule("call", "mean", "mean"),
    *(Rule("call", name, name) for name in ("sum", "max", "min", "abs", "round", "rev", "sort", "order", "t", "nrow",
                                            "ncol", "unlist", "sapply", "vapply", "identical")),
    Rule("call", "is.na", "is_na"), Rule("constant", "pi", "pi"),
    Rule("call", "Sys.setenv", "Sys_setenv"), Rule("call", "Sys.getenv", "Sys_getenv"),
    Rule("call", "lapply", "lapply"), Rule("call", "purrr::map", "lapply"), Rule("call", "purrr::walk", "walk"),
    # whole constructs
    Rule("form", "library(torch)", "from rtorch import *  => library"),
    Rule("form", "x <- v, x = v, v -> x", "x = v  => assign"),
    Rule("form", "x <<- v", "global x (nonlocal x in a nested function); x = v  => assign"),
    Rule("form", "x$name", "x.name (x['name'] where x holds a named list)"),
    Rule("form", "x[[1]], x[['a']], x[[i]]", "x[0], x['a'], x[rpos(i)]"),
    Rule("form", "t[1, ], t[.., 1], t[1, 1:2, drop = FALSE]", "t[1, :], t[..., 1], t[1, 1:2, drop(False)]"),
    Rule("form", "a:b", "seq(a, b); a:b inside [ ]"),
    Rule("form", "2L", "as_integer(2)"),
    Rule("form", "function(a, b = 1) { ...; last }", "def f(a, b=1): ...; return last"),
    Rule("form", "if (c) a else b", "if c: ... else: ... (a statement), a if c else b (an expression)"),
    Rule("form", "for (i in x) ...", "for i in x: ..."),
    Rule("form", "while (c) ...", "while c: ..."), Rule("form", "repeat ...", "while True: ..."),
    Rule("form", "break, next", "break, continue"),
    Rule("form", "list(a, b), list(a = 1)", "[a, b], {'a': 1}  => list"),
    Rule("form", "return(x)", "return x  => return"),
    Rule("form", "invisible(x)", "x (not auto-printed)  => invisible"),
    Rule("form", "is.null(x)", "x is None  => is_null"),
    Rule("form", "stop(...)", "raise RuntimeError(paste0(...))  => stop"),
    Rule("form", "x %>% f(y), x |> f(y)", "f(x, y)"),
    Rule("form", "with_no_grad({ ... })", "with with_no_grad(): ...  => with_block"),
    Rule("form", "with_enable_grad({ ... })", "with with_enable_grad(): ...  => with_block"),
    Rule("form", "with_detect_anomaly({ ... })", "with with_detect_anomaly(): ...  => with_block"),
    Rule("form", "with_autocast(device_type = 'cpu', { ... })", "with with_autocast(device_type='cpu'): ...  => with_block"),
    Rule("form", "with_device(device = 'cpu', { ... })", "with with_device(device='cpu'): ...  => with_block"),
    Rule("form", "with_torch_manual_seed(seed = 1, { ... })", "with with_torch_manual_seed(seed=1): ...  => with_block"),
    Rule("form", "coro::loop(for (b in dl) ...)", "for b in dl: ...  => loop"),
    Rule("form", "tryCatch(expr, error = function(e) ...)", "try: ... except Exception as e: ...  => try_catch"),
    Rule("form", "nn_module('Name', initialize = function(...) ..., forward = ...)",
         "def Name_initialize(self, ...); nn_module('Name', initialize=Name_initialize, ...)  => class_like"),
    Rule("form", "dataset(name = 'Name', .getitem = function(i) ..., .length = ..., .getbatch = ...)",
         "def Name_getitem(self, i); dataset('Name', getitem=Name_getitem, length=..., getbatch=...)  => class_like"),
    Rule("form", "ds$.getitem(i), ds$.length(), ds[[i]]", "ds.getitem(i), ds.length(), ds.getitem(i)"),
    Rule("form", "b$x, b[[1]] where b is a dataset's item or a dataloader's batch",
         "b['x'], nth(b, 1) (a named list is a dict; nth takes its values by position)"),
    Rule("form", "autograd_function(forward = function(ctx, x) ..., backward = ...)",
         "def forward(ctx, x); autograd_function(forward=forward, ...)  => class_like"),
    Rule("form", "x$saved_variables$a, x$needs_input_grad$a, opt$param_groups[[1]]$lr",
         "x.saved_variables['a'], x.needs_input_grad['a'], opt.param_groups[0]['lr'] (R lists that are dicts)"),
    Rule("form", "top-level expression statement", "autoprint(x): print(x) for tensors, rprint(x) otherwise"),
    # functions whose value R does not auto-print
    *(Rule("invisible", name, name) for name in (
        "cat", "print", "invisible", "library", "require", "torch_manual_seed", "set.seed", "Sys.setenv",
        "message", "rprint", "walk", "local_no_grad", "local_enable_grad", "local_torch_manual_seed",
        "local_device", "local_autocast",
        "torch_save")),
)

# members of R torch objects that hold named R lists (dicts in rtorch): `$` on them is `["name"]`
DICT_MEMBERS = ("saved_variables", "needs_input_grad", "param_groups")
# those of them that are named lists themselves: a name assigned one (`s <- ctx$saved_variables`) is a dict
NAMED_LIST_MEMBERS = ("saved_variables", "needs_input_grad")
# members of R torch modules that hold named lists (dicts): a for loop over them takes the values
DICT_VALUED_MEMBERS = ("parameters", "buffers", "children")
# module methods that return invisible(self) (or NULL) in R torch's R/nn.R: not auto-printed
MODULE_INVISIBLE = ("train", "eval", "cuda", "cpu", "to", "load_state_dict", "apply", "zero_grad",
                    "register_buffer", "register_parameter", "register_module", "add_module")


def table(kind):
    """The rules of one kind as a dict R -> Python."""
    return {rule.r: rule.py for rule in RULES if rule.kind == kind}


def forms():
    """R function name -> emitter method, for the forms spelled as a call."""
    out = {}
    for rule in RULES:
        if rule.kind == "form" and "=>" in rule.py:
            name = rule.r.split("(", 1)[0].split("::")[-1]
            out[name] = rule.py.split("=>")[1].strip()
    return out


# README row (its R column, verbatim) -> examples (R code, what `rtorch port` writes for it)
CONTRACT = {
    "`library(torch)`": [("library(torch)", "from rtorch import *")],
    "`t$method(a, dim = 1)`": [("t$method(a, dim = 1)", "autoprint(t.method(a, dim=1))")],
    "`t$dtype`, `t$device`, `t$shape`, `t$ndim`, `t$is_leaf`, `t$requires_grad`": [
        ("x <- t$dtype", "x = t.dtype"), ("x <- t$device", "x = t.device"), ("x <- t$shape", "x = t.shape"),
        ("x <- t$ndim", "x = t.ndim"), ("x <- t$is_leaf", "x = t.is_leaf"),
        ("x <- t$requires_grad", "x = t.requires_grad")],
    "`TRUE`, `FALSE`, `NULL`": [("x <- c(TRUE, FALSE)", "x = c(True, False)"), ("x <- NULL", "x = None")],
    "numeric literal `2` (an R double)": [("x <- torch_tensor(2)", "x = torch_tensor(2)")],
    "`2L`": [("x <- 2L", "x = as_integer(2)")],
    "`c(...)`, `rbind`, `cbind`, `matrix(..., ncol =, byrow =)`, `array(..., dim =)`, `seq`, `seq_len`, "
    "`rep`, `numeric(n)`, `integer(n)`, `logical(n)`, `1:9`, `NA`, `NaN`, `Inf`": [
        ("x <- c(1, 2)", "x = c(1, 2)"),
        ("x <- matrix(1:9, ncol = 3, byrow = TRUE)", "x = matrix(seq(1, 9), ncol=3, byrow=True)"),
        ("x <- seq(1, 9)", "x = seq(1, 9)"), ("x <- rbind(c(1, 2), c(3, 4))", "x = rbind(c(1, 2), c(3, 4))"),
        ("x <- array(1:8, dim = c(2, 2, 2))", "x = array(seq(1, 8), dim=c(2, 2, 2))"),
        ("x <- rep(1, 3)", "x = rep(1, 3)"), ("x <- numeric(3)", "x = numeric(3)"),
        ("x <- c(NA, NaN, Inf)", "x = c(NA, NaN, Inf)")],
    "`x[2]`, `x[-1]`, `x[x > 2]`, `m[1, ]`, `x[2] <- 0` on R vectors and matrices; `set.seed(1)`, `runif(n)`, "
    "`rnorm(n)`, `sample(x)`; `sum`, `max`, `mean`, `round`, `sapply`, `order`, ...": [
        ("x <- c(5, 1, 7)\ny <- x[-1]", "x = c(5, 1, 7)\ny = rindex(x, -1)"),
        ("m <- matrix(1:6, 2)\nm[1, ] <- 0L",
         "m = matrix(seq(1, 6), 2)\nm = rassign(m, as_integer(0), 1, slice(None))"),
        ("set.seed(1)\nu <- runif(3)", "set_seed(1)\nu = runif(3)"), ("s <- sum(1:3)", "s = sum(seq(1, 3))")],
    "`as.integer(x)`, `as.numeric(x)`, `as.logical(x)`, `as.matrix(x)`, `as.array(x)`, `as_array(x)`": [
        ("y <- as.integer(x)", "y = as_integer(x)"), ("y <- as.numeric(x)", "y = as_numeric(x)"),
        ("y <- as.logical(x)", "y = as_logical(x)"), ("y <- as.matrix(x)", "y = as_matrix(x)"),
        ("y <- as.array(x)", "y = as_array(x)"), ("y <- as_array(x)", "y = as_array(x)")],
    "`dim(x)`, `length(x)` on tensors and R-typed arrays": [("y <- dim(x)", "y = dim(x)"),
                                                         ("y <- length(x)", "y = length(x)")],
    "`class(x)`": [("y <- class(x)", "y = class_(x)")],
    "auto-print of an R value (`t$size()`, `as_array(t)`, `t$dtype`)": [
        ("t$size()", "autoprint(t.size())"), ("as_array(t)", "autoprint(as_array(t))"),
        ("t$dtype", "autoprint(t.dtype)")],
    '`cat("Loss: ", loss, "\\n")`': [('cat("Loss: ", loss, "\\n")', 'cat("Loss: ", loss, "\\n")')],
    "`for (t in 1:200)`": [("for (t in 1:200) {}", "for t in seq(1, 200):\n    pass")],
    "`a^2`, `a %% b`, `a %/% b`, `!a`, `a %*% b`": [
        ("x <- a^2", "x = a ** 2"), ("x <- a %% b", "x = a % b"), ("x <- a %/% b", "x = a // b"),
        ("x <- !a", "x = ~a"), ("x <- a %*% b", "x = a @ b")],
    "`t[1, 1:2]`": [("x <- t[1, 1:2]", "x = t[1, 1:2]")],
    "`t[1, ]`": [("x <- t[1, ]", "x = t[1, :]")],
    "`t[1, 1:2, drop = FALSE]`": [("x <- t[1, 1:2, drop = FALSE]", "x = t[1, 1:2, drop(False)]")],
    "`t[-1]`, `t[2:-1]`, `t[-2:N]`, `t[2:N]`": [
        ("x <- t[-1]", "x = t[-1]"), ("x <- t[2:-1]", "x = t[2:-1]"), ("x <- t[-2:N]", "x = t[-2:N]"),
        ("x <- t[2:N]", "x = t[2:N]")],
    "`t[2:10:2]`": [("x <- t[2:10:2]", "x = t[2:10:2]")],
    "`t[.., 1]`": [("x <- t[.., 1]", "x = t[..., 1]")],
    "`x[, 1, NULL]`, `x[newaxis, ]`": [("y <- x[, 1, NULL]", "y = x[:, 1, None]"),
                                      ("y <- x[newaxis, ]", "y = x[newaxis, :]")],
    "`x[c(1, 3, 2)]`, `x[c(TRUE, FALSE)]`, `x[mask_tensor]`, `x[long_tensor]`": [
        ("y <- x[c(1, 3, 2)]", "y = x[c(1, 3, 2)]"), ("y <- x[c(TRUE, FALSE)]", "y = x[c(True, False)]"),
        ("y <- x[mask_tensor]", "y = x[mask_tensor]"), ("y <- x[long_tensor]", "y = x[long_tensor]")],
    "`x[x < 0] <- 0`, `x[1, ] <- c(1, 2)`": [("x[x < 0] <- 0", "x[x < 0] = 0"),
                                            ("x[1, ] <- c(1, 2)", "x[1, :] = c(1, 2)")],
    "top-level auto-print of `t`": [("t", "autoprint(t)")],
    "`list(a, b)` returned by R torch (`t$max(dim = 1)`, `t$sort()`)": [
        ("y <- res[[1]]", "y = res[0]"), ("y <- t$max(dim = 1)[[2]]", "y = t.max(dim=1)[1]")],
    "`torch_manual_seed(1)`, `with_torch_manual_seed(seed = 1, { ... })`": [
        ("torch_manual_seed(1)", "torch_manual_seed(1)"),
        ("with_torch_manual_seed(seed = 1, {\n  x <- torch_randn(2)\n})",
         "with with_torch_manual_seed(seed=1):\n    x = torch_randn(2)")],
    "`torch_tensor(x, requires_grad = TRUE)`, `torch_randn(2, 2, requires_grad = TRUE)`": [
        ("y <- torch_tensor(x, requires_grad = TRUE)", "y = torch_tensor(x, requires_grad=True)"),
        ("y <- torch_randn(2, 2, requires_grad = TRUE)", "y = torch_randn(2, 2, requires_grad=True)")],
    "`x$requires_grad <- TRUE`, `x$requires_grad_(TRUE)`": [
        ("x$requires_grad <- TRUE", "x.requires_grad = True"), ("x$requires_grad_(TRUE)", "autoprint(x.requires_grad_(True))")],
    "`x$grad` (an undefined tensor until a backward reaches `x`), `is_undefined_tensor(x$grad)`": [
        ("g <- x$grad", "g = x.grad"), ("u <- is_undefined_tensor(x$grad)", "u = is_undefined_tensor(x.grad)")],
    "`y$grad_fn`, `y$grad_fn$next_functions`": [("y$grad_fn", "autoprint(y.grad_fn)"),
                                                ("y$grad_fn$next_functions", "autoprint(y.grad_fn.next_functions)")],
    "`y$backward()`, `y$backward(gradient = g, retain_graph = TRUE, create_graph = TRUE)`": [
        ("y$backward()", "autoprint(y.backward())"),
        ("y$backward(gradient = g, retain_graph = TRUE, create_graph = TRUE)",
         "autoprint(y.backward(gradient=g, retain_graph=True, create_graph=True))")],
    "`x$is_leaf`, `x$retain_grad()`, `x$retains_grad`, `x$detach()`, `x$detach_()`": [
        ("z <- x$detach()", "z = x.detach()"), ("z <- x$retains_grad", "z = x.retains_grad")],
    "`h <- x$register_hook(function(grad) grad * 2)`; `h$remove()`": [
        ("h <- x$register_hook(function(grad) grad * 2)",
         "def _fn1(grad):\n    return grad * 2\n\nh = x.register_hook(_fn1)"),
        ("h$remove()", "autoprint(h.remove())")],
    "`with_no_grad({ ... })`, `with_enable_grad({ ... })`, `with_detect_anomaly({ ... })`": [
        ("with_no_grad({\n  w$sub_(1)\n})", "with with_no_grad():\n    autoprint(w.sub_(1))"),
        ("with_enable_grad({\n  y <- x * 2\n})", "with with_enable_grad():\n    y = x * 2"),
        ("with_detect_anomaly({\n  y <- x * 2\n})", "with with_detect_anomaly():\n    y = x * 2")],
    "`local_no_grad()`, `local_torch_manual_seed(1)`, `with_autocast(device_type = \"cpu\", { ... })`, "
    "`with_device(device = \"cpu\", { ... })`": [
        ("local_no_grad()", "local_no_grad()"), ("local_torch_manual_seed(1)", "local_torch_manual_seed(1)"),
        ("with_autocast(device_type = \"cpu\", {\n  y <- x * 2\n})", "with with_autocast(device_type=\"cpu\"):\n    y = x * 2"),
        ("with_device(device = \"cpu\", {\n  y <- x * 2\n})", "with with_device(device=\"cpu\"):\n    y = x * 2")],
    "`autograd_set_grad_mode(FALSE)`": [("autograd_set_grad_mode(FALSE)", "autoprint(autograd_set_grad_mode(False))")],
    "`autograd_grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused)`, "
    "`autograd_backward(tensors, grad_tensors)`": [
        ("g <- autograd_grad(y, x, create_graph = TRUE)", "g = autograd_grad(y, x, create_graph=True)"),
        ("b <- autograd_backward(list(y), list(g))", "b = autograd_backward([y], [g])")],
    "`autograd_function(forward = function(ctx, x) ..., backward = function(ctx, grad_output) ...)`; "
    "`ctx$save_for_backward(x = x)`; `ctx$saved_variables$x`; `ctx$needs_input_grad$x`; backward returns "
    "`list(x = ...)`": [
        ("f <- autograd_function(\n  forward = function(ctx, x) {\n    ctx$save_for_backward(x = x)\n    x * 2\n  },\n"
         "  backward = function(ctx, grad_output) {\n    list(x = grad_output * 2 * ctx$needs_input_grad$x)\n  }\n)",
         "def autograd_function_forward(ctx, x):\n    ctx.save_for_backward(x=x)\n    return x * 2\n\n"
         "def autograd_function_backward(ctx, grad_output):\n"
         "    return {\"x\": grad_output * 2 * ctx.needs_input_grad[\"x\"]}\n\n"
         "f = autograd_function(forward=autograd_function_forward, backward=autograd_function_backward)"),
        ("v <- ctx$saved_variables$x", "v = ctx.saved_variables[\"x\"]")],
    "`Net <- nn_module(\"Net\", initialize = function(self, d) { self$fc <- nn_linear(d, 1) }, forward = "
    "function(self, x) self$fc(x))`": [
        ("Net <- nn_module(\"Net\", initialize = function(self, d) { self$fc <- nn_linear(d, 1) }, forward = "
         "function(self, x) self$fc(x))",
         "def Net_initialize(self, d):\n    self.fc = nn_linear(d, 1)\n    return self.fc\n\n"
         "def Net_forward(self, x):\n    return self.fc(x)\n\n"
         "Net = nn_module(\"Net\", initialize=Net_initialize, forward=Net_forward)")],
    "`net <- Net(3)`; `net(x)`; `nn_module(inherit = Base, ...)`; `super$initialize(...)`": [
        ("Net <- nn_module(\"Net\")\nnet <- Net(3)\ny <- net(x)",
         "Net = nn_module(\"Net\")\nnet = Net(3)\ny = net(x)"),
        ("Child <- nn_module(inherit = Net, initialize = function(self, d) super$initialize(d))",
         "def nn_module_initialize(self, d):\n    return self.super_.initialize(d)\n\n"
         "Child = nn_module(inherit=Net, initialize=nn_module_initialize)")],
    "`model$parameters` (named list: `\"fc.weight\"`, `\"0.weight\"`, ...)": [
        ("p <- model$parameters", "p = model.parameters"),
        ("for (p in model$parameters) print(p$shape)", "for p in model.parameters.values():\n    rprint(p.shape)")],
    "`model$zero_grad()`, `$train()`, `$eval()`, `$training`, `$state_dict()`, `$load_state_dict(sd)`, "
    "`$to(device =, dtype =)`, `$children`, `$modules`, `$named_parameters()`, `$apply(fn)`": [
        ("model <- nn_linear(1, 1)\nmodel$zero_grad()\nmodel$eval()\nmodel$to(dtype = torch_float64())",
         "model = nn_linear(1, 1)\nmodel.zero_grad()\nmodel.eval()\nmodel.to(dtype=torch_float64())"),
        ("sd <- model$state_dict()", "sd = model.state_dict()")],
    "`nn_parameter(x)`, `nn_buffer(x)`, `self$register_buffer(\"b\", x)`": [
        ("w <- nn_parameter(torch_randn(2, 2))", "w = nn_parameter(torch_randn(2, 2))")],
    "`print(model)`": [("print(model)", "rprint(model)")],
    "`nn_sequential(...)`, `nn_module_list(list(...))`, `nn_module_dict(list(a = ...))`; `model[[1]]`": [
        ("model <- nn_sequential(nn_linear(3, 32), nn_relu(), nn_linear(32, 1))",
         "model = nn_sequential(nn_linear(3, 32), nn_relu(), nn_linear(32, 1))"),
        ("d <- nn_module_dict(list(a = nn_linear(1, 1)))", "d = nn_module_dict({\"a\": nn_linear(1, 1)})"),
        ("model <- nn_sequential(nn_relu())\nfirst <- model[[1]]", "model = nn_sequential(nn_relu())\nfirst = model[1]")],
    "`nn_linear`, `nn_conv2d`, `nn_max_pool2d`, `nn_batch_norm1d`, `nn_dropout`, `nn_embedding`, `nn_lstm`, "
    "`nn_multihead_attention`, `nn_relu`, `nn_softmax(dim = 2)`, ... and their `nnf_*` forms": [
        ("m <- nn_softmax(dim = 2)", "m = nn_softmax(dim=2)"), ("y <- nnf_relu(x)", "y = nnf_relu(x)")],
    "`nnf_mse_loss(y_pred, y, reduction = \"sum\")`, `nnf_cross_entropy(logits, target)` (1-based class labels), "
    "`nn_cross_entropy_loss()`": [
        ("loss <- nnf_mse_loss(y_pred, y, reduction = \"sum\")", "loss = nnf_mse_loss(y_pred, y, reduction=\"sum\")"),
        ("crit <- nn_cross_entropy_loss()", "crit = nn_cross_entropy_loss()")],
    "`nn_init_kaiming_uniform_(w, a = sqrt(5))`, `nn_init_normal_`, `nn_init_zeros_`, ...": [
        ("w <- nn_init_kaiming_uniform_(w, a = sqrt(5))", "w = nn_init_kaiming_uniform_(w, a=sqrt(5))")],
    "`optim_sgd(params, lr, momentum, dampening, weight_decay, nesterov)`, `optim_adam(..., betas = c(0.9, "
    "0.999), eps, weight_decay, amsgrad)`, `optim_adamw`, `optim_rmsprop`, `optim_adagrad`, `optim_adadelta`, "
    "`optim_lbfgs` (`$step(closure)`)": [
        ("opt <- optim_sgd(model$parameters, lr = 0.1, momentum = 0.9)",
         "opt = optim_sgd(model.parameters, lr=0.1, momentum=0.9)")],
    "`opt$zero_grad()`, `opt$step()`, `opt$param_groups[[1]]$lr`, `opt$state_dict()`, `opt$load_state_dict(sd)`": [
        ("opt$zero_grad()", "autoprint(opt.zero_grad())"), ("opt$step()", "autoprint(opt.step())"),
        ("lr <- opt$param_groups[[1]]$lr", "lr = opt.param_groups[0][\"lr\"]")],
    "`lr_step(opt, step_size, gamma)`, `lr_multiplicative`, `lr_lambda`, `lr_one_cycle(opt, max_lr, total_steps)`, "
    "`lr_cosine_annealing(opt, T_max)`, `lr_reduce_on_plateau(opt)`; `sched$step()`, `sched$step(loss)`": [
        ("sched <- lr_step(opt, step_size = 1, gamma = 0.5)", "sched = lr_step(opt, step_size=1, gamma=0.5)"),
        ("sched$step(loss)", "autoprint(sched.step(loss))")],
    # ---- README section "Data and files, R to rtorch" ----
    "`ds <- dataset(name = \"d\", initialize = function(self, x) ..., .getitem = function(self, i) ..., "
    ".length = function(self) ...)`, `.getbatch = function(self, i) ...`": [
        ("ds <- dataset(name = \"d\", initialize = function(self, x) {\n  self$x <- x\n},\n"
         "  .getitem = function(self, i) list(x = self$x[i]), .length = function(self) length(self$x))",
         "def d_initialize(self, x):\n    self.x = x\n    return self.x\n\n"
         "def d_getitem(self, i):\n    return {\"x\": self.x[i]}\n\n"
         "def d_length(self):\n    return length(self.x)\n\n"
         "ds = dataset(\"d\", initialize=d_initialize, getitem=d_getitem, length=d_length)"),
        ("ds <- dataset(\"d\", .getbatch = function(i) self$x[i, ])",
         "def d_getbatch(self, i):\n    return self.x[i, :]\n\nds = dataset(\"d\", getbatch=d_getbatch)")],
    "`ds[i]`, `ds[[i]]`, `length(ds)`, `dataset_subset(ds, indices)`, `tensor_dataset(x, y)`": [
        ("ds <- tensor_dataset(x, y)\nitem <- ds[2]\nitem <- ds[[2]]\nn <- length(ds)\n"
         "sub <- dataset_subset(ds, c(1, 3))",
         "ds = tensor_dataset(x, y)\nitem = ds[2]\nitem = ds.getitem(2)\nn = length(ds)\n"
         "sub = dataset_subset(ds, c(1, 3))"),
        ("item <- ds$.getitem(1)\nn <- ds$.length()", "item = ds.getitem(1)\nn = ds.length()")],
    "`dataloader(ds, batch_size = 32, shuffle = TRUE, drop_last = FALSE, collate_fn = ..., num_workers = 0)`": [
        ("dl <- dataloader(ds, batch_size = 32, shuffle = TRUE, drop_last = FALSE, num_workers = 0)",
         "dl = dataloader(ds, batch_size=32, shuffle=True, drop_last=False, num_workers=0)")],
    "`coro::loop(for (b in dl) ...)`, `dataloader_make_iter(dl)`, `dataloader_next(it)`, `length(dl)`": [
        ("dl <- dataloader(ds, batch_size = 2)\ncoro::loop(for (b in dl) {\n  print(b$x)\n})",
         "dl = dataloader(ds, batch_size=2)\nfor b in dl:\n    rprint(b[\"x\"])"),
        ("it <- dataloader_make_iter(dl)\nb <- dataloader_next(it)\nn <- length(dl)",
         "it = dataloader_make_iter(dl)\nb = dataloader_next(it)\nn = length(dl)")],
    "a batch of named list items `b$x`": [
        ("b <- dataloader_next(it)\nx <- b$x\ny <- b[[2]]", "b = dataloader_next(it)\nx = b[\"x\"]\ny = nth(b, 2)"),
        ("dl <- dataloader(ds, batch_size = 2)\nfor (b in dl) y <- b[[1]]",
         "dl = dataloader(ds, batch_size=2)\nfor b in dl:\n    y = nth(b, 1)")],
    "`torch_save(x, path)`, `torch_save(model, path)`, `torch_save(list(a = t1, b = t2), path)`, "
    "`torch_load(path)`, `torch_serialize(x)`": [
        ("torch_save(x, path)", "torch_save(x, path)"), ("torch_save(model, path)", "torch_save(model, path)"),
        ("torch_save(list(a = t1, b = t2), path)", "torch_save({\"a\": t1, \"b\": t2}, path)"),
        ("y <- torch_load(path)", "y = torch_load(path)"), ("r <- torch_serialize(x)", "r = torch_serialize(x)"),
        ("path <- tempfile(fileext = \".pt\")", "path = tempfile(fileext=\".pt\")")],
    "`load_state_dict(path)`": [("sd <- load_state_dict(path)", "sd = load_state_dict(path)")],
}
