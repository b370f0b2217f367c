"""Walk R's parse tree and write rtorch Python, by the rules in rules.py.

A statement that cannot be translated is kept as comments (`# rtorch port: not translated: <line>`) and listed
in `Porter.problems`; nothing is dropped silently.
"""
import functools
import json
import keyword
import re

from rtorch.port import rules
from rtorch.port._parse import parse_r

BINARY = rules.table("binary")
UNARY = rules.table("unary")
CONSTANTS = rules.table("constant")
RENAMES = rules.table("call")
FORMS = rules.forms()
INVISIBLE = set(rules.table("invisible"))
RUNTIME = ("autoprint", "rpos", "nth", "paste", "paste0", "sprintf", "message", "conditionMessage", "walk",
           "lapply", "sqrt", "exp", "log", "tempfile", "dollar", "set_seed", "runif", "rnorm", "dnorm", "which", "mean",
           "Sys_setenv", "Sys_getenv", "sum", "max", "min", "abs", "round", "rev", "sort", "t", "nrow", "ncol",
           "unlist", "sapply", "vapply", "is_na", "identical", "pi", "rindex", "rassign", "sample", "order")

# Python precedence, low to high
P_IF, P_OR, P_AND, P_NOT, P_CMP, P_BOR, P_BAND, P_ADD, P_MUL, P_UNARY, P_POW, P_POST, P_ATOM = range(1, 14)
PY_PREC = {"or": P_OR, "and": P_AND, "==": P_CMP, "!=": P_CMP, "<": P_CMP, ">": P_CMP, "<=": P_CMP,
           ">=": P_CMP, "|": P_BOR, "&": P_BAND, "+": P_ADD, "-": P_ADD, "*": P_MUL, "/": P_MUL, "%": P_MUL,
           "//": P_MUL, "@": P_MUL, "**": P_POW}
EXPR_TOKENS = ("expr", "equal_assign", "expr_or_assign_or_help")
ASSIGN_TOKENS = ("LEFT_ASSIGN", "EQ_ASSIGN", "RIGHT_ASSIGN")
PIPES = ("%>%", "|>")
PY_NAMES = {"True", "False", "None", "print", "str", "len", "range", "isinstance", "Exception", "RuntimeError"}
# functions whose function arguments become defs taking `self` (R gives them `self` implicitly)
SELF_FORMS = ("nn_module", "dataset")
WITH_FORMS = ("with_no_grad", "with_enable_grad", "with_torch_manual_seed", "with_autocast", "with_device")
# what a call makes, by the function called (a module, a dataset, ...): decides `[[ ]]`, `$` and auto-print
MAKES = {"nn_module": "module_gen", "dataset": "dataset_gen", "tensor_dataset": "dataset",
         "dataset_subset": "dataset", "dataloader": "dataloader", "dataloader_next": "batch",
         "torch_load": "loaded"}
# R functions whose value is an R vector or matrix, never a tensor
RVEC_MAKERS = {"c", "seq", "seq_len", "seq_along", "rep", "numeric", "integer", "logical", "character",
               "matrix", "array", "rbind", "cbind", "runif", "rnorm", "sample", "which", "sapply", "vapply",
               "unlist", "rev", "sort", "order", "as_array", "as.array", "as.numeric", "as.integer", "as.logical",
               "as.double", "as.matrix", "as.character", "paste", "paste0", "is.na", "dnorm"}
NOT_MODULES = ("nn_module", "nn_parameter", "nn_buffer", "nn_init_", "nn_utils_")

# inside nn_module()/dataset() methods R6 binds these names
SELF_MEMBERS = {"super": "self.super_", "private": "self.private"}


class Untranslatable(Exception):
    """This R construct has no rule; the statement holding it is kept as a comment."""


@functools.cache
def _known_names():
    import rtorch
    return frozenset(dir(rtorch)) | set(RUNTIME) | PY_NAMES


@functools.cache
def _function_names():
    """rtorch's exported functions (not its submodules or constants): the names R code calls."""
    import inspect
    import rtorch
    return frozenset(n for n in dir(rtorch) if callable(getattr(rtorch, n)) and not inspect.ismodule(getattr(rtorch, n)))


