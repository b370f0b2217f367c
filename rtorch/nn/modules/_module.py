"""R torch's module system: `nn_module()`, `nn_parameter()`, `nn_buffer()` and the `nn_Module` base.

R torch builds an R6 class per `nn_module()` call and returns a generator; here `nn_module()` returns a
Python class (calling it runs `initialize`). Named functions become methods; `inherit=` picks the base.
R6's `super$initialize(...)` is spelled `self.super_.initialize(...)`: inside a method defined by
`nn_module()` (or a class body), `self.super_` is the parent of the class that defined that method.

Registries follow R torch's `private$parameters_`, `buffers_`, `modules_`: assigning an `nn_parameter`,
an `nn_buffer` or a module instance to `self.name` registers it; reading `self.name` looks in parameters,
buffers, then modules, as R torch's `[[.nn_Module` does. `model.parameters` (a property, as R's active
binding) lists the children's parameters first and the module's own last, named `fc.weight`,
`0.weight`..., as R torch's `unlist()` names them; `state_dict()` lists own entries first.
"""
import copy
import functools
import types

from ..._tensor import Tensor, is_undefined_tensor
from ...autograd import with_no_grad

__all__ = ["nn_module", "nn_Module", "nn_parameter", "nn_buffer", "is_nn_parameter", "is_nn_buffer",
           "is_nn_module", "clone_module"]

_READ_ONLY = {
    "parameters": "It's not possible to modify the parameters list.\n You can modify the parameter in-place or "
                  "use `module$parameter_name <- new_value`",
    "buffers": "It's not possible to modify the buffers list.\n You can modify the parameter in-place or use "
               "`module$parameter_name <- new_value`",
    "modules": "It's not possible to modify the modules list.\n You can modify the modules in-place",
    "children": "It's not possible to modify the children list.\n You can modify the modules in-place",
}


def nn_parameter(x, requires_grad=True):
    """Mark tensor `x` as a parameter (R torch adds the `nn_parameter` class and sets requires_grad)."""
    if not isinstance(x, Tensor):
        raise TypeError("`x` must be a tensor.")
    x.requires_grad_(requires_grad)
    x.__dict__["_nn"] = "parameter"
    return x


def nn_buffer(x, persistent=True):
    """Mark tensor `x` as a buffer; non-persistent buffers stay out of `state_dict()`."""
    if not isinstance(x, Tensor):
        raise TypeError("`x` must be a tensor.")
    x.__dict__["_nn"] = "buffer"
    x.__dict__["_persistent"] = bool(persistent)
    return x


def is_nn_parameter(x):
    return isinstance(x, Tensor) and x.__dict__.get("_nn") == "parameter"


def is_nn_buffer(x):
    return isinstance(x, Tensor) and x.__dict__.get("_nn") == "buffer"


def is_nn_module(x):
    """TRUE for a module instance (not for the generator `nn_module()` returns)."""
    return isinstance(x, nn_Module)


def _uses_super(fn):
    code = getattr(fn, "__code__", None)
    return code is not None and "super_" in code.co_names


def _with_class(fn, cls):
    """Make `self.super_` inside `fn` refer to `cls`'s parent, as R6 binds `super` per class."""
    @functools.wraps(fn)
    def method(self, *args, **kwargs):
        stack = self.__dict__.setdefault("_class_stack", [])
        stack.append(cls)
        try:
            return fn(self, *args, **kwargs)
        finally:
            stack.pop()
    return method


class _ModuleMeta(type):
    """Wraps the methods that use `self.super_`, so that `super_` knows which class defined them."""

    def __init__(cls, name, bases, ns):
        super().__init__(name, bases, ns)
        if "_classes" not in ns:   # a Python subclass: R torch's class vector, its name first
            inherited = tuple(c for b in bases for c in getattr(b, "_classes", ())
                              if c not in ("nn_Module", "nn_module"))
            cls._classes = (name,) + inherited + ("nn_module",)
        for key, value in ns.items():
            if callable(value) and not isinstance(value, type) and _uses_super(value):
                type.__setattr__(cls, key, _with_class(value, cls))


