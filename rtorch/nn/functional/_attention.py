"""R torch's `nnf_multi_head_attention_forward` (R/nnf-activation.R), composed of rtorch's differentiable ops
(`nnf_linear`, `bmm`, `masked_fill`, `softmax`, `nnf_dropout`, `torch_cat`), so autograd runs through it.

Where R torch's code and libtorch's (`torch.nn.functional.multi_head_attention_forward`) disagree, this
follows libtorch and says so:
- `add_zero_attn = TRUE` appends a zero key *and* a zero value (R torch appends the zero row to the keys
  twice and none to the values, so its shapes no longer line up);
- the fused in-projection (one `linear` chunked in three) runs when `query`, `key` and `value` are the same
  tensor object, not merely equal (R torch's `torch_equal` test would send the gradients of equal-valued but
  distinct `key` and `value` tensors nowhere);
- masks of a dtype other than bool or floating, and masks of the wrong shape, are errors (R torch adds a
  byte mask as if it were a float mask and leaves wrong shapes to `bmm`).
"""
import math

from ..._creation import torch_ones, torch_zeros
from ..._dtypes import torch_bool
from ..._functions import torch_cat
from ..._scalars import _shape_text
from ._checks import check_tensor
from ._dropout import nnf_dropout
from ._linear import nnf_linear

__all__ = ["nnf_multi_head_attention_forward", "torch_scaled_dot_product_attention"]


def _check_mask(mask, name):
    if mask is None:
        return None
    check_tensor(mask, name)
    if mask.dtype != torch_bool() and not mask.is_floating_point():
        raise TypeError(f"only bool and floating types of {name} are supported, got {mask.dtype}")
    return mask


def _pad_last(mask):
    """One more column at the end of the last dim: FALSE for a bool mask, 0 for an additive one."""
    if mask is None:
        return None
    return torch_cat([mask, torch_zeros(*mask.shape[:-1], 1, dtype=mask.dtype, device=mask.device)], dim=-1)


def _apply_mask(weights, mask):
    if mask.dtype == torch_bool():
        return weights.masked_fill(mask, -math.inf)
    return weights + mask


def nnf_multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight,
                                     in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight,
                                     out_proj_bias, training=True, key_padding_mask=None, need_weights=True,
                                     attn_mask=None, avg_weights=True, use_separate_proj_weight=False,
                                     q_proj_weight=None, k_proj_weight=None, v_proj_weight=None, static_k=None,
                                     static_v=None, batch_first=False):
    """Multi-head scaled dot-product attention of `query` (L, N, E) over `key` (S, N, kdim) and `value`
    (S, N, vdim) (batch first with `batch_first = TRUE`). Returns `list(attn_output, attn_output_weights)`:
    the output (L, N, E) and the weights (N, L, S), averaged over heads, or (N, H, L, S) with
    `avg_weights = FALSE`, or `None` with `need_weights = FALSE`."""
    for name, x in (("query", query), ("key", key), ("value", value)):
        check_tensor(x, name)
        if x.dim() != 3:
            raise ValueError(f"`{name}` must be a 3-D tensor (L, N, E), or (N, L, E) with batch_first = TRUE; "
                             f"got a {x.dim()}-D tensor of shape {_shape_text(x.shape)}")
    attn_mask = _check_mask(attn_mask, "attn_mask")
    key_padding_mask = _check_mask(key_padding_mask, "key_padding_mask")
    self_attention = query is key and key is value
    if batch_first:
        query, key, value = (x.transpose(1, 2) for x in (query, key, value))

    tgt_len, bsz, embed_dim = query.shape
    if embed_dim != embed_dim_to_check:
        raise ValueError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise ValueError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if key.shape[:2] != value.shape[:2] or (not use_separate_proj_weight and key.shape != value.shape):
        raise ValueError(f"key shape {_shape_text(key.shape)} does not match value shape {_shape_text(value.shape)}")
    if key.shape[1] != bsz:
        raise ValueError(f"key and value batch size {key.shape[1]} does not match query batch size {bsz}")
    src_len = key.shape[0]

    if attn_mask is not None:
        if attn_mask.dim() == 2:
            want = (tgt_len, src_len)
        elif attn_mask.dim() == 3:
            want = (bsz * num_heads, tgt_len, src_len)
        else:
            raise ValueError(f"attn_mask's dimension {attn_mask.dim()} is not supported (2-D or 3-D)")
        if tuple(attn_mask.shape) != want:
            raise ValueError(f"The shape of the {attn_mask.dim()}D attn_mask is {_shape_text(attn_mask.shape)}, "
                             f"but should be {_shape_text(want)}.")

    # input projections
    if not use_separate_proj_weight:
        if self_attention:
            q, k, v = nnf_linear(query, in_proj_weight, in_proj_bias).chunk(3, dim=-1)
        else:
            w_q, w_k, w_v = in_proj_weight.chunk(3, dim=1)
            b_q, b_k, b_v = (None,) * 3 if in_proj_bias is None else in_proj_bias.chunk(3, dim=1)
            q, k, v = nnf_linear(query, w_q, b_q), nnf_linear(key, w_k, b_k), nnf_linear(value, w_v, b_v)
    else:
        b_q, b_k, b_v = (None,) * 3 if in_proj_bias is None else in_proj_bias.chunk(3, dim=1)
        q = nnf_linear(query, q_proj_weight, b_q)
        k = nnf_linear(key, k_proj_weight, b_k)
        v = nnf_linear(value, v_proj_weight, b_v)

    q = q * head_dim ** -0.5

    if bias_k is not None and bias_v is not None:
        if static_k is not None or static_v is not None:
            raise ValueError("bias cannot be added to static key or static value")
        k = torch_cat([k, bias_k.repeat(1, bsz, 1)])
        v = torch_cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask = _pad_last(attn_mask)
        key_padding_mask = _pad_last(key_padding_mask)
    elif bias_k is not None or bias_v is not None:
        raise ValueError("bias_k and bias_v must both be given or both be NULL")

    # (L, N, E) -> (N * H, L, head_dim)
    q = q.contiguous().view(tgt_len, bsz * num_heads, head_dim).transpose(1, 2)
    k = k.contiguous().view(-1, bsz * num_heads, head_dim).transpose(1, 2)
    v = v.contiguous().view(-1, bsz * num_heads, head_dim).transpose(1, 2)
    for name, static in (("static_k", static_k), ("static_v", static_v)):
        if static is not None:
            check_tensor(static, name)
            if static.dim() != 3 or static.shape[0] != bsz * num_heads or static.shape[2] != head_dim:
                raise ValueError(f"expecting {name} of shape [{bsz * num_heads}, S, {head_dim}], "
                                 f"but got {_shape_text(static.shape)}")
    if static_k is not None:
        k = static_k
    if static_v is not None:
        v = static_v

    if add_zero_attn:
        k = torch_cat([k, torch_zeros(k.shape[0], 1, k.shape[2], dtype=k.dtype, device=k.device)], dim=2)
        v = torch_cat([v, torch_zeros(v.shape[0], 1, v.shape[2], dtype=v.dtype, device=v.device)], dim=2)
        attn_mask = _pad_last(attn_mask)
        key_padding_mask = _pad_last(key_padding_mask)
    src_len = k.shape[1]

    if key_padding_mask is not None and tuple(key_padding_mask.shape) != (bsz, src_len):
        raise ValueError(f"expecting key_padding_mask shape of {_shape_text((bsz, src_len))}, "
                         f"but got {_shape_text(key_padding_mask.shape)}")

    attn_output_weights = q.bmm(k.transpose(2, 3))
    if attn_mask is not None:
        attn_output_weights = _apply_mask(attn_output_weights, attn_mask)
    if key_padding_mask is not None:
        attn_output_weights = attn_output_weights.view(bsz, num_heads, tgt_len, src_len)
        attn_output_weights = _apply_mask(attn_output_weights, key_padding_mask.unsqueeze(2).unsqueeze(3))
        attn_output_weights = attn_output_weights.view(bsz * num_heads, tgt_len, src_len)

    attn_output_weights = attn_output_weights.softmax(dim=-1)
    attn_output_weights = nnf_dropout(attn_output_weights, p=dropout_p, training=training)

    attn_output = attn_output_weights.bmm(v)
    attn_output = attn_output.transpose(1, 2).contiguous().view(tgt_len, bsz, embed_dim)
    attn_output = nnf_linear(attn_output, out_proj_weight, out_proj_bias)
    if batch_first:
        attn_output = attn_output.transpose(1, 2)

    if not need_weights:
        return [attn_output, None]
    attn_output_weights = attn_output_weights.view(bsz, num_heads, tgt_len, src_len)
    if avg_weights:
        attn_output_weights = attn_output_weights.sum(dim=2) / num_heads
    return [attn_output, attn_output_weights]