class Porter:
    def __init__(self, text, defined=()):
        self.src = text.splitlines()
        self.top, comments = parse_r(text)
        self.comments = comments
        self.ci = 0                       # next comment to place
        self.problems = []                # (line, R source, reason)
        self.runtime = set()              # helpers imported from rtorch.port.runtime
        self.pending = []                 # hoisted defs for the statement being translated
        self.scopes = []                  # names assigned in each enclosing def
        self.counter = 0
        self.known = _known_names()
        self.functions = _function_names()
        self.defined = set(defined)
        self.dict_names = {d[1] for d in self.defined if isinstance(d, tuple) and d[0] == "dict"}
        self.kinds = {d[1]: d[2] for d in self.defined if isinstance(d, tuple) and d[0] == "kind"}
        self.shadows = {d[1] for d in self.defined if isinstance(d, tuple) and d[0] == "shadow"}
        self.class_depth = 0
        self.rvec_names = {d[1] for d in self.defined if isinstance(d, tuple) and d[0] == "rvec"}
        self._rvec_votes = {}
        self._collect(self.top)
        for name, votes in self._rvec_votes.items():
            if votes == {True}:
                self.rvec_names.add(name)
                self.defined.add(("rvec", name))
            else:
                self.rvec_names.discard(name)
                self.defined.discard(("rvec", name))

    # ---- pre-pass: names the script defines, names holding named lists ----
    def _collect(self, nodes):
        for node in nodes:
            self._collect_node(node)

    def _collect_node(self, node):
        toks = node.tokens()
        if len(toks) == 3 and toks[1] in ASSIGN_TOKENS:
            target, value = (node.children[2], node.children[0]) if toks[1] == "RIGHT_ASSIGN" else (
                node.children[0], node.children[2])
            name = _symbol(target)
            if name:
                self.defined.add(name)
                self._rvec_votes.setdefault(name, set()).add(self._is_rvec(value))
                if _kind(value) != "function":
                    self._shadow(name)
                if self._dict_valued(value) or (_kind(value) == "dollar"
                                                and value.children[2].text in rules.NAMED_LIST_MEMBERS):
                    self.dict_names.add(name)
                    self.defined.add(("dict", name))
            kind = self._makes(value)
            if kind and _kind(target) in ("symbol", "dollar"):
                self.kinds[self.rtext(target)] = kind
                self.defined.add(("kind", self.rtext(target), kind))
        for child in node.children:
            if child.token in ("SYMBOL_FORMALS",):
                self.defined.add(child.text)
            elif child.token == "forcond":
                var = child.children[1].text
                self.defined.add(var)
                self._shadow(var)
                if self.kind_of(child.children[3]) == "dataloader":
                    self.dict_names.add(var)
                    self.defined.add(("dict", var))
                    self.kinds[var] = "batch"
                    self.defined.add(("kind", var, "batch"))
            self._collect_node(child)

    def _is_rvec(self, node):
        """Whether a value is an R vector or matrix (NumPy, not a tensor): what R-base constructors, R's
        `a:b` and literals make; `[ ]` on it is R's (rindex), not a tensor's."""
        kind = _kind(node)
        if kind in ("number", "string"):
            return True
        if kind == "symbol":
            name = _symbol(node)
            votes = self._rvec_votes.get(name)
            return (votes == {True}) if votes else (name in self.rvec_names or name in ("TRUE", "FALSE", "T", "F"))
        if kind == "paren":
            return self._is_rvec(node.children[1])
        if kind == "unary":
            return self._is_rvec(node.children[1])
        if kind == "binary":
            op = node.children[1].text
            if op == ":":
                return True
            return op in BINARY and self._is_rvec(node.children[0]) and self._is_rvec(node.children[2])
        if kind == "index":
            return self._is_rvec(node.children[0])
        if kind == "call":
            return _call_name(node.children[0]) in RVEC_MAKERS and _kind(node.children[0]) != "namespace"
        return False

    def rtext(self, node):
        """A node's R source, without spaces (the key of `kinds`)."""
        lines = self.src[node.line1 - 1:node.line2]
        if not lines:
            return ""
        if len(lines) == 1:
            text = lines[0][node.col1 - 1:node.col2]
        else:
            text = "".join([lines[0][node.col1 - 1:]] + lines[1:-1] + [lines[-1][:node.col2]])
        return re.sub(r"\s+", "", text)

    def kind_of(self, node):
        return self.kinds.get(self.rtext(node))

    def _makes(self, value):
        """What the value of an assignment is (a module, an optimizer, ...), where the call says."""
        if _kind(value) in ("index", "index2") and self.kind_of(value.children[0]) == "dataset":
            return "batch"
        if _kind(value) == "call" and self._method_call(value) and self._method_call(value)[1] in (
                ".getitem", ".getbatch") and self.kind_of(self._method_call(value)[0]) == "dataset":
            return "batch"
        if _kind(value) != "call":
            return None
        name = _call_name(value.children[0])
        if name is None:
            return None
        if name in MAKES:
            return MAKES[name]
        if name.startswith("optim_"):
            return "optimizer"
        if name.startswith("nn_") and not name.startswith(NOT_MODULES):
            return "module"
        made = self.kinds.get(name)
        return {"module_gen": "module", "dataset_gen": "dataset"}.get(made)

    # ---- driver ----
    def run(self):
        body = self.block(self.top, "print", end_line=None, every=True)
        lines = [line for line in body]
        while lines and lines[-1] == "":
            lines.pop()
        if self.runtime:
            helpers = ", ".join(sorted(self.runtime))
            lines.insert(0, f"from rtorch.port.runtime import {helpers}")
        return "\n".join(lines) + "\n" if lines else ""

    # ---- comments ----
    def _comments_before(self, line, indent):
        out = []
        while self.ci < len(self.comments) and self.comments[self.ci].line1 < line:
            out.append(indent + _py_comment(self.comments[self.ci].text))
            self.ci += 1
        return out

    def _trailing_comment(self, node):
        if (self.ci < len(self.comments) and self.comments[self.ci].line1 == node.line2
                and self.comments[self.ci].col1 > node.col2):
            self.ci += 1
            return "  " + _py_comment(self.comments[self.ci - 1].text)
        return ""

    def _skip_comments_through(self, line):
        while self.ci < len(self.comments) and self.comments[self.ci].line1 <= line:
            self.ci += 1

    # ---- statements ----
    def block(self, stmts, sink, end_line, indent="", every=False):
        """Lines for a sequence of statements; the last one's value goes to `sink` (every one's if `every`:
        R auto-prints each top-level statement)."""
        out, last = [], None
        stmts = [s for s in stmts if s.token in EXPR_TOKENS]
        for k, stmt in enumerate(stmts):
            before = self._comments_before(stmt.line1, indent)
            first = stmt.line1 - len(before)
            if last is not None and first > last + 1 and out and out[-1] != "":
                out.append("")
            out.extend(before)
            out.extend(self.statement(stmt, sink if every or k == len(stmts) - 1 else "discard", indent))
            last = stmt.line2
        if end_line is not None:
            out.extend(self._comments_before(end_line, indent))
        else:
            before = self._comments_before(10 ** 9, indent)
            if before and out and out[-1] != "":
                out.append("")
            out.extend(before)
        return out

    def statement(self, node, sink, indent):
        saved, self.pending = self.pending, []
        ci = self.ci
        try:
            lines = self.stmt(node, sink)
            if self.pending:
                lines = [line for fn in self.pending for line in fn] + lines
        except Untranslatable as exc:
            self.ci = ci
            self._skip_comments_through(node.line2)
            self.problems.append((node.line1, self.src[node.line1 - 1].strip(), str(exc)))
            lines = [f"# rtorch port: not translated: {line}" for line in self.src[node.line1 - 1:node.line2]]
            self.pending = saved
            return [indent + line for line in lines]
        self.pending = saved
        lines = [indent + line if line else line for line in lines]
        lines[-1] += self._trailing_comment(node)
        return lines

    def body(self, node, sink, indent="    "):
        """The lines of a loop/if/function body (a `{}` block or one expression), indented."""
        if _kind(node) == "block":
            lines = self.block(node.children[1:-1], sink, node.children[-1].line1, indent)
        else:
            lines = self.statement(node, sink, indent)
        if not any(line.strip() and not line.strip().startswith("#") for line in lines):
            lines.append(indent + "pass")
        return lines

    def stmt(self, node, sink):
        kind = _kind(node)
        ch = node.children
        if kind == "assign":
            return self.assign(node, sink)
        if kind == "block":
            return self.block(ch[1:-1], sink, ch[-1].line1) or ["pass"]
        if kind == "paren" and sink != "discard":
            return self.stmt(ch[1], sink)
        if kind == "if":
            if sink == "return" and self._simple_if(node):
                return [f"return {self.ex(node)[0]}"]
            return self.if_statement(node, sink)
        if kind == "for":
            cond = ch[1]
            var = self.var(cond.children[1].text)
            seq, prec = self.ex(cond.children[3])
            if self._dict_valued(cond.children[3]):
                seq = f"{_paren((seq, prec), P_POST)}.values()"
            return [f"for {var} in {seq}:"] + self.body(ch[2], "discard") + self._none(sink)
        if kind == "while":
            cond, _ = self.ex(ch[2], scalar=True)
            return [f"while {cond}:"] + self.body(ch[4], "discard") + self._none(sink)
        if kind == "repeat":
            return ["while True:"] + self.body(ch[1], "discard") + self._none(sink)
        if kind in ("break", "next"):
            return ["break" if kind == "break" else "continue"]
        if kind == "call":
            form = self._form_of(node)
            if form in ("with_block", "loop", "try_catch", "return", "stop", "library", "invisible"):
                return getattr(self, "form_" + form)(node, sink)
        code, _ = self.ex(node)
        return self._sink(code, sink, node)

    def _shadow(self, name):
        """R finds functions apart from other values: `c <- x` leaves `c(1, 2)` working. A variable named
        like an rtorch function is therefore renamed (`c_`) wherever it is used as a value."""
        if _name(name) in self.functions:
            self.shadows.add(name)
            self.defined.add(("shadow", name))

    def var(self, text):
        return _name(text) + "_" if text in self.shadows else _name(text)

    def _dict_valued(self, node):
        """Whether a value is an R named list (a dict: a loop over it takes its values, as R's does)."""
        kind = _kind(node)
        if kind == "symbol":
            return _symbol(node) in self.dict_names
        if kind == "dollar":
            return node.children[2].text in rules.DICT_VALUED_MEMBERS
        if kind == "call" and _kind(node.children[0]) == "dollar":
            return node.children[0].children[2].text in ("named_parameters", "named_buffers", "state_dict")
        return _is_named_list(node)

    def _none(self, sink):
        return ["return None"] if sink == "return" else ([f"{sink[1]} = None"] if isinstance(sink, tuple) else [])

    def _sink(self, code, sink, node=None):
        if sink == "return":
            return [f"return {code}"]
        if isinstance(sink, tuple):
            return [f"{sink[1]} = {code}"]
        if sink == "print" and not self._invisible(node):
            method = self._method_call(node)
            if method and method[1] == "step" and self.kind_of(method[0]) == "optimizer":
                return [f"rprint({code})"]
            if method and method[1] in rules.MODULE_INVISIBLE and self.kind_of(method[0]) == "module":
                return [code]
            self.runtime.add("autoprint")
            return [f"autoprint({code})"]
        return [code]

    def _method_call(self, node):
        """(object node, method name) of a call `obj$method(...)`, else None."""
        if node is None or _kind(node) != "call" or _kind(node.children[0]) != "dollar":
            return None
        fn = node.children[0]
        return fn.children[0], fn.children[2].text

    def _invisible(self, node):
        if node is None or _kind(node) != "call":
            return False
        fn = node.children[0]
        name = _call_name(fn)
        return name in INVISIBLE

    def assign(self, node, sink):
        ch = node.children
        op = ch[1].text
        target, value = (ch[2], ch[0]) if op == "->" or op == "->>" else (ch[0], ch[2])
        if op in ("->>",):
            raise Untranslatable("->> has no rule")
        if (_kind(target) == "index" and _symbol(target.children[0]) in self.rvec_names
                and op not in ("<<-",)):
            name = self.var(_symbol(target.children[0]))
            if self.scopes:
                self.scopes[-1].add(name)
            self.runtime.add("rassign")
            code, _ = self.ex(value)
            args = self.rvec_args(target)
            if any(a.startswith("drop=") for a in args.split(", ")):
                raise Untranslatable("drop= in an assignment has no rule")
            lines = [f"{name} = rassign({name}, {code}, {args})"]
            if sink == "return":
                lines.append(f"return {name}")
            elif isinstance(sink, tuple):
                lines.append(f"{sink[1]} = {name}")
            return lines
        tcode = self.target(target)
        lines = []
        if op == "<<-":
            name = _symbol(target)
            if not name:
                raise Untranslatable("<<- to something other than a name")
            if self.scopes:
                outer = any(_name(name) in s for s in self.scopes[:-1])
                lines.append(("nonlocal " if outer else "global ") + _name(name))
        vkind = _kind(value)
        if vkind == "function" and _symbol(target):
            lines += self.function_def(_name(_symbol(target)), value)
        elif vkind == "assign":
            inner = self.assign(value, "discard")
            lines += inner[:-1] + [f"{tcode} = {inner[-1]}"]
        elif vkind in ("if", "block") or (vkind == "call" and self._form_of(value) in ("with_block", "try_catch")):
            if vkind == "if" and self._simple_if(value):
                code, _ = self.ex(value)
                lines.append(f"{tcode} = {code}")
            else:
                lines += self.stmt(value, ("assign", tcode))
        else:
            code, _ = self.ex(value)
            lines.append(f"{tcode} = {code}")
        if sink == "return":
            lines.append(f"return {tcode}")
        elif isinstance(sink, tuple):
            lines.append(f"{sink[1]} = {tcode}")
        return lines

    def target(self, node):
        kind = _kind(node)
        if kind == "symbol":
            name = self.var(node.children[0].text)
            if self.scopes:
                self.scopes[-1].add(name)
            return name
        if kind in ("index", "dollar", "index2"):
            return self.ex(node)[0]
        if kind == "string":
            return _name(_r_string(node.children[0].text))
        raise Untranslatable("assignment to a function call (R replacement function) has no rule")

    def if_statement(self, node, sink, word="if"):
        ch = node.children
        cond, _ = self.ex(ch[2], scalar=True)
        lines = [f"{word} {cond}:"] + self.body(ch[4], sink)
        if len(ch) > 5:
            other = ch[6]
            if _kind(other) == "if":
                lines += self.if_statement(other, sink, "elif")
            else:
                lines += ["else:"] + self.body(other, sink)
        elif sink == "return" or isinstance(sink, tuple):
            lines += ["else:"] + ["    " + line for line in self._none(sink)]
        return lines

    def _simple_if(self, node):
        ch = node.children
        branches = [ch[4]] + ([ch[6]] if len(ch) > 5 else [])
        return all(_single_expr(b) is not None and _kind(_single_expr(b)) not in ("if", "assign")
                   for b in branches)

    # ---- functions ----
    def function_def(self, name, node, self_arg=False):
        ch = node.children
        params, i, seen_default = [], 2, False
        while ch[i].token != "')'":
            tok = ch[i]
            if tok.token == "SYMBOL_FORMALS":
                pname = tok.text
                if i + 1 < len(ch) and ch[i + 1].token == "EQ_FORMALS":
                    default, _ = self.ex(ch[i + 2])
                    params.append(f"{_name(pname)}={default}")
                    seen_default = True
                    i += 3
                    continue
                if pname == "...":
                    params.append("*args, **kwargs")
                elif seen_default:
                    raise Untranslatable("a formal without default after one with a default")
                else:
                    params.append(_name(pname))
            i += 1
        if self_arg and not any(p.split("=")[0] == "self" for p in params):
            params.insert(0, "self")
        self.scopes.append({p.split("=")[0] for p in params})
        try:
            body = self.body(ch[-1], "return")
        finally:
            self.scopes.pop()
        return [f"def {name}({', '.join(params)}):"] + body

    def hoist(self, node, hint, self_arg=False):
        self.counter += 1
        name = hint or f"_fn{self.counter}"
        self.pending.append(self.function_def(name, node, self_arg) + [""])
        return name

    # ---- forms spelled as calls ----
    def _form_of(self, node):
        return FORMS.get(_call_name(node.children[0]))

    def form_library(self, node, sink):
        args = _args(node)
        pkg = args[0][1].children[0].text if args and args[0][1] is not None else ""
        pkg = pkg.strip("\"'")
        if pkg == "torch":
            return ["from rtorch import *"]
        if pkg in ("coro", "magrittr"):
            return [f"# library({pkg}): its coro::loop / %>% are translated in place"]
        raise Untranslatable(f"library({pkg}) has no rtorch counterpart")

    def form_invisible(self, node, sink):
        args = _args(node)
        code = self.ex(args[0][1])[0] if args else "None"
        return self._sink(code, "discard" if sink == "print" else sink)

    def form_return(self, node, sink):
        args = _args(node)
        if not args:
            return ["return None"]
        value = args[0][1]
        if _kind(value) in ("if", "block"):
            return self.stmt(value, "return")
        return [f"return {self.ex(value)[0]}"]

    def form_stop(self, node, sink):
        self.runtime.add("paste0")
        return [f"raise RuntimeError(paste0({self.call_args(_args(node))}))"]

    def form_with_block(self, node, sink):
        args = _args(node)
        name = _call_name(node.children[0])
        *pre, (_, code) = args
        head = self.call_args(pre)
        return [f"with {name}({head}):"] + self.body(code, sink)

    def form_loop(self, node, sink):
        args = _args(node)
        if len(args) != 1 or _kind(args[0][1]) != "for":
            raise Untranslatable("coro::loop() of something other than a for loop")
        return self.stmt(args[0][1], sink)

    def form_try_catch(self, node, sink):
        args = _args(node)
        expr = [a for n, a in args if n is None]
        handlers = {n: a for n, a in args if n is not None}
        if len(expr) != 1 or set(handlers) - {"error", "finally"}:
            raise Untranslatable("tryCatch() with handlers other than error= and finally=")
        lines = ["try:"] + self.body(expr[0], sink)
        if "error" in handlers:
            fn = handlers["error"]
            if _kind(fn) != "function":
                raise Untranslatable("tryCatch(error=) that is not a function(e) ...")
            formals = [c.text for c in fn.children if c.token == "SYMBOL_FORMALS"]
            var = _name(formals[0]) if formals else "_e"
            lines += [f"except Exception as {var}:"] + self.body(fn.children[-1], sink)
        if "finally" in handlers:
            lines += ["finally:"] + self.body(handlers["finally"], "discard")
        return lines

    # ---- expressions: (code, Python precedence) ----
    def ex(self, node, scalar=False, index=False):
        kind = _kind(node)
        ch = node.children
        if kind == "symbol":
            return self.symbol(ch[0].text), P_ATOM
        if kind == "number":
            return _number(ch[0].text)
        if kind == "string":
            return _py_string(_r_string(ch[0].text)), P_ATOM
        if kind == "null":
            return "None", P_ATOM
        if kind == "paren":
            code, _ = self.ex(ch[1], scalar)
            return f"({code})", P_ATOM
        if kind == "binary":
            return self.binary(node, scalar, index)
        if kind == "unary":
            return self.unary(node, scalar)
        if kind == "call":
            return self.call(node)
        if kind == "index":
            return self.index(node)
        if kind == "index2":
            return self.index2(node)
        if kind == "dollar":
            obj = ch[0]
            member = ch[2].text
            if ch[1].token == "'@'":
                raise Untranslatable("S4 slots (@) have no rule")
            code, prec = self.ex(obj)
            code = code if prec >= P_POST else f"({code})"
            if self.kind_of(obj) == "loaded" or (_kind(obj) == "call" and _call_name(obj.children[0]) == "torch_load"):
                self.runtime.add("dollar")  # a tensor, a named list (dict) or a state dict: known when it runs
                return f"dollar({code}, {_py_string(member)})", P_POST
            if (_symbol(obj) in self.dict_names or _member_of(obj) in rules.DICT_MEMBERS
                    or self._is_item(obj)):
                return f"{code}[{_py_string(member)}]", P_POST
            if member in (".getitem", ".length", ".getbatch"):
                member = member[1:]
            if not member.isidentifier() or keyword.iskeyword(member):
                return f"getattr({code}, {_py_string(member)})", P_POST
            return f"{code}.{member}", P_POST
        if kind == "if" and self._simple_if(node):
            cond, _ = self.ex(ch[2], scalar=True)
            yes = _paren(self.ex(_single_expr(ch[4])), P_OR)
            no = _paren(self.ex(_single_expr(ch[6])), P_IF) if len(ch) > 5 else "None"
            return f"{yes} if {cond} else {no}", P_IF
        if kind == "function":
            return self.hoist(node, None), P_ATOM
        if kind == "block" and _single_expr(node) is not None:
            return self.ex(_single_expr(node), scalar)
        raise Untranslatable(f"{kind} used as a value has no rule")

    def _is_item(self, node):
        """Whether a value is a dataset's item or a dataloader's batch (a named list: `$` is `[" "]`)."""
        kind = _kind(node)
        if kind in ("index", "index2"):
            return self.kind_of(node.children[0]) == "dataset"
        if kind == "symbol":
            return self.kind_of(node) == "batch"
        if kind == "call":
            if _call_name(node.children[0]) == "dataloader_next":
                return True
            method = self._method_call(node)
            return bool(method) and method[1] == ".getitem"
        return False

    def symbol(self, text):
        if self.class_depth and text in SELF_MEMBERS:
            return SELF_MEMBERS[text]
        if text in CONSTANTS:
            if CONSTANTS[text] in RUNTIME:
                self.runtime.add(CONSTANTS[text])
            return CONSTANTS[text]
        if text in RENAMES:
            return RENAMES[text]
        if "." in text and text not in self.defined:
            raise Untranslatable(f"`{text}` is not defined here and has no rule")
        return self.var(text)

    def binary(self, node, scalar, index):
        left, op_node, right = node.children
        op = op_node.text
        if op == ":":
            if index:
                return self._slice(node), P_IF
            a, _ = self.ex(left)
            b, _ = self.ex(right)
            return f"seq({a}, {b})", P_POST
        if op in PIPES:
            return self.pipe(left, right)
        if op_node.token in ASSIGN_TOKENS:
            raise Untranslatable("an assignment used as a value has no rule")
        if op not in BINARY:
            raise Untranslatable(f"the operator {op} has no rule")
        py = BINARY[op]
        prec = PY_PREC[py]
        sub_scalar = scalar or py in ("and", "or")
        lcode, lprec = self.ex(left, sub_scalar)
        rcode, rprec = self.ex(right, sub_scalar)
        if py == "**":  # right-associative in both languages
            lneed, rneed = lprec <= prec, rprec < P_UNARY
        elif prec == P_CMP:  # Python chains comparisons; R does not
            lneed, rneed = lprec <= prec, rprec <= prec
        else:
            lneed, rneed = lprec < prec, rprec <= prec
        lcode = f"({lcode})" if lneed else lcode
        rcode = f"({rcode})" if rneed else rcode
        return f"{lcode} {py} {rcode}", prec

    def _slice(self, node):
        left, _, right = node.children
        parts = []
        if _kind(left) == "binary" and left.children[1].text == ":":
            parts = self._slice(left).split(":")
        else:
            parts = [self.ex(left)[0]]
        return ":".join(parts + [self.ex(right)[0]])

    def unary(self, node, scalar):
        op, operand = node.children
        if op.text == "!":
            logical = scalar or _is_logical_scalar(operand)
            code, prec = self.ex(operand, scalar)
            if logical:
                return f"not {_paren((code, prec), P_NOT)}", P_NOT
            return f"~{_paren((code, prec), P_UNARY)}", P_UNARY
        if op.text not in UNARY:
            raise Untranslatable(f"the operator {op.text} (a formula) has no rule")
        code, prec = self.ex(operand)
        return f"{UNARY[op.text]}{_paren((code, prec), P_UNARY)}", P_UNARY

    def pipe(self, left, right):
        value, _ = self.ex(left)
        if _kind(right) == "call":
            args = _args(right)
            rest = self.call_args(args)
            fn, _ = self.callee(right.children[0])
            return f"{fn}({value}{', ' + rest if rest else ''})", P_POST
        fn, _ = self.callee(right)
        return f"{fn}({value})", P_POST

    def callee(self, fn):
        kind = _kind(fn)
        if kind == "call_symbol" or kind == "symbol":
            name = fn.children[0].text
            if name in RENAMES:
                target = RENAMES[name]
                if target in RUNTIME:
                    self.runtime.add(target)
                return target, P_ATOM
            pyname = _name(name)
            if name not in self.defined and pyname not in self.known:
                raise Untranslatable(f"{name}() is not defined here and rtorch has no {pyname}")
            return pyname, P_ATOM
        if kind == "namespace":
            pkg, name = fn.children[0].text, fn.children[2].text
            if pkg == "torch":
                return self.callee_name(name)
            if f"{pkg}::{name}" in RENAMES:
                target = RENAMES[f"{pkg}::{name}"]
                if target in RUNTIME:
                    self.runtime.add(target)
                return target, P_ATOM
            raise Untranslatable(f"{pkg}::{name}() has no rule")
        code, prec = self.ex(fn)
        return (code if prec >= P_POST else f"({code})"), P_POST

    def callee_name(self, name):
        pyname = _name(name)
        if pyname not in self.known:
            raise Untranslatable(f"rtorch has no {pyname}")
        return pyname, P_ATOM

    def call(self, node):
        fn = node.children[0]
        name = _call_name(fn)
        args = _args(node)
        form = FORMS.get(name)
        if form == "list":
            return self.list_(args), P_ATOM
        if form == "is_null":
            return f"{_paren(self.ex(args[0][1]), P_CMP + 1)} is None", P_CMP
        if form == "invisible":
            return self.ex(args[0][1]) if args else ("None", P_ATOM)
        if form == "class_like":
            return self.class_like(name, args), P_POST
        if form in ("with_block", "loop", "try_catch", "return", "stop", "library"):
            raise Untranslatable(f"{name}() used as a value has no rule")
        callee, _ = self.callee(fn)
        return f"{callee}({self.call_args(args)})", P_POST

    def call_args(self, args, fn_hint=None, self_arg=False):
        out, named, extra = [], False, []
        for name, value in args:
            if value is None:
                raise Untranslatable("an empty argument in a call has no rule")
            if _kind(value) == "function":
                code = self.hoist(value, fn_hint and f"{fn_hint}_{_name(name or 'fn').lstrip('_')}", self_arg)
            elif _symbol(value) == "...":
                code = "*args, **kwargs" if name is None else None
            elif _spliced(value) is not None:
                if name is not None:
                    raise Untranslatable("a named !!! argument has no rule")
                code = "*" + _paren(self.ex(_spliced(value)), P_POST)  # rlang's !!!x: x's elements as arguments
            else:
                code = self.ex(value)[0]
            if name is None:
                if named:
                    raise Untranslatable("a positional argument after a named one has no rule")
                out.append(code)
            else:
                named = True
                pyname = _arg_name(name)
                if pyname.isidentifier():
                    out.append(f"{pyname}={code}")
                else:
                    extra.append(f"{_py_string(name)}: {code}")
        if extra:
            out.append("**{" + ", ".join(extra) + "}")
        return ", ".join(out)

    def class_like(self, name, args):
        first = args[0][1] if args and args[0][0] in (None, "name", "classname") else None
        cls = _r_string(first.children[0].text) if first is not None and _kind(first) == "string" else name
        hint = re.sub(r"\W", "_", cls)
        if name == "dataset":
            args = [(None if k == 0 and n == "name" else (n[1:] if n and n.startswith(".") else n), v)
                    for k, (n, v) in enumerate(args)]
        self.class_depth += 1
        try:
            return f"{name}({self.call_args(args, hint, self_arg=name in SELF_FORMS)})"
        finally:
            self.class_depth -= 1

    def list_(self, args):
        names = [n for n, _ in args]
        if all(n is None for n in names):
            return "[" + ", ".join(self.ex(v)[0] for _, v in args) + "]"
        if any(n is None for n in names):
            raise Untranslatable("a list with some names and some not has no rule")
        return "{" + ", ".join(f"{_py_string(n)}: {self.ex(v)[0]}" for n, v in args) + "}"

    def index(self, node):
        obj = node.children[0]
        if self._is_rvec(obj):
            return self.rvec_index(node), P_POST
        code, prec = self.ex(obj)
        code = code if prec >= P_POST else f"({code})"
        parts = []
        for name, value in _args(node, close=1):
            if name == "drop":
                parts.append(f"drop({self.ex(value)[0]})")
            elif name is not None:
                raise Untranslatable(f"the index argument {name}= has no rule")
            elif value is None:
                parts.append(":")
            else:
                parts.append(self.ex(value, index=True)[0])
        if parts == [":"]:
            parts = ["..."]
        return f"{code}[{', '.join(parts)}]", P_POST

    def rvec_args(self, node):
        parts = []
        for name, value in _args(node, close=1):
            if name == "drop":
                parts.append(f"drop={self.ex(value)[0]}")
            elif name is not None:
                raise Untranslatable(f"the index argument {name}= has no rule")
            else:
                parts.append("slice(None)" if value is None else self.ex(value)[0])
        return ", ".join(parts)

    def rvec_index(self, node):
        """`x[i]`, `m[i, j]` on an R vector or matrix: R's subsetting (1-based, negatives exclude)."""
        self.runtime.add("rindex")
        code, _ = self.ex(node.children[0])
        return f"rindex({code}, {self.rvec_args(node)})"

    def index2(self, node):
        obj = node.children[0]
        code, prec = self.ex(obj)
        code = code if prec >= P_POST else f"({code})"
        args = _args(node, close=2)
        if len(args) != 1 or args[0][0] is not None or args[0][1] is None:
            raise Untranslatable("[[ ]] with other than one position")
        value = args[0][1]
        kind = _kind(value)
        made = self.kind_of(obj)
        if made == "module":
            return f"{code}[{self.ex(value)[0]}]", P_POST
        if made == "dataset":
            return f"{code}.getitem({self.ex(value)[0]})", P_POST
        if kind != "string" and (_symbol(obj) in self.dict_names or self._is_item(obj) or made == "loaded"):
            self.runtime.add("nth")  # a named list (a dict): [[1]] is its first value
            return f"nth({code}, {self.ex(value)[0]})", P_POST
        if kind == "number" and re.fullmatch(r"[0-9]+L?", value.children[0].text):
            return f"{code}[{int(value.children[0].text.rstrip('L')) - 1}]", P_POST
        if kind == "string":
            return f"{code}[{self.ex(value)[0]}]", P_POST
        self.runtime.add("rpos")
        return f"{code}[rpos({self.ex(value)[0]})]", P_POST


