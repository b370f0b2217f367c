"""Whether operations are recorded: R torch's `with_no_grad()`, `with_enable_grad()`,
`autograd_set_grad_mode()` and `with_detect_anomaly()`. In Python the `with_*` forms are context managers
(`with with_no_grad(): ...`), since a Python block cannot be passed as an argument."""
import warnings

from .._scoped import defer, frame_of


class _State:
    __slots__ = ("enabled", "anomaly")

    def __init__(self):
        self.enabled = True
        self.anomaly = False


STATE = _State()


class _GradMode:
    """A context manager (and decorator) that sets grad mode inside and restores it after."""
    __slots__ = ("mode", "saved")

    def __init__(self, mode):
        self.mode = mode

    def __enter__(self):
        self.saved = STATE.enabled
        STATE.enabled = self.mode
        return self

    def __exit__(self, *exc):
        STATE.enabled = self.saved
        return False

    def __call__(self, fn):
        mode = self.mode

        def wrapped(*args, **kwargs):
            with _GradMode(mode):
                return fn(*args, **kwargs)
        wrapped.__name__, wrapped.__doc__ = fn.__name__, fn.__doc__
        return wrapped


def with_no_grad(code=None):
    """R torch's `with_no_grad({ ... })`: operations inside are not recorded. Python: `with with_no_grad(): ...`;
    given a function, calls it with recording off and returns its value."""
    return _GradMode(False) if code is None else _GradMode(False)(code)()


def with_enable_grad(code=None):
    """R torch's `with_enable_grad({ ... })`: recording on inside, even within `with_no_grad`."""
    return _GradMode(True) if code is None else _GradMode(True)(code)()


def _local_grad_mode(mode, env):
    saved = STATE.enabled
    STATE.enabled = mode
    defer(lambda: setattr(STATE, "enabled", saved), env)


def local_no_grad(env=None):
    """R torch's `local_no_grad(.env = parent.frame())`: recording off until the calling function returns
    (`env`: the frame whose end restores it, default the caller's; see `rtorch._scoped`)."""
    _local_grad_mode(False, frame_of(env))


def local_enable_grad(env=None):
    """R torch's `local_enable_grad()`: recording on until the calling function returns."""
    _local_grad_mode(True, frame_of(env))


def autograd_set_grad_mode(enabled):
    """R torch's `autograd_set_grad_mode(enabled)`: turns recording on or off from here on."""
    STATE.enabled = bool(enabled)


def autograd_is_enabled():
    return STATE.enabled


class with_detect_anomaly:
    """R torch's `with_detect_anomaly({ ... })`: errors in backward name the operation whose forward made the
    failing node. Python: `with with_detect_anomaly(): ...`."""

    def __enter__(self):
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should be "
                      "enabled only for debugging.", UserWarning, stacklevel=2)
        self.saved = STATE.anomaly
        STATE.anomaly = True
        return self

    def __exit__(self, *exc):
        STATE.anomaly = self.saved
        return False
