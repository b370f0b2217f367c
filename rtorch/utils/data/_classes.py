"""R torch's `create_class()` as used by `dataset()` and `sampler()`: a named class built from methods.

R spells the special methods with a leading dot (`.getitem`, `.length`, `.getbatch`, `.iter`); in Python
they are `getitem=`, `length=`, ... (`**{".getitem": f}` is accepted too). Every method takes `self` first,
as in R; `initialize` runs when the generator is called."""


def create_class(name, inherit, methods, private=None, active=None):
    attrs = {}
    for key, value in methods.items():
        attrs[key.lstrip(".")] = value
    for key, value in (private or {}).items():
        attrs[key.lstrip(".")] = value
    for key, fn in (active or {}).items():
        attrs[key] = property(fn)
    cls_name = name or inherit.__name__
    return type(cls_name, (inherit,), attrs)


class RClass:
    """Base of the generated classes: calling the class runs `initialize`, as R6's `$new()` does."""

    def __init__(self, *args, **kwargs):
        init = getattr(self, "initialize", None)
        if init is not None:
            init(*args, **kwargs)