# ---- helpers on nodes ----
def _kind(node):
    ch = node.children
    toks = [c.token for c in ch]
    if node.token in ("equal_assign", "expr_or_assign_or_help"):
        return "assign"
    if not ch:
        return {"BREAK": "break", "NEXT": "next"}.get(node.token, "terminal")
    first = toks[0]
    if len(ch) == 1:
        return {"SYMBOL": "symbol", "NUM_CONST": "number", "STR_CONST": "string", "NULL_CONST": "null",
                "SYMBOL_FUNCTION_CALL": "call_symbol", "BREAK": "break", "NEXT": "next"}.get(first, first)
    if first == "SYMBOL_PACKAGE":
        return "namespace"
    if first == "FUNCTION":
        return "function"
    if first == "IF":
        return "if"
    if first == "FOR":
        return "for"
    if first == "WHILE":
        return "while"
    if first == "REPEAT":
        return "repeat"
    if first == "'{'":
        return "block"
    if first == "'('" and len(ch) == 3:
        return "paren"
    if first == "expr":
        second = toks[1]
        if second == "'('":
            return "call"
        if second == "'['":
            return "index"
        if second == "LBB":
            return "index2"
        if second in ("'$'", "'@'"):
            return "dollar"
        if second in ASSIGN_TOKENS:
            return "assign"
        if len(ch) == 3:
            return "binary"
    if len(ch) == 2 and first in ("'-'", "'+'", "'!'", "'~'"):
        return "unary"
    return "unknown:" + " ".join(toks)


