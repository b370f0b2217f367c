"""R torch's loss modules (R/nn-loss.R): `nn_loss` keeps `reduction`; `nn_weighted_loss` also registers
`weight` as a buffer (a number or vector becomes a tensor); each `nn_<name>_loss` calls its `nnf_*` form
with its stored arguments. Python differs from R torch in two places: `nn_triplet_margin_loss` passes
its `reduction` on (R torch's forward leaves it out, so it always averages), and `nn_huber_loss`, which
R torch does not have, is libtorch's."""
from ..._creation import torch_tensor
from ..._tensor import Tensor
from .. import functional as F
from ._module import nn_Module

__all__ = ["nn_loss", "nn_weighted_loss", "nn_l1_loss", "nn_mse_loss", "nn_smooth_l1_loss", "nn_huber_loss",
           "nn_nll_loss", "nn_cross_entropy_loss", "nn_bce_loss", "nn_bce_with_logits_loss", "nn_kl_div_loss",
           "nn_poisson_nll_loss", "nn_hinge_embedding_loss", "nn_soft_margin_loss",
           "nn_multilabel_soft_margin_loss", "nn_cosine_embedding_loss", "nn_margin_ranking_loss",
           "nn_triplet_margin_loss", "nn_multi_margin_loss", "nn_multilabel_margin_loss",
           "nn_triplet_margin_with_distance_loss"]


class nn_loss(nn_Module):
    def initialize(self, reduction="mean"):
        self.reduction = reduction


class nn_weighted_loss(nn_loss):
    def initialize(self, weight=None, reduction="mean"):
        nn_loss.initialize(self, reduction)
        if weight is not None and not isinstance(weight, Tensor):
            weight = torch_tensor(weight)
        self.register_buffer("weight", weight)


class nn_l1_loss(nn_loss):
    def forward(self, input, target):
        return F.nnf_l1_loss(input, target, reduction=self.reduction)


class nn_mse_loss(nn_loss):
    def forward(self, input, target):
        return F.nnf_mse_loss(input, target, reduction=self.reduction)


class nn_smooth_l1_loss(nn_loss):
    def initialize(self, reduction="mean", beta=1):
        nn_loss.initialize(self, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.nnf_smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class nn_huber_loss(nn_loss):
    def initialize(self, reduction="mean", delta=1):
        nn_loss.initialize(self, reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.nnf_huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class nn_nll_loss(nn_weighted_loss):
    def initialize(self, weight=None, ignore_index=-100, reduction="mean"):
        nn_weighted_loss.initialize(self, weight, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nnf_nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                              reduction=self.reduction)


class nn_cross_entropy_loss(nn_weighted_loss):
    def initialize(self, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing
        nn_weighted_loss.initialize(self, weight, reduction)

    def forward(self, input, target):
        return F.nnf_cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                                   reduction=self.reduction, label_smoothing=self.label_smoothing)


class nn_bce_loss(nn_weighted_loss):
    def forward(self, input, target):
        return F.nnf_binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class nn_bce_with_logits_loss(nn_loss):
    def initialize(self, weight=None, reduction="mean", pos_weight=None):
        nn_loss.initialize(self, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.nnf_binary_cross_entropy_with_logits(input, target, self.weight, pos_weight=self.pos_weight,
                                                      reduction=self.reduction)


class nn_kl_div_loss(nn_loss):
    def initialize(self, reduction="mean", log_target=False):
        nn_loss.initialize(self, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.nnf_kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class nn_poisson_nll_loss(nn_loss):
    def initialize(self, log_input=True, full=False, eps=1e-8, reduction="mean"):
        nn_loss.initialize(self, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input, target):
        return F.nnf_poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full, eps=self.eps,
                                      reduction=self.reduction)


class nn_hinge_embedding_loss(nn_loss):
    def initialize(self, margin=1.0, reduction="mean"):
        nn_loss.initialize(self, reduction)
        self.margin = margin

    def forward(self, input, target):
        return F.nnf_hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class nn_soft_margin_loss(nn_loss):
    def forward(self, input, target):
        return F.nnf_soft_margin_loss(input, target, reduction=self.reduction)


class nn_multilabel_soft_margin_loss(nn_weighted_loss):
    def forward(self, input, target):
        return F.nnf_multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


class nn_cosine_embedding_loss(nn_loss):
    def initialize(self, margin=0, reduction="mean"):
        nn_loss.initialize(self, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.nnf_cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class nn_margin_ranking_loss(nn_loss):
    def initialize(self, margin=0, reduction="mean"):
        nn_loss.initialize(self, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.nnf_margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class nn_triplet_margin_loss(nn_loss):
    def initialize(self, margin=1, p=2, eps=1e-6, swap=False, reduction="mean"):
        nn_loss.initialize(self, reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor, positive, negative):
        return F.nnf_triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p, eps=self.eps,
                                         swap=self.swap, reduction=self.reduction)


class nn_multi_margin_loss(nn_weighted_loss):
    def initialize(self, p=1, margin=1, weight=None, reduction="mean"):
        nn_weighted_loss.initialize(self, weight, reduction)
        if p not in (1, 2):
            raise ValueError("only p == 1 or p == 2 are supported.")
        if self.weight is not None and self.weight.dim() != 1:
            raise ValueError("weight must be NULL or 1-dimensional")
        self.p, self.margin = p, margin

    def forward(self, input, target):
        return F.nnf_multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                       reduction=self.reduction)


class nn_multilabel_margin_loss(nn_loss):
    def forward(self, input, target):
        return F.nnf_multilabel_margin_loss(input, target, reduction=self.reduction)


class nn_triplet_margin_with_distance_loss(nn_loss):
    """`distance_function = NULL` is libtorch's pairwise distance (R torch: `nn_pairwise_distance()`)."""

    def initialize(self, distance_function=None, margin=1, swap=False, reduction="mean"):
        nn_loss.initialize(self, reduction)
        self.distance_function, self.margin, self.swap = distance_function, margin, swap

    def forward(self, anchor, positive, negative):
        return F.nnf_triplet_margin_with_distance_loss(anchor, positive, negative,
                                                       distance_function=self.distance_function,
                                                       margin=self.margin, swap=self.swap, reduction=self.reduction)
