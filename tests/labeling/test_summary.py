"""lf_summary and its plot."""

import numpy as np
import pytest

from sklweak.labeling import lf_summary, plot_lf_summary

L = np.array([[0, 0, -1], [1, -1, 1], [-1, 0, 0], [1, 0, -1], [-1, -1, -1]])


def test_per_function_numbers():
    s = lf_summary(L)
    np.testing.assert_allclose(s.coverage, [0.6, 0.6, 0.4])
    np.testing.assert_allclose(s.overlaps, [0.6, 0.6, 0.4])
    np.testing.assert_allclose(s.conflicts, [0.2, 0.2, 0.0])
    assert s.polarity == [[0, 1], [0], [0, 1]]
    assert np.all(np.isnan(s.empirical_accuracy))
    assert list(s.names) == ["lf_0", "lf_1", "lf_2"]


def test_pairwise_matrices():
    s = lf_summary(L)
    np.testing.assert_allclose(s.overlap_matrix, s.overlap_matrix.T)
    np.testing.assert_allclose(np.diag(s.overlap_matrix), s.coverage)
    assert s.overlap_matrix[0, 1] == pytest.approx(0.4)
    assert s.conflict_matrix[0, 1] == pytest.approx(0.2)
    assert np.all(np.diag(s.conflict_matrix) == 0)


def test_empirical_accuracy_from_a_few_labels():
    s = lf_summary(L, y=[0, 1, -1, 0, -1])
    np.testing.assert_allclose(s.empirical_accuracy, [2 / 3, 1.0, 1.0])
    assert s.n_labeled.tolist() == [3, 2, 1]
    with pytest.raises(ValueError, match="shape"):
        lf_summary(L, y=[0, 1])


def test_frame_and_names():
    pd = pytest.importorskip("pandas")
    frame = lf_summary(pd.DataFrame(L, columns=["a", "b", "c"]), as_frame=True)
    assert list(frame.index) == ["a", "b", "c"]
    assert frame.loc["b", "coverage"] == pytest.approx(0.6)


def test_bad_votes():
    with pytest.raises(ValueError, match="vote -3"):
        lf_summary(np.array([[0, -3]]))


def test_plot():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = plot_lf_summary(lf_summary(L), matrix="overlap")
    assert ax.get_title().startswith("Pairwise overlap")
    with pytest.raises(ValueError, match="matrix"):
        plot_lf_summary(lf_summary(L), matrix="other")