class nn_Module(metaclass=_ModuleMeta):
    """The base of every module (R torch's `nn_Module`). Subclass it, or build one with `nn_module()`."""

    _classes = ("nn_Module", "nn_module")

    def __new__(cls, *args, **kwargs):
        self = object.__new__(cls)
        d = self.__dict__
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_modules"] = {}
        d["_non_persistent"] = set()
        d["_training"] = True
        return self

    def __init__(self, *args, **kwargs):
        self.initialize(*args, **kwargs)

    def initialize(self):
        pass

    def forward(self, *args, **kwargs):
        raise NotImplementedError("Forward method is not implemented")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    @property
    def private(self):
        """R6's `private`: the `private = list(...)` entries of `nn_module()`, functions bound to this
        instance; attributes assigned to it stay out of the registries (not parameters, not children)."""
        d = self.__dict__
        ns = d.get("_private")
        if ns is None:
            ns = d["_private"] = _Private()
            for klass in reversed(type(self).__mro__):
                for name, value in klass.__dict__.get("_private_spec", {}).items():
                    setattr(ns, name, types.MethodType(value, self) if callable(value) else value)
        return ns

    def clone(self, deep=False, replace_values=True):
        """`module$clone(deep = FALSE)`: see `clone_module()`."""
        return clone_module(self, deep=deep, replace_values=replace_values)

    @property
    def super_(self):
        """R6's `super`: the parent class of the class whose method is running, bound to `self`."""
        stack = self.__dict__.get("_class_stack")
        cls = stack[-1] if stack else type(self)
        return super(cls, self)

    # -- registration -------------------------------------------------------------------------------
    def __setattr__(self, name, value):
        d = self.__dict__
        if name in _READ_ONLY:
            raise RuntimeError(_READ_ONLY[name])
        if is_nn_parameter(value):
            self.register_parameter(name, value)
        elif is_nn_buffer(value):
            self.register_buffer(name, value, value.__dict__.get("_persistent", True))
        elif isinstance(value, nn_Module):
            self.add_module(name, value)
        elif isinstance(value, type) and issubclass(value, nn_Module):
            raise ValueError(f'Module "{name}" must be initialized')
        elif name in d["_buffers"] and isinstance(value, Tensor):
            d["_buffers"][name] = value          # a plain tensor replaces a buffer, as in PyTorch
        elif name in d["_parameters"] and isinstance(value, Tensor):
            raise TypeError(f"cannot assign a tensor as parameter '{name}': wrap it in nn_parameter()")
        else:
            for reg in (d["_parameters"], d["_buffers"], d["_modules"]):
                reg.pop(name, None)
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        d = self.__dict__
        for key in ("_parameters", "_buffers", "_modules"):
            reg = d.get(key)
            if reg is not None and name in reg:
                return reg[name]
        raise AttributeError(f"'{type(self).__name__}' module has no attribute '{name}'")

    def __delattr__(self, name):
        d = self.__dict__
        for key in ("_parameters", "_buffers", "_modules"):
            if name in d[key]:
                del d[key][name]
                return
        object.__delattr__(self, name)

    def __getitem__(self, name):
        """`model[["fc"]]`; an integer picks the i-th child (1-based), as R's `[[` does."""
        if isinstance(name, int) and not isinstance(name, bool):
            return _nth(list(self._modules.values()), name)
        return getattr(self, name)

    def __setitem__(self, name, value):
        """`model[["name"]] <- value`: the same registration as `model$name <- value`."""
        setattr(self, name, value)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers) | set(self._modules))

    def add_module(self, name, module):
        self.register_module(name, module)

    def register_module(self, name, module):
        if isinstance(name, (int, float)) and not isinstance(name, bool):
            name = str(int(name)) if float(name).is_integer() else str(name)
        if isinstance(module, type) and issubclass(module, nn_Module):
            raise ValueError(f'Module "{name}" must be initialized')
        if not isinstance(module, nn_Module):
            raise TypeError(f"Expected <nn_module> but got object of type <{type(module).__name__}>")
        self.__dict__.pop(name, None)
        self._modules[name] = module

    def register_parameter(self, name, param):
        self.__dict__.pop(name, None)
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        self.__dict__.pop(name, None)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)

    # -- traversal ----------------------------------------------------------------------------------
    @property
    def parameters(self):
        """Named dict of all parameters: each child's (prefixed `name.`) first, then this module's own."""
        return _collect(self, "_parameters")

    @property
    def buffers(self):
        return _collect(self, "_buffers")

    def named_parameters(self, recursive=True):
        return self.parameters if recursive else {k: v for k, v in self._parameters.items() if v is not None}

    def named_buffers(self, recursive=True):
        return self.buffers if recursive else {k: v for k, v in self._buffers.items() if v is not None}

    @property
    def children(self):
        """The direct submodules, a dict by name (R torch's named list)."""
        return dict(self._modules)

    @property
    def modules(self):
        """This module and every submodule, depth first, each once."""
        out, seen = [], set()

        def walk(m):
            if id(m) in seen:
                return
            seen.add(id(m))
            out.append(m)
            for child in m._modules.values():
                walk(child)
        walk(self)
        return out

    @property
    def training(self):
        return self.__dict__["_training"]

    @training.setter
    def training(self, value):
        if not isinstance(value, bool):
            raise ValueError("Field `training` must be a logical flag.")
        self.__dict__["_training"] = value

    def train(self, mode=True):
        self.training = mode
        for m in self._modules.values():
            m.train(mode)
        return self

    def eval(self):
        return self.train(False)

    def zero_grad(self):
        for p in self.parameters.values():
            if not is_undefined_tensor(p.grad):
                p.grad.detach_()
                p.grad.zero_()

    def apply(self, fn):
        """Call `fn` on every submodule (children first), then on this module."""
        for m in self._modules.values():
            m.apply(fn)
        fn(self)
        return self

    def _apply(self, fn):
        """Replace each parameter, its grad and each buffer by `fn` of it (R torch's `.apply`)."""
        for m in self._modules.values():
            m._apply(fn)
        for name, p in list(self._parameters.items()):
            if p is None:
                continue
            with with_no_grad():
                new = fn(p)
            if new is not p:
                new = nn_parameter(new, p.requires_grad)
            g = p.grad
            if not is_undefined_tensor(g):
                with with_no_grad():
                    ng = fn(g)
                new.grad = ng
            self._parameters[name] = new
        for name, b in list(self._buffers.items()):
            if b is not None:
                nb = fn(b)
                if nb is not b:
                    nn_buffer(nb, name not in self._non_persistent)
                self._buffers[name] = nb
        return self

    def to(self, dtype=None, device=None, tensor=None, non_blocking=False, copy=False):
        """Move/cast parameters and buffers; `dtype` applies to floating point ones only."""
        if dtype is not None and not dtype.is_floating_point:
            raise ValueError(f"nn.Module.to only accepts floating point dtypes, but got desired dtype {dtype}")

        def move(x):
            if x.is_floating_point():
                return x.to(dtype=dtype, device=device, non_blocking=non_blocking, copy=copy)
            return x.to(device=device, non_blocking=non_blocking, copy=copy)
        return self._apply(move)

    def cpu(self):
        return self._apply(lambda x: x.cpu())

    def cuda(self, device=None):
        return self._apply(lambda x: x.cuda())

    # -- state dict ---------------------------------------------------------------------------------
    def state_dict(self, prefix="", keepvars=False):
        """Own parameters, own persistent buffers, then each child's, keyed `prefix + name`; detached
        copies keep `requires_grad`, as R torch's do, unless `keepvars`."""
        out = {}
        for name, p in self._parameters.items():
            if p is not None:
                out[prefix + name] = _keep_or_detach(p, keepvars)
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent:
                out[prefix + name] = _keep_or_detach(b, keepvars)
        for name, m in self._modules.items():
            if m is not None:
                out.update(m.state_dict(prefix=prefix + name + ".", keepvars=keepvars))
        return out

    def load_state_dict(self, state_dict, strict=False, refer_to_state_dict=False):
        """Copy the values of `state_dict` into parameters and persistent buffers (under no_grad).

        A missing key is R torch's error ("Could not find fc.bias in the state_dict."); a value of a
        different shape names the key and both shapes (R torch would let `copy_` broadcast it); keys
        the model does not have are ignored, as in R torch, unless `strict=True` (PyTorch's check).
        """
        if strict:
            expected = set(self.state_dict())
            extra = [k for k in state_dict if k not in expected]
            if extra:
                raise RuntimeError("Error(s) in loading state_dict for " + type(self).__name__ +
                                   ":\n\tUnexpected key(s) in state_dict: " +
                                   ", ".join(f'"{k}"' for k in extra) + ".")
        _load(self, state_dict, "", refer_to_state_dict)
        return self

    # -- printing -----------------------------------------------------------------------------------
    def __repr__(self):
        from ._print import module_text
        return module_text(self)

    __str__ = __repr__

    def print(self):
        print(repr(self))


