"""Every ``n_jobs`` path runs unchanged on a Dask cluster, with the same results.

The cluster is a ``LocalCluster`` of two worker processes; scikit-learn's and
sklweak's parallel loops reach it through ``joblib.parallel_config(backend="dask")``.
"""

import logging

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklweak.datasets import make_pu, mask_labels
from sklweak.noise import cross_val_pred_probs
from sklweak.pu import (
    BaggingPUClassifier,
    ElkanNotoClassifier,
    PUStratifiedKFold,
    make_pu_scorer,
)
from sklweak.self_training import TriTrainingClassifier

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def dask_client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _on_dask(client, fit):
    with parallel_config(backend="dask"):
        return fit()


@pytest.fixture(scope="module")
def pu_data():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    s, _ = make_pu(X, y, label_frequency=0.4, random_state=0)
    return X, s


def test_bagging_pu_same_on_dask(dask_client, pu_data):
    X, s = pu_data
    model = BaggingPUClassifier(LogisticRegression(max_iter=500), n_estimators=8, random_state=0)
    local = model.set_params(n_jobs=1).fit(X, s).predict_proba(X)
    remote = _on_dask(dask_client, lambda: model.set_params(n_jobs=2).fit(X, s).predict_proba(X))
    np.testing.assert_allclose(remote, local)


def test_cross_val_pred_probs_same_on_dask(dask_client):
    X, y = load_wine(return_X_y=True)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    local = cross_val_pred_probs(model, X, y, cv=4, n_jobs=1, random_state=0)
    remote = _on_dask(
        dask_client, lambda: cross_val_pred_probs(model, X, y, cv=4, n_jobs=2, random_state=0)
    )
    np.testing.assert_allclose(remote, local)


def test_tri_training_same_on_dask(dask_client):
    X, y = load_wine(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    y_weak = mask_labels(y, labeled_fraction=0.2, random_state=0)
    model = TriTrainingClassifier(LogisticRegression(max_iter=500), random_state=0)
    local = model.set_params(n_jobs=1).fit(X, y_weak).predict_proba(X)
    remote = _on_dask(
        dask_client, lambda: model.set_params(n_jobs=3).fit(X, y_weak).predict_proba(X)
    )
    np.testing.assert_allclose(remote, local)


def test_grid_search_over_pu_estimator_same_on_dask(dask_client, pu_data):
    X, s = pu_data

    def search(n_jobs):
        return GridSearchCV(
            ElkanNotoClassifier(LogisticRegression(max_iter=500), random_state=0),
            {"estimator__C": [0.01, 0.1, 1.0]},
            cv=PUStratifiedKFold(n_splits=3, shuffle=True, random_state=0),
            scoring=make_pu_scorer("lee_liu"),
            n_jobs=n_jobs,
        ).fit(X, s)

    local = search(1)
    remote = _on_dask(dask_client, lambda: search(2))
    assert remote.best_params_ == local.best_params_
    np.testing.assert_allclose(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