def _symbol(node):
    return node.children[0].text if _kind(node) == "symbol" else None


def _member_of(node):
    """The member name of `x$name` or `x$name[[i]]` (None otherwise)."""
    kind = _kind(node)
    if kind == "index2":
        return _member_of(node.children[0])
    return node.children[2].text if kind == "dollar" else None


def _call_name(fn):
    kind = _kind(fn)
    if kind in ("call_symbol", "symbol"):
        return fn.children[0].text
    if kind == "namespace":
        return fn.children[2].text
    return None


def _args(node, close=1):
    """[(name or None, value node or None)] of a call or index node."""
    inner = node.children[2:len(node.children) - close]
    args, cur = [], []
    for tok in inner:
        if tok.token == "','":
            args.append(cur)
            cur = []
        else:
            cur.append(tok)
    args.append(cur)
    out = []
    for seg in args:
        if len(seg) >= 2 and seg[1].token == "EQ_SUB":
            name = seg[0].text
            name = _r_string(name) if seg[0].token == "STR_CONST" else name
            out.append((name, seg[2] if len(seg) > 2 else None))
        else:
            out.append((None, seg[0] if seg else None))
    if out == [(None, None)]:
        return []
    return out


def _spliced(node):
    """The `x` of rlang's splice `!!!x` (three `!` in a row), else None."""
    for _ in range(3):
        if _kind(node) != "unary" or node.children[0].text != "!":
            return None
        node = node.children[1]
    return node


