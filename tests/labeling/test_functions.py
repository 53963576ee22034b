"""Writing and applying labeling functions: masks, votes, "not k", candidate sets."""

import numpy as np
import pytest

from sklweak.labeling import (
    LabelingFunction,
    LabelModel,
    apply_labeling_functions,
    labeling_function,
)

X = np.array([[1.0, 0.0], [4.0, 1.0], [9.0, 0.0], [6.0, 1.0]])


def test_mask_and_vote_functions():
    high = LabelingFunction("high", lambda X: X[:, 0] > 5, label=1)
    by_flag = LabelingFunction("flag", lambda X: np.where(X[:, 1] == 1, 0, -1))
    assert high(X).tolist() == [-1, -1, 1, 1]
    assert by_flag(X).tolist() == [-1, 0, -1, 0]
    L = apply_labeling_functions([high, by_flag], X)
    assert L.dtype == np.int64 and L.tolist() == [[-1, -1], [-1, 0], [1, -1], [1, 0]]


def test_decorator_keeps_the_name():
    @labeling_function(label=0, kind="not")
    def not_small(X):
        return X[:, 0] > 3

    assert isinstance(not_small, LabelingFunction)
    assert (not_small.name, not_small.kind, not_small.label) == ("not_small", "not", 0)


def test_candidate_sets_become_negative_columns():
    def sets(X):
        out = np.ones((X.shape[0], 3), dtype=bool)
        out[X[:, 0] > 5, 2] = False  # big rows: class 0 or 1
        out[0] = False  # no candidate: abstain
        return out

    candidates = LabelingFunction("sets", sets, kind="candidates")
    L, negative = apply_labeling_functions(
        [candidates], X, n_classes=3, as_frame=False, return_negative=True
    )
    assert L.tolist() == [[-1, -1, -1], [-1, -1, -1], [-1, -1, 2], [-1, -1, 2]]
    assert negative.tolist() == [True, True, True]
    with pytest.raises(ValueError, match="n_classes"):
        apply_labeling_functions([candidates], X)


def test_negative_votes_reach_the_label_model():
    rng = np.random.RandomState(0)
    table = rng.rand(600, 1)
    y = (table[:, 0] * 3).astype(int)
    functions = [
        LabelingFunction("low", lambda X: X[:, 0] < 0.3, label=0),
        LabelingFunction("high", lambda X: X[:, 0] > 0.7, label=2),
        LabelingFunction("not_low", lambda X: X[:, 0] > 0.4, kind="not", label=0),
        LabelingFunction("not_high", lambda X: X[:, 0] < 0.6, kind="not", label=2),
    ]
    L, negative = apply_labeling_functions(functions, table, return_negative=True)
    model = LabelModel(negative=negative, n_classes=3).fit(L)
    middle = (table[:, 0] > 0.4) & (table[:, 0] < 0.6)
    assert np.all(model.predict(L)[middle] == 1)
    assert np.mean(model.predict(L) == y) > 0.85


def test_dataframe_in_dataframe_out():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=["size", "flag"], index=[10, 11, 12, 13])
    high = LabelingFunction("high", lambda df: (df["size"] > 5).to_numpy(), label=1)
    L = apply_labeling_functions([high], frame)
    assert list(L.columns) == ["high"] and list(L.index) == [10, 11, 12, 13]
    assert apply_labeling_functions([high], frame, as_frame=False).tolist() == [
        [-1],
        [-1],
        [1],
        [1],
    ]


@pytest.mark.parametrize(
    "functions, error, match",
    [
        ([], ValueError, "empty"),
        ([lambda X: X], TypeError, "LabelingFunction"),
        ([LabelingFunction("a", lambda X: X[:, 0] > 1)], TypeError, "integer votes"),
        ([LabelingFunction("a", lambda X: X[:, 0] > 1, label=1)] * 2, ValueError, "distinct"),
        ([LabelingFunction("a", lambda X: X[:2, 0] > 1, label=1)], ValueError, "shape"),
        ([LabelingFunction("a", lambda X: X[:, 0], label=1)], TypeError, "boolean"),
    ],
)
def test_bad_functions(functions, error, match):
    with pytest.raises(error, match=match):
        apply_labeling_functions(functions, X)


def test_bad_kind_and_callable():
    with pytest.raises(ValueError, match="kind"):
        LabelingFunction("a", lambda X: X, kind="maybe")
    with pytest.raises(TypeError, match="callable"):
        LabelingFunction("a", 3)
