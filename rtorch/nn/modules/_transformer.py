"""R torch's `nn_transformer_encoder_layer` and `nn_transformer_encoder` (R/nn-transformer.R).

The layer registers, in R torch's order, `self_attn` (an `nn_multihead_attention`), `linear1`, `linear2`,
`dropout`, `dropout1`, `dropout2`, `norm1`, `norm2`; PyTorch builds `linear1`, `dropout`, `linear2`, ...
but dropout and layer norm draw no random numbers, so the same seed gives PyTorch's
`TransformerEncoderLayer` weights and the same `state_dict` keys. With `bias = FALSE` the linears and the
attention have no bias and the layer norms no affine parameters (R torch's `elementwise_affine = bias`).
The encoder deep-clones the layer `num_layers` times into an `nn_module_list`, so its parameters are named
`layers.0.self_attn.in_proj_weight`, ... (0-based, as R torch's module lists and PyTorch name them), then
the optional final `norm`. The forward is R torch's: post-norm or pre-norm (`norm_first`), a causal mask
built on the input's device for `is_causal = TRUE`."""
from ..._creation import torch_ones
from ..._dtypes import torch_bool
from ..functional import nnf_gelu, nnf_relu
from ._attention import nn_multihead_attention
from ._container import nn_module_list
from ._dropout import nn_dropout
from ._linear import nn_linear
from ._module import clone_module, is_nn_module, nn_Module
from ._normalization import nn_layer_norm

__all__ = ["nn_transformer_encoder_layer", "nn_transformer_encoder"]

_ACTIVATIONS = {"relu": (nnf_relu, 1), "gelu": (nnf_gelu, 2)}


class nn_transformer_encoder_layer(nn_Module):
    """Self-attention and a feed-forward network, each with dropout, a residual connection and a layer norm;
    `forward(src, src_mask, src_key_padding_mask, is_causal)` returns a tensor shaped as `src`."""

    def initialize(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
                   layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True):
        if isinstance(activation, str):
            if activation.lower() not in _ACTIVATIONS:
                raise ValueError(f"Unsupported activation string: {activation}. "
                                 "Use 'relu', 'gelu', or a callable function.")
        elif not callable(activation):
            raise ValueError("activation must be a string ('relu' or 'gelu') or a function.")
        self.norm_first = norm_first
        self.self_attn = nn_multihead_attention(embed_dim=d_model, num_heads=nhead, dropout=dropout,
                                                bias=bias, batch_first=batch_first)
        self.linear1 = nn_linear(d_model, dim_feedforward, bias=bias)
        self.linear2 = nn_linear(dim_feedforward, d_model, bias=bias)
        self.dropout = nn_dropout(dropout)
        self.dropout1 = nn_dropout(dropout)
        self.dropout2 = nn_dropout(dropout)
        self.norm1 = nn_layer_norm(normalized_shape=d_model, eps=layer_norm_eps, elementwise_affine=bias)
        self.norm2 = nn_layer_norm(normalized_shape=d_model, eps=layer_norm_eps, elementwise_affine=bias)
        if isinstance(activation, str):
            self.activation, self.activation_relu_or_gelu = _ACTIVATIONS[activation.lower()]
        else:
            self.activation, self.activation_relu_or_gelu = activation, 0

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        if src_mask is not None and is_causal:
            raise ValueError("Explicit src_mask should not be set when is_causal=TRUE. Use one or the other.")
        if src.dim() != 3:
            raise ValueError(f"nn_transformer_encoder_layer expects a 3-D input "
                             f"({'batch, seq, feature' if self.self_attn.batch_first else 'seq, batch, feature'}),"
                             f" got {src.dim()} dims.")
        if src.shape[-1] != self.self_attn.embed_dim:
            raise ValueError(f"the input's last dim is {src.shape[-1]}, expected d_model = "
                             f"{self.self_attn.embed_dim}.")
        attn_mask = src_mask
        if is_causal:
            L = src.shape[1] if self.self_attn.batch_first else src.shape[0]
            attn_mask = torch_ones(L, L, dtype=torch_bool(), device=src.device).triu(diagonal=1)

        def sa(x):
            return self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=src_key_padding_mask,
                                  need_weights=False)[0]

        def ff(x):
            return self.linear2(self.dropout(self.activation(self.linear1(x))))

        if self.norm_first:
            src2 = src + self.dropout1(sa(self.norm1(src)))
            return src2 + self.dropout2(ff(self.norm2(src2)))
        out1 = self.norm1(src + self.dropout1(sa(src)))
        return self.norm2(out1 + self.dropout2(ff(out1)))


class nn_transformer_encoder(nn_Module):
    """`num_layers` deep clones of `encoder_layer` applied in turn, then `norm` when given."""

    def initialize(self, encoder_layer, num_layers, norm=None):
        if not is_nn_module(encoder_layer):
            raise ValueError("`encoder_layer` must be an `nn_module` (transformer encoder layer instance).")
        if norm is not None and not is_nn_module(norm):
            raise ValueError("`norm` must be an `nn_module` or NULL.")
        self.num_layers = num_layers
        self.layers = nn_module_list([clone_module(encoder_layer, deep=True) for _ in range(int(num_layers))])
        self.norm = norm

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=False):
        output = src
        for layer in self.layers:
            output = layer(output, src_mask=mask, src_key_padding_mask=src_key_padding_mask,
                           is_causal=is_causal)
        if self.norm is not None:
            output = self.norm(output)
        return output
