"""The ``device`` parameter, checked without importing torch."""

import re

__all__ = ["check_device"]

_DEVICE = re.compile(r"(cpu|cuda|mps|xpu)(:\d+)?")


def check_device(device, estimator_name):
    """Check a ``device`` parameter's spelling, whether or not torch is used.

    Estimators with a NumPy backend and a neural one take ``device`` for the
    latter; a misspelled device must fail at ``fit`` on either backend, not
    only when torch resolves it.

    Parameters
    ----------
    device : str
        ``"auto"``, ``"cpu"``, ``"cuda"``, ``"cuda:<index>"``, ``"mps"`` or
        ``"xpu"`` (optionally with ``:<index>``).
    estimator_name : str
        Named in the error message.

    Returns
    -------
    device : str
        ``device``, unchanged.

    Raises
    ------
    ValueError
        If ``device`` is not a device string.

    Examples
    --------
    >>> from sklweak.utils._device import check_device
    >>> check_device("cuda:1", "NNPUClassifier")
    'cuda:1'
    """
    if device == "auto" or (isinstance(device, str) and _DEVICE.fullmatch(device)):
        return device
    raise ValueError(
        f"{estimator_name}: device must be 'auto', 'cpu', 'cuda', 'cuda:<index>', "
        f"'mps' or 'xpu'; got {device!r}."
    )
