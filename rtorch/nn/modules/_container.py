"""R torch's containers (R/nn.R): `nn_sequential`, `nn_module_list`, `nn_module_dict`.

Children of `nn_sequential` and `nn_module_list` are named "0", "1", ... as R torch names them (so
parameters read `0.weight`); `[[i]]` picks a child 1-based. Python adds `len()` and iteration over the
children."""
from ._module import _nth, nn_Module

__all__ = ["nn_sequential", "nn_module_list", "nn_module_dict", "nn_prune_head"]


class _Children(nn_Module):
    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(list(self._modules.values()))

    def _renumber(self, modules):
        self._modules.clear()
        for i, m in enumerate(modules):
            self.add_module(str(i), m)


class nn_sequential(_Children):
    """`nn_sequential(m1, m2, ...)`: calls each module on the output of the one before."""

    def initialize(self, *modules):
        self._renumber(modules)

    def forward(self, input, *args, **kwargs):
        for i, module in enumerate(self._modules.values()):
            input = module(input, *args, **kwargs) if i == 0 else module(input)
        return input

    def __getitem__(self, i):
        """`model[i]` (1-based) is a child; a slice or range of positions gives a new `nn_sequential`,
        as R torch's `[.nn_sequential`."""
        items = list(self._modules.values())
        if isinstance(i, slice):
            return nn_sequential(*items[i])
        if isinstance(i, (list, tuple, range)):
            return nn_sequential(*(_nth(items, j) for j in i))
        return super().__getitem__(i)


class nn_module_list(_Children):
    """A list of modules (`nn_module_list(list(...))` in R; a Python list here)."""

    def initialize(self, modules=()):
        self._renumber(modules)

    def append(self, module):
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules):
        for m in modules:
            self.append(m)
        return self

    def insert(self, index, module):
        """Insert `module` at position `index` (1-based), shifting the ones after it."""
        items = list(self._modules.values())
        items.insert(index - 1, module)
        self._renumber(items)
        return self


class nn_module_dict(_Children):
    """Modules by name (`nn_module_dict(list(a = ..., b = ...))` in R; a dict here)."""

    def initialize(self, dict):
        if not all(isinstance(k, str) and k for k in dict):
            raise ValueError("All elements in `dict` must be named.")
        for name, m in dict.items():
            self[name] = m

    def forward(self, *args, **kwargs):
        raise RuntimeError("`nn_module_dict()` has `forward()` implementation.")

    def __iter__(self):
        return iter(list(self._modules))

    def keys(self):
        return list(self._modules)

    def values(self):
        return list(self._modules.values())

    def items(self):
        return list(self._modules.items())


def nn_prune_head(x, head_size=1):
    """The module without its last `head_size` children, as an `nn_sequential` (R torch's generic: for an
    `nn_sequential` its first children; for another module its first children under their names, the
    first one called with all the arguments)."""
    children = list(x._modules.items())
    keep = children[:len(children) - head_size] if head_size else children
    if isinstance(x, nn_sequential):
        return nn_sequential(*(m for _, m in keep))
    out = nn_sequential()
    for name, m in keep:
        out.add_module(name, m)
    return out
