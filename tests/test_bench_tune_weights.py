"""bench/tune_weights.py: its pair counts agree with cluster_bench's, and it never searches on a
sealed set."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from analysis.cluster import DEFAULT_WEIGHTS, cluster
from tests.benchmods import BENCH, bench_module

tune = bench_module("tune_weights")
cb = bench_module("cluster_bench")


@pytest.mark.parametrize("threshold", [DEFAULT_WEIGHTS.threshold, 20.0])
def test_tally_counts_the_pairs_cluster_bench_scores(threshold):
    weights = dataclasses.replace(DEFAULT_WEIGHTS, threshold=threshold)
    cases = cb.load_set("tune")
    truth = {c["id"]: c["story"] for c in cases}
    precision, recall, _f1 = cb.pairwise(truth, cluster(cb.docs_from(cases), weights))
    tally = tune.labelled_set("tune").tally(weights)
    assert tally.joined_true / (tally.joined_true + tally.joined_false) == pytest.approx(precision)
    assert tally.joined_true / (tally.joined_true + tally.missed) == pytest.approx(recall)


def test_a_low_threshold_joins_false_pairs_the_tally_sees():
    loose = dataclasses.replace(DEFAULT_WEIGHTS, threshold=-100.0, anchor_hours=1000.0)
    strict, lax = (tune.labelled_set("synthetic").tally(w) for w in (DEFAULT_WEIGHTS, loose))
    assert strict.joined_false == 0 and lax.joined_false > 0 and lax.missed <= strict.missed


def test_the_demo_corpus_is_clustered_as_the_acceptance_test_sees_it():
    tally = tune.demo_set().tally(DEFAULT_WEIGHTS)
    assert tally.joined_true > 100 and tally.joined_false == 0


@pytest.mark.parametrize("flag", ["--train", "--valid"])
def test_a_sealed_set_is_refused(flag):
    args = ["--train", "synthetic"] if flag == "--valid" else []
    done = subprocess.run(
        [sys.executable, str(BENCH / "tune_weights.py"), *args, flag, cb.SEALED[0]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "sealed" in done.stderr


def test_partition_is_what_the_story_regression_tests_see():
    from tests.test_story_regressions import report, stories

    reports = [
        report(1, "Reuters", 0, "Blast kills 5 in Kabul mosque"),
        report(2, "AP", 1, "Explosion at a Kabul mosque kills five worshippers"),
        report(3, "AFP", 2, "Flood in Baghlan destroys 40 homes"),
    ]
    made = tune.partition(reports, DEFAULT_WEIGHTS)
    assert made == stories(*reports) == [{1, 2}, {3}]
    apart = dataclasses.replace(DEFAULT_WEIGHTS, threshold=1000.0)
    assert tune.partition(reports, apart) == [{1}, {2}, {3}]


def test_each_set_counts_with_hand_labels_and_with_the_taggers_tags():
    assert tune.keyed(["dev4", "tune"], ["hand", "tagger"]) == [
        "dev4",
        "dev4/tagger",
        "tune",
        "tune/tagger",
    ]
    cases = cb.load_set("heldout2")
    truth = {c["id"]: c["story"] for c in cases}
    for mode in ("hand", "tagger"):
        _p, recall, _f = cb.pairwise(truth, cluster(cb.docs_from(cases, mode)))
        tally = tune.labelled_set("heldout2", mode).tally(DEFAULT_WEIGHTS)
        assert tally.joined_true / (tally.joined_true + tally.missed) == pytest.approx(recall)
