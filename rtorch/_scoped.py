"""R torch's `local_*` functions (`local_no_grad()`, `local_torch_manual_seed()`, `local_device()`,
`local_autocast()`) change a state until the *calling function* returns, through `withr::defer(envir =
parent.frame())`. Python has no such hook, so `defer()` keeps the restoring calls in an object stored among
the calling frame's locals: CPython frees it, and so runs them (last deferred first, as withr does), when the
frame goes away, i.e. when the function returns. Where an exception leaves the function, its traceback holds
the frame, so the state comes back once the exception is handled (the end of the `except` block that takes
it). At a script's or the REPL's top level the frame is the module's, which lasts: the state stays, as in R
at the global environment."""
import sys

_KEY = "__rtorch_deferred__"


class _Deferred:
    """The restoring calls deferred in one frame; run last-first when the frame drops this object."""
    __slots__ = ("calls",)

    def __init__(self):
        self.calls = []

    def run(self):
        while self.calls:
            self.calls.pop()()

    def __del__(self):
        self.run()


def caller(depth=1):
    """The frame of the function that called the function calling `caller()` (R's `parent.frame()`)."""
    return sys._getframe(depth + 1)


def frame_of(env, depth=1):
    """`env` checked to be a frame, or (None) the frame of the caller of the function calling this: what a
    `local_*` function checks before it changes any state."""
    if env is None:
        return sys._getframe(depth + 1)
    if type(env).__name__ != "frame":
        raise TypeError(f".env must be a frame (sys._getframe()), not {type(env).__name__}")
    return env


def defer(restore, env):
    """Run `restore()` when the frame `env` goes away (R's `withr::defer(restore, envir = env)`)."""
    if not callable(restore):
        raise TypeError("restore must be a function of no arguments")
    env = frame_of(env)
    scope = env.f_locals
    holder = scope.get(_KEY)
    if type(holder) is not _Deferred:
        holder = _Deferred()
        scope[_KEY] = holder
    holder.calls.append(restore)
    return None


def deferred_run(env):
    """Run now what was deferred in the frame `env` (withr's `deferred_run()`), e.g. at a script's top level."""
    holder = env.f_locals.get(_KEY)
    if type(holder) is _Deferred:
        holder.run()


def run_scoped(scope, code):
    """The `with_*` functions' two forms: without `code` the scope itself (`with with_x(...): ...`), with a
    function of no arguments its value, run inside the scope (R's `with_x({ ... })`)."""
    if code is None:
        return scope
    if not callable(code):
        raise TypeError("code must be a function of no arguments (Python has no lazy R expressions)")
    with scope:
        return code()
