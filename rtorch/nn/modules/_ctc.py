"""R torch's `nn_ctc_loss` (R/nn-loss.R): keeps `blank` (a 0-based class index, as R torch's),
`reduction` and `zero_infinity`; its forward takes `log_probs, targets, input_lengths, target_lengths`."""
from ..functional._ctc import nnf_ctc_loss
from ._loss import nn_loss

__all__ = ["nn_ctc_loss"]


class nn_ctc_loss(nn_loss):
    def initialize(self, blank=0, reduction="mean", zero_infinity=False):
        nn_loss.initialize(self, reduction)
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return nnf_ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=self.blank,
                            reduction=self.reduction, zero_infinity=self.zero_infinity)