def _single_expr(node):
    """The one expression of a block `{ x }` (or the node itself); None for several statements."""
    if _kind(node) == "block":
        inner = [c for c in node.children[1:-1] if c.token in EXPR_TOKENS]
        return _single_expr(inner[0]) if len(inner) == 1 else None
    return node


def _is_named_list(node):
    if _kind(node) != "call" or _call_name(node.children[0]) != "list":
        return False
    args = _args(node)
    return bool(args) and all(n is not None for n, _ in args)


def _is_logical_scalar(node):
    kind = _kind(node)
    if kind == "symbol":
        return node.children[0].text in ("TRUE", "FALSE", "T", "F")
    if kind == "call":
        name = _call_name(node.children[0]) or ""
        return (name.startswith(("is.", "is_", "cuda_is_")) or name in (
            "identical", "all", "any", "missing", "exists", "isTRUE", "isFALSE", "inherits"))
    if kind == "binary":
        return node.children[1].text in ("&&", "||")
    if kind == "paren":
        return _is_logical_scalar(node.children[1])
    return False


def _name(text):
    """An R name as a Python identifier: dots become underscores, Python keywords get a trailing _."""
    name = text.replace(".", "_")
    if keyword.iskeyword(name) or name in ("print",):
        name += "_"
    return name


