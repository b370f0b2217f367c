"""coro's iteration protocol as R torch uses it: an iterator is a function that returns the next value or
`exhausted()`. `RIterator` is such a function and a Python iterator at once."""


class _Exhausted:
    """`coro::exhausted()`: the value an R-style iterator returns when it has nothing left."""
    __slots__ = ()

    def __repr__(self):
        return "<exhausted>"


_EXHAUSTED = _Exhausted()


def exhausted():
    """`coro::exhausted()`."""
    return _EXHAUSTED


def is_exhausted(x):
    """`coro::is_exhausted(x)`."""
    return x is _EXHAUSTED


class RIterator:
    """Wraps a Python iterator: `it()` gives the next value or `exhausted()`, `next(it)` raises StopIteration."""
    __slots__ = ("_it",)

    def __init__(self, iterable):
        self._it = iter(iterable)

    def __call__(self):
        return next(self._it, _EXHAUSTED)

    def __iter__(self):
        return self._it

    def __next__(self):
        return next(self._it)


def as_riterator(x):
    """An R `.iter()` result (a function returning values then `exhausted()`, or a Python iterable) as an
    RIterator."""
    if isinstance(x, RIterator):
        return x
    if callable(x) and not hasattr(x, "__iter__"):
        return RIterator(iter(x, _EXHAUSTED))
    return RIterator(x)
