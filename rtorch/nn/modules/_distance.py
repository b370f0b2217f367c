"""R torch's distance module (R/nn-distance.R): `nn_pairwise_distance` (R torch has no
`nn_cosine_similarity`)."""
from ..functional._distance import nnf_pairwise_distance
from ._module import nn_Module

__all__ = ["nn_pairwise_distance"]


class nn_pairwise_distance(nn_Module):
    def initialize(self, p=2, eps=1e-6, keepdim=False):
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1, x2):
        return nnf_pairwise_distance(x1, x2, p=self.norm, eps=self.eps, keepdim=self.keepdim)
