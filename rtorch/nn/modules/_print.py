"""R torch's `print(<nn_module>)` text (`print_nn_module` in R/nn.R, drawn with cli).

cli's `cat_rule()` fills the line to the console width: 80 columns, R's default `width` outside a
terminal, and cli's width where none is known. `•` is cli's bullet in a UTF-8 locale.
"""
WIDTH = 80
RULE = "─"
BULLET = "•"


def comma(n):
    """R's `format(x, big.mark = ",", scientific = FALSE)` for a whole count."""
    return f"{int(n):,}"


def parameter_count(module):
    total = 0
    for p in module.parameters.values():
        n = 1
        for s in p.shape:
            n *= s
        total += n
    return total


def _rule(label):
    head = f"{RULE * 2} {label} "
    return head + RULE * max(WIDTH - len(head), 0)


def tensor_item(tensor):
    """R torch's `make_str_torch_tensor`: `Float [1:32, 1:3]`. A 0-d tensor reads `Float [1:]`: R's
    `paste0("1:", dims)` recycles a zero-length `dims` to one empty string."""
    dims = [f"1:{s}" for s in tensor.shape] or ["1:"]
    return f"{tensor.dtype.name} [" + ", ".join(dims) + "]"


def module_text(module):
    lines = [f"An `nn_module` containing {comma(parameter_count(module))} parameters."]
    if module._modules:
        lines += ["", _rule("Modules")]
        for name, child in module._modules.items():
            lines.append(f"{BULLET} {name}: <{child._classes[0]}> #{comma(parameter_count(child))} parameters")
    for title, reg in (("Parameters", module._parameters), ("Buffers", module._buffers)):
        entries = [(k, v) for k, v in reg.items() if v is not None]
        if entries:
            lines += ["", _rule(title)]
            lines += [f"{BULLET} {name}: {tensor_item(t)}" for name, t in entries]
    return "\n".join(lines)
