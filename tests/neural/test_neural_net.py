"""The skorch helpers: device, seeding, float32, bag batches, the MLP module."""

import doctest
import importlib
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklweak.neural import (
    BagBatchSampler,
    MLPModule,
    as_float32,
    embed,
    fit_net,
    make_net,
    net_converged,
    predict_logits,
    resolve_device,
    torch_seed,
)


@pytest.mark.parametrize(
    "module_name", ["sklweak.neural._mlp", "sklweak.neural._net", "sklweak.neural._losses"]
)
def test_neural_docstring_examples(module_name):
    result = doctest.testmod(
        importlib.import_module(module_name),
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 0
    assert result.failed == 0


def test_resolve_device(monkeypatch):
    assert resolve_device("cpu") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    with pytest.raises(ValueError, match="GPU"):
        resolve_device("cuda")
    with pytest.raises(ValueError, match="device must be"):
        resolve_device("tpu-please")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda"
    assert resolve_device("cuda:1") == "cuda:1"


def test_torch_seed_follows_random_state():
    assert torch_seed(3) == torch_seed(3)
    assert torch_seed(3) != torch_seed(4)
    rng = np.random.RandomState(0)
    assert torch_seed(rng) != torch_seed(rng)


def test_as_float32_copies_and_is_writable():
    X = np.arange(6, dtype=np.float32).reshape(2, 3)
    X.setflags(write=False)
    out = as_float32(X)
    assert out.dtype == np.float32 and out.flags.writeable and out.flags.c_contiguous
    assert not np.shares_memory(out, X)
    out[0, 0] = 99
    assert X[0, 0] == 0


def test_mlp_module_shapes_and_options():
    torch.manual_seed(0)
    net = MLPModule(
        5, 3, hidden_layer_sizes=(7, 4), activation="tanh", dropout=0.2, batch_norm=True
    )
    x = torch.randn(6, 5)
    assert net(x).shape == (6, 3)
    assert net.embed(x).shape == (6, 4)
    assert net.embedding_size == 4
    kinds = [type(m).__name__ for m in net.hidden]
    assert kinds.count("BatchNorm1d") == 2 and kinds.count("Dropout") == 2
    linear = MLPModule(5, 2, hidden_layer_sizes=())
    assert linear.embed(x).shape == (6, 5)
    with pytest.raises(ValueError, match="activation"):
        MLPModule(5, 2, activation="swish")
    with pytest.raises(ValueError, match="dropout"):
        MLPModule(5, 2, dropout=1.0)
    with pytest.raises(ValueError, match="positive"):
        MLPModule(5, 2, hidden_layer_sizes=(0,))


def test_bag_batch_sampler_keeps_bags_whole_and_is_seeded():
    bags = np.repeat(np.array([7, 3, 9, 1, 5]), [3, 2, 4, 1, 2])
    sampler = BagBatchSampler(bags, bags_per_batch=2, random_state=0)
    assert len(sampler) == 3
    epoch = list(sampler)
    assert sorted(i for batch in epoch for i in batch) == list(range(len(bags)))
    for batch in epoch:
        for bag in np.unique(bags[batch]):
            assert np.sum(bags[batch] == bag) == np.sum(bags == bag)
    again = list(BagBatchSampler(bags, 2, random_state=0))
    assert again == epoch
    renamed = list(BagBatchSampler(100 - bags, 2, random_state=0))
    assert renamed == epoch


def _data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 4)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    return X, y


def _net(**kwargs):
    params = {"max_epochs": 5, "batch_size": 16, "lr": 1e-2}
    params.update(kwargs)
    return make_net(
        MLPModule,
        torch.nn.CrossEntropyLoss,
        module_params={"n_features": 4, "n_outputs": 2, "hidden_layer_sizes": (8,), "dropout": 0.1},
        **params,
    )


def test_fit_net_is_deterministic_and_leaves_torch_state():
    X, y = _data()
    torch.manual_seed(123)
    before = torch.get_rng_state()
    net = fit_net(_net(), X, y, seed=5)
    assert torch.equal(torch.get_rng_state(), before)
    first = predict_logits(net, X)
    assert torch.equal(torch.get_rng_state(), before)
    second = predict_logits(fit_net(_net(), X, y, seed=5), X)
    other = predict_logits(fit_net(_net(), X, y, seed=6), X)
    np.testing.assert_array_equal(first, second)
    assert not np.allclose(first, other)
    assert first.dtype == np.float64


def test_net_learns_and_embeds():
    X, y = _data()
    net = fit_net(_net(max_epochs=40), X, y, seed=0)
    assert np.mean(predict_logits(net, X).argmax(axis=1) == y) > 0.9
    net.module_.train()
    first = embed(net, X)
    assert first.shape == (80, 8) and net.module_.training
    np.testing.assert_array_equal(first, embed(net, X))  # dropout is off
    # A row's output does not depend on the rows batched with it.
    np.testing.assert_array_equal(predict_logits(net, X)[5:9], predict_logits(net, X[5:9]))
    np.testing.assert_array_equal(embed(net, X)[::-1], embed(net, X[::-1]))


def test_weight_decay_spares_biases_and_plateau_stops():
    X, y = _data()
    net = _net(weight_decay=0.5, tol=10.0, n_iter_no_change=2, max_epochs=50).initialize()
    groups = net.optimizer_.param_groups
    decays = sorted(group["weight_decay"] for group in groups)
    assert decays == [0.0, 0.5]
    fit_net(net, X, y, seed=0)
    assert net_converged(net)
    assert len(net.history) == 3
    assert not net_converged(fit_net(_net(max_epochs=2), X, y, seed=0))


def test_unknown_optimizer_is_rejected():
    with pytest.raises(ValueError, match="optimizer"):
        _net(optimizer="lbfgs-please")


def test_sklweak_neural_is_the_only_torch_importer():
    code = (
        "import sys, sklweak, sklweak.llp, sklweak.complementary, sklweak.pu; "
        "print('torch' in sys.modules, 'skorch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
