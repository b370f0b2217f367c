"""R torch's `nn_multihead_attention` (R/nn-activation.R).

Parameters registered as R torch registers them: `in_proj_weight` (3E, E) or, when `kdim` / `vdim` differ
from `embed_dim`, `q_proj_weight` (E, E), `k_proj_weight` (E, kdim), `v_proj_weight` (E, vdim); then
`in_proj_bias` (3E), the `out_proj` linear, and with `add_bias_kv` `bias_k` and `bias_v` (1, 1, E).
Initial weights as libtorch's (and R torch's) draw them: `out_proj` is built with its own kaiming init, then
`reset_parameters` draws xavier-uniform in-projection weights (q, k, v in that order when separate), zeroes
`in_proj_bias` and `out_proj$bias`, and draws xavier-normal `bias_k`, then `bias_v`."""
from ..._creation import torch_empty
from .. import init
from ..functional import nnf_multi_head_attention_forward
from ._linear import nn_linear
from ._module import nn_Module, nn_parameter

__all__ = ["nn_multihead_attention"]


class nn_multihead_attention(nn_Module):
    """Multi-head attention; `forward(query, key, value, ...)` returns `list(attn_output, attn_output_weights)`."""

    def initialize(self, embed_dim, num_heads, dropout=0., bias=True, add_bias_kv=False, add_zero_attn=False,
                   kdim=None, vdim=None, batch_first=False):
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self.qkv_same_embed_dim_ = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise ValueError("embed_dim must be divisible by num_heads")

        if not self.qkv_same_embed_dim_:
            self.q_proj_weight = nn_parameter(torch_empty(embed_dim, embed_dim))
            self.k_proj_weight = nn_parameter(torch_empty(embed_dim, self.kdim))
            self.v_proj_weight = nn_parameter(torch_empty(embed_dim, self.vdim))
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = nn_parameter(torch_empty(3 * embed_dim, embed_dim))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)

        if bias:
            self.in_proj_bias = nn_parameter(torch_empty(3 * embed_dim))
        else:
            self.register_parameter("in_proj_bias", None)

        self.out_proj = nn_linear(embed_dim, embed_dim, bias=bias)

        if add_bias_kv:
            self.bias_k = nn_parameter(torch_empty(1, 1, embed_dim))
            self.bias_v = nn_parameter(torch_empty(1, 1, embed_dim))
        else:
            self.bias_k = None
            self.bias_v = None

        self.add_zero_attn = add_zero_attn
        self.batch_first = batch_first
        self.reset_parameters()

    def reset_parameters(self):
        if self.qkv_same_embed_dim_:
            init.nn_init_xavier_uniform_(self.in_proj_weight)
        else:
            init.nn_init_xavier_uniform_(self.q_proj_weight)
            init.nn_init_xavier_uniform_(self.k_proj_weight)
            init.nn_init_xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.nn_init_constant_(self.in_proj_bias, 0)
            init.nn_init_constant_(self.out_proj.bias, 0)
        if self.bias_k is not None:
            init.nn_init_xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.nn_init_xavier_normal_(self.bias_v)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                avg_weights=True):
        # R torch leaves `avg_weights` out of the separate-projection call (kdim / vdim set), so its weights
        # are always averaged there; it is passed on in both cases here, as its documentation says.
        separate = not self.qkv_same_embed_dim_
        return nnf_multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads,
            self.in_proj_weight, self.in_proj_bias,
            self.bias_k, self.bias_v, self.add_zero_attn,
            self.dropout, self.out_proj.weight, self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask, need_weights=need_weights,
            attn_mask=attn_mask, avg_weights=avg_weights,
            use_separate_proj_weight=separate,
            q_proj_weight=self.q_proj_weight if separate else None,
            k_proj_weight=self.k_proj_weight if separate else None,
            v_proj_weight=self.v_proj_weight if separate else None,
            batch_first=self.batch_first,
        )