def _nth(items, i):
    if i == 0:
        raise IndexError("Indexing in R is 1-based and found a 0.")
    n = len(items)
    if i > n or -i > n:
        raise IndexError(f"subscript out of bounds: index {i} of {n} modules")
    return items[i - 1] if i > 0 else items[i]


def _collect(module, key):
    """Children's entries (named `child.name`) before the module's own, each tensor once."""
    out, seen = {}, set()

    def add(name, t):
        if t is not None and id(t) not in seen:
            seen.add(id(t))
            out[name] = t
    for cname, child in module._modules.items():
        if child is not None:
            for name, t in _collect(child, key).items():
                add(cname + "." + name, t)
    for name, t in getattr(module, key).items():
        add(name, t)
    return out


def _keep_or_detach(t, keepvars):
    if keepvars:
        return t
    out = t.detach()
    if t.requires_grad:
        out.requires_grad_(True)
    return out


def _shape_text(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _load(module, state_dict, prefix, refer=False):
    local = {k: v for k, v in module._parameters.items() if v is not None}
    local.update({k: v for k, v in module._buffers.items() if v is not None and k not in module._non_persistent})
    for name, param in local.items():
        key = prefix + name
        if key not in state_dict:
            raise ValueError(f"Could not find {key} in the state_dict.")
        value = state_dict[key]
        if not isinstance(value, Tensor):
            raise TypeError(f"state_dict value for {key} must be a tensor, got {type(value).__name__}")
        if refer:
            if name in module._parameters:
                module._parameters[name] = nn_parameter(value, param.requires_grad)
            else:
                module._buffers[name] = nn_buffer(value)
            continue
        if tuple(value.shape) != tuple(param.shape):
            raise RuntimeError(f"size mismatch for {key}: copying a param with shape {_shape_text(value.shape)} "
                               f"from checkpoint, the shape in current model is {_shape_text(param.shape)}.")
        with with_no_grad():
            param.copy_(value)
    for name, child in module._modules.items():
        if child is not None:
            _load(child, state_dict, prefix + name + ".", refer)


def _inherited_classes(base):
    return tuple(c for c in getattr(base, "_classes", ()) if c not in ("nn_Module", "nn_module"))


def nn_module(classname=None, inherit=nn_Module, private=None, active=None, **methods):
    """R torch's `nn_module()`: a new module class named `classname`, with `methods` (functions taking
    `self` first; `initialize` runs at construction, `forward` when the instance is called).

    `active` maps names to functions `f(self, value=<missing>)` that become properties, as R6 active
    bindings (called with no value to read, with one to assign). `private` maps names to functions
    `f(self, ...)` or values, reached as `self.private.name` (R6's `private$name`).
    """
    if not (isinstance(inherit, type) and issubclass(inherit, nn_Module)):
        raise TypeError("`inherit` must be an nn_module")
    classes = ((classname,) if classname else ()) + _inherited_classes(inherit) + ("nn_module",)
    ns = {"_classes": classes, "__module__": "rtorch.nn", "_private_spec": dict(private or {})}
    for name, fn in methods.items():
        ns[name] = fn
    for name, fn in (active or {}).items():
        ns[name] = _active(fn)
    if "initialize" in methods:
        ns["__init__"] = _init_calling(methods["initialize"])
    cls = _ModuleMeta(classname or "nn_module", (inherit,), ns)
    return cls


def _init_calling(initialize):
    """`__init__` with `initialize`'s signature, so that `Net(3)` reports argument errors as R would."""
    def __init__(self, *args, **kwargs):
        self.initialize(*args, **kwargs)
    __init__.__signature__ = _signature(initialize)
    return __init__


def _signature(fn):
    import inspect
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):
        return None


