"""Torch building blocks shared by sklweak's neural estimators (optional).

The torch pieces need torch and skorch (``pip install sklweak[neural]``) and
are imported on first use: ``import sklweak`` and ``import sklweak.neural``
never import torch, ``from sklweak.neural import MLPModule`` does.
Estimators of every family use them lazily, inside ``fit``:

- :class:`MLPModule`: a multilayer perceptron whose last hidden layer is
  available through ``embed``;
- :func:`make_net`, :func:`fit_net`, :func:`predict_logits`, :func:`embed`:
  build a skorch net from plain hyperparameters, train it with torch seeded
  from ``random_state``, and read it (:func:`resolve_device` turns
  ``device="auto"`` into ``"cuda"`` when a GPU is visible);
- :class:`BagBatchSampler` and :func:`bag_loader`: mini-batches of whole bags;
- weak-label losses as torch modules: :class:`BagProportionLoss` (DLLP),
  :class:`NonNegativePULoss` (nnPU), :class:`ComplementaryLoss` and the
  per-sample complementary losses, equal to the NumPy ones of the linear
  complementary backend, :class:`ELRLoss` (early-learning
  regularization, for noisy labels) and :class:`SoftLabelLoss` (soft or
  debiased labels, equal to :func:`sklweak.llp.soft_label_loss`).

The torch-free base of the estimators (shared hyperparameter constraints,
the standardizer, the fit loop wrapper and the prediction mixins) is
``sklweak.neural._base``.
"""

import importlib

from ._base import torch_seed

_MODULE_OF = {
    "ELRLoss": "_elr_loss",
    "BagProportionLoss": "_losses",
    "ComplementaryLoss": "_losses",
    "NonNegativePULoss": "_losses",
    "complementary_forward_loss": "_losses",
    "complementary_pairwise_loss": "_losses",
    "complementary_partial_risks": "_losses",
    "complementary_surrogate_exp_loss": "_losses",
    "complementary_surrogate_log_loss": "_losses",
    "complementary_unbiased_loss": "_losses",
    "MLPModule": "_mlp",
    "BagBatchSampler": "_net",
    "as_float32": "_net",
    "bag_loader": "_net",
    "batch_loader": "_net",
    "embed": "_net",
    "fit_net": "_net",
    "make_net": "_net",
    "net_converged": "_net",
    "predict_logits": "_net",
    "resolve_device": "_net",
    "SoftLabelLoss": "_soft_label_loss",
}

__all__ = [
    "BagBatchSampler",
    "BagProportionLoss",
    "ComplementaryLoss",
    "ELRLoss",
    "MLPModule",
    "NonNegativePULoss",
    "SoftLabelLoss",
    "as_float32",
    "bag_loader",
    "batch_loader",
    "complementary_forward_loss",
    "complementary_pairwise_loss",
    "complementary_partial_risks",
    "complementary_surrogate_exp_loss",
    "complementary_surrogate_log_loss",
    "complementary_unbiased_loss",
    "embed",
    "fit_net",
    "make_net",
    "net_converged",
    "predict_logits",
    "resolve_device",
    "torch_seed",
]


def __getattr__(name):
    if name in _MODULE_OF:
        return getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_MODULE_OF])
