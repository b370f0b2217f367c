"""R torch's `nnf_area_under_min_fpr_fnr` (R/nnf-loss.R), the AUM loss of Hillman & Hocking (JMLR 2023):
the area under min(FPR, FNR) as the threshold sweeps over the predictions.

`target` marks the positive class by its largest value (R's factor levels 1L and 2L, or FALSE/TRUE);
with no positives or no negatives the loss is `sum(input * 0)`. The predictions are sorted decreasing,
tied thresholds merged, and the loss is `sum_j min(FPR after j, FNR before j + 1) (t_{j+1} - t_j)` over
the unique thresholds `t = -prediction`; its gradient reaches one prediction per unique threshold (the
last in the stable descending sort). Input of any shape counts as one vector of scores. R torch pads its
deduplication mask with its first entry (meant to be TRUE, as in the paper's code); this follows the
paper's TRUE, which differs from R torch only when the two largest predictions tie."""
import numpy as np

from ..._tensor import wrap_as
from ...autograd._ops import take_flat
from ._checks import check_tensor

__all__ = ["nnf_area_under_min_fpr_fnr"]


def nnf_area_under_min_fpr_fnr(input, target):
    """The AUM of scores `input` for binary labels `target` (same number of elements)."""
    check_tensor(input)
    check_tensor(target, "target")
    if input.numel() != target.numel():
        raise RuntimeError(f"The size of tensor a ({target.numel()}) must match the size of tensor b "
                           f"({input.numel()}) at non-singleton dimension 0")
    t = np.asarray(target._data).reshape(-1)
    positive = t == t.max() if t.size else t.astype(bool)
    negative = ~positive
    if not positive.any() or not negative.any():
        return (input * 0).sum()
    x = np.asarray(input._data).reshape(-1)
    order = np.argsort(-x, kind="stable")
    fp_cum = np.cumsum(negative[order]) / negative.sum()
    fn_cum = np.cumsum(positive[order][::-1])[::-1] / positive.sum()
    thresh = -x[order]
    dedup = np.diff(thresh) != 0
    fp_end = np.concatenate([dedup, [True]])
    fn_end = np.concatenate([[True], dedup])
    w = np.minimum(fp_cum[fp_end][:-1], fn_cum[fn_end][1:])
    coef = np.zeros(int(fp_end.sum()))
    coef[1:] += w
    coef[:-1] -= w
    dtype = input._data.dtype
    u = -take_flat(input.reshape(-1), order[fp_end])
    return (u * wrap_as(coef.astype(dtype), input.dtype)).sum()