def _arg_name(text):
    return text if text.startswith(".") else _name(text)


def _number(text):
    if text in CONSTANTS:
        return CONSTANTS[text], P_ATOM
    if text.endswith("i"):
        raise Untranslatable("complex literals have no rule")
    if text.endswith("L"):
        value = text[:-1]
        return f"as_integer({int(value, 0) if value.lower().startswith('0x') else value})", P_POST
    if text.lower().startswith("0x"):
        return str(int(text, 16)), P_ATOM
    return text, P_ATOM


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'", "`": "`",
            "a": "\a", "b": "\b", "f": "\f", "v": "\v", " ": " "}


def _r_string(text):
    """The value of an R string literal (R's escapes: \\n, \\t, \\", \\x.., \\u{..}, raw strings r"(...)")."""
    if text[:1] in "rR" and len(text) > 1 and text[1] in "\"'":
        m = re.fullmatch(r"[rR](['\"])(-*)[\[({](.*)[\])}]\2\1", text, re.S)
        return m.group(3)
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1]
        m = re.match(r"x([0-9a-fA-F]{1,2})|u\{?([0-9a-fA-F]{1,4})\}?|U\{?([0-9a-fA-F]{1,8})\}?|([0-7]{1,3})",
                     body[i + 1:])
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif m:
            digits = next(g for g in m.groups() if g)
            out.append(chr(int(digits, 8 if m.group(4) else 16)))
            i += 1 + m.end()
        else:
            out.append(nxt)
            i += 2
    return "".join(out)


def _py_string(value):
    return json.dumps(value, ensure_ascii=False)


def _py_comment(text):
    return text if text.startswith("#") else "# " + text


def _paren(code_prec, need):
    code, prec = code_prec
    return code if prec >= need else f"({code})"


def port(text, defined=()):
    """(python source, problems, names the code defines) for R source text; `defined`: names defined before it
    (by earlier chunks of the same document)."""
    porter = Porter(text, defined)
    return porter.run(), porter.problems, porter.defined