def torch_scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0, is_causal=False, scale=None,
                                       enable_gqa=False):
    """R torch's `torch_scaled_dot_product_attention(query, key, value, attn_mask = list(), dropout_p = 0,
    is_causal = FALSE, scale = NULL, enable_gqa = FALSE)`: softmax(q k^T * scale + bias) v over the last two
    dims, as libtorch's math path computes it (q and k each scaled by sqrt(scale), default scale
    1 / sqrt(E)). A bool `attn_mask` keeps where TRUE, a floating one is added; `is_causal` keeps the lower
    triangle; `dropout_p` drops attention weights always (libtorch's train mode, its draws); `enable_gqa`
    repeats key and value heads (dim -3) to the query's. `attn_mask = list()` (R's empty default) is None."""
    for name, x in (("query", query), ("key", key), ("value", value)):
        check_tensor(x, name)
    if isinstance(attn_mask, (list, tuple)) and not attn_mask:
        attn_mask = None
    attn_mask = _check_mask(attn_mask, "attn_mask")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    if enable_gqa and query.dim() >= 3 and key.shape[-3] != query.shape[-3]:
        q_heads, kv_heads = query.shape[-3], key.shape[-3]
        if q_heads % kv_heads:
            raise RuntimeError("Number of heads in key and value must divide the number of heads in query")
        r = q_heads // kv_heads

        def repeat(t):
            *lead, h, n, e = t.shape
            return t.unsqueeze(-3).expand(*lead, h, r, n, e).reshape(*lead, h * r, n, e)
        key, value = repeat(key), repeat(value)
    L, S, E = query.shape[-2], key.shape[-2], query.shape[-1]
    s = 1 / math.sqrt(E) if scale is None else float(scale)
    root = math.sqrt(s)
    weights = (query * root).matmul((key * root).transpose(-2, -1))
    if is_causal:
        keep = torch_ones(L, S, dtype=torch_bool(), device=query.device).tril()
        weights = weights.masked_fill(~keep, -math.inf)
    if attn_mask is not None:
        weights = weights.masked_fill(~attn_mask, -math.inf) if attn_mask.dtype == torch_bool() \
            else weights + attn_mask
    weights = weights.softmax(dim=-1)
    if dropout_p > 0:
        weights = nnf_dropout(weights, dropout_p, training=True)
    return weights.matmul(value)
