"""R torch's print of an optimizer: R torch's optimizers are R6 objects with no print method of their own,
so R6 lists their members (`format.R6`): the class, its parent, then the public and private members sorted,
a method as the first line of R's `deparse(args(f))`, a field as its R class."""
import inspect

from .._rprint import format_r_number

DEPARSE_WIDTH = 60
# torch_optimizer's members (R/optim.R) beside each optimizer's own `initialize` and `step`.
PUBLIC_METHODS = {"add_param_group": "param_group", "clone": "deep = FALSE", "zero_grad": "set_to_none = FALSE",
                  "state_dict": "", "load_state_dict": "state_dict, ..., .refer_to_state_dict = FALSE"}
PRIVATE_METHODS = {"deep_clone": "name, value", "step_helper": "closure, loop_fun"}
FIELDS = {"defaults": "list", "param_groups": "list", "state": "State, R6"}


def _r_value(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, str):
        return '"' + v + '"'
    if isinstance(v, (tuple, list)):
        return "c(" + ", ".join(_r_value(e) for e in v) + ")"
    if isinstance(v, (int, float)):
        return format_r_number(float(v), 15)
    return repr(v)


def _first_deparse_line(args):
    """`deparse(args(f))[[1]]`: R breaks the line after the argument that takes it to the width cutoff."""
    line = "function ("
    for i, a in enumerate(args):
        line += a + (", " if i < len(args) - 1 else ") ")
        if len(line) >= DEPARSE_WIDTH and i < len(args) - 1:
            return line
    return line if args else "function () "


def _formals(fn):
    out = []
    for p in list(inspect.signature(fn).parameters.values())[1:]:
        if p.kind is p.VAR_POSITIONAL or p.kind is p.VAR_KEYWORD:
            out.append("...")
        elif p.default is p.empty:
            out.append(p.name)
        else:
            d = p.default
            out.append(f"{p.name} = " + ("optim_required()" if type(d).__name__ == "_Required" else _r_value(d)))
    return out


def optimizer_text(opt):
    methods = {name: (_first_deparse_line([a for a in args.split(", ") if a])) for name, args in PUBLIC_METHODS.items()}
    methods["initialize"] = _first_deparse_line(_formals(type(opt).__init__))
    methods["step"] = _first_deparse_line(_formals(type(opt).step))
    public = {**methods, **FIELDS}
    lines = [f"<{type(opt).__name__}>", "  Inherits from: <torch_optimizer>", "  Public:"]
    lines += [f"    {k}: {public[k]}" for k in sorted(public, key=str.lower)]
    lines.append("  Private:")
    lines += [f"    {k}: {_first_deparse_line(v.split(', '))}" for k, v in sorted(PRIVATE_METHODS.items())]
    return "\n".join(lines)
