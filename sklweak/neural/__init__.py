"""Torch building blocks shared by sklweak's neural estimators (optional).

Importing this subpackage imports torch and skorch (``pip install
sklweak[neural]``); ``import sklweak`` never does. Estimators of every family
use it lazily, inside ``fit``:

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
"""

from ._elr_loss import ELRLoss
from ._losses import (
    BagProportionLoss,
    ComplementaryLoss,
    NonNegativePULoss,
    complementary_forward_loss,
    complementary_pairwise_loss,
    complementary_partial_risks,
    complementary_surrogate_exp_loss,
    complementary_surrogate_log_loss,
    complementary_unbiased_loss,
)
from ._mlp import MLPModule
from ._net import (
    BagBatchSampler,
    as_float32,
    bag_loader,
    batch_loader,
    embed,
    fit_net,
    make_net,
    net_converged,
    predict_logits,
    resolve_device,
    torch_seed,
)
from ._soft_label_loss import SoftLabelLoss

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