def _active(fn):
    def get(self):
        return fn(self)

    def set_(self, value):
        fn(self, value)
    return property(get, set_)


class _Private(types.SimpleNamespace):
    """R6's private environment of one instance."""


def _clone_tensor(t):
    out = t.detach().clone()
    for key in ("_nn", "_persistent"):
        if key in t.__dict__:
            out.__dict__[key] = t.__dict__[key]
    if t.requires_grad:
        out.requires_grad_(True)
    return out


def clone_module(module, deep=False, replace_values=True):
    """R torch's `clone_module()` (`module$clone()`): a shallow clone has its own registries holding the
    same tensors and submodules; a deep clone copies every module and tensor once, so that what was
    shared (a module or parameter registered under two names) stays shared within the clone. Cloned
    tensors are detached (no `CloneBackward0`), keep `requires_grad` and their parameter/buffer mark.
    After a deep clone, `private$finalize_deep_clone()` runs if the module has one."""
    if not deep:
        new = object.__new__(type(module))
        d = new.__dict__
        d.update(module.__dict__)
        for key in ("_parameters", "_buffers", "_modules"):
            d[key] = dict(d[key])
        d["_non_persistent"] = set(d["_non_persistent"])
        d.pop("_class_stack", None)
        priv = d.pop("_private", None)
        if priv is not None:
            d["_private"] = _Private(**{k: types.MethodType(v.__func__, new) if isinstance(v, types.MethodType)
                                        and v.__self__ is module else v for k, v in vars(priv).items()})
        return new
    memo = {}
    for m in module.modules:
        for reg in (m._parameters, m._buffers, m.__dict__):
            for t in reg.values():
                if isinstance(t, Tensor) and id(t) not in memo:
                    memo[id(t)] = _clone_tensor(t)
    new = copy.deepcopy(module, memo)
    if replace_values:
        priv = new.__dict__.get("_private")
        fin = getattr(priv, "finalize_deep_clone", None) if priv is not None else None
        if fin is None and type(new).__dict__.get("_private_spec", {}).get("finalize_deep_clone"):
            fin = new.private.finalize_deep_clone
        if fin is not None:
            fin()
    return new
