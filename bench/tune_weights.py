"""Search the story scorer's weights (analysis.cluster.Weights) on development data.

Coordinate descent: each knob in turn is multiplied by 0.5 ... 2 and the change is kept when the
objective rises; two rounds over every knob. Each set counts twice, with its hand labels and with
afmon's own tags (`--modes`): weights searched on hand labels alone lost true pairs with the
tagger's. The objective, over the `--train` sets:

    true pairs joined - 10 x false pairs joined
    - lam x (false pairs in the crowds - the current weights' false pairs in the crowds)
    - 50 x (pairs the demo corpus gets wrong, joined or split)
    - 50 x (story regression cases whose partition changes)

The crowds (cluster_bench.crowded: every development set's groups moved into 20 days) stand for
a busy window. The demo corpus is an acceptance test (tests/test_demo_stories.py) and the story
regression tests (tests/test_story_*.py) assert partitions, so both are held as the current
weights make them: every demo event one story of its own, each regression case's partition
unchanged. `--valid` sets are scored (V: true pairs - 10 x false pairs) but never steer the
search: a fold with a set left out shows whether what the search finds holds on data it did
not see. Sealed sets are refused.

    python bench/tune_weights.py --train synthetic,tune,test,heldout2,dev4,dev7-tune \
        --valid dev8-tune

Prints one line per accepted step and the changed weights at the end. Minutes of CPU: every
set's reports are prepared once, then each try clusters all of them (about a second).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import cluster_bench as cb  # noqa: E402

from analysis.cluster import DEFAULT_WEIGHTS, Doc, Weights, cluster  # noqa: E402

FACTORS = (0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 2.0)
FALSE_PAIR = 10.0
DEMO_ERROR = 50.0
STORY_TESTS = ("regressions", "miss_kinds", "languages")


@dataclasses.dataclass(frozen=True)
class Tally:
    joined_true: int
    joined_false: int
    missed: int

    def cell(self) -> str:
        return f"{self.joined_true}/{self.joined_false}/{self.missed}"


class Labelled:
    """One set's prepared reports and their labels."""

    def __init__(self, docs: list[Doc], labels: dict[int, str]):
        self.docs = docs
        self.labels = labels

    def tally(self, weights: Weights) -> Tally:
        got = cluster(self.docs, weights)
        groups: dict[int, Counter[str]] = {}
        for item, label in self.labels.items():
            groups.setdefault(got[item], Counter())[label] += 1
        joined = joined_true = 0
        for counts in groups.values():
            n = sum(counts.values())
            joined += n * (n - 1) // 2
            joined_true += sum(k * (k - 1) // 2 for k in counts.values())
        sizes = Counter(self.labels.values())
        true_pairs = sum(k * (k - 1) // 2 for k in sizes.values())
        return Tally(joined_true, joined - joined_true, true_pairs - joined_true)


def labelled_set(name: str, mode: str = "hand") -> Labelled:
    """One set with its hand labels for provinces and actors, or with afmon's tags."""
    cases = cb.load_set(name)
    return Labelled(cb.docs_from(cases, mode), {c["id"]: c["story"] for c in cases})


def keyed(names: list[str], modes: list[str]) -> list[str]:
    """Each set once per tag source: "dev4" (hand tags), "dev4/tagger"."""
    return [n if m == "hand" else f"{n}/{m}" for n in names for m in modes]


def demo_set() -> Labelled:
    """The demo corpus as the acceptance test clusters it (afmon's own tags), labelled by the
    event each item was written for."""
    from afmon.demo import load_corpus
    from tests.test_demo_stories import NOW

    cases = []
    for feed in load_corpus()["feeds"]:
        if feed["nasty"]:
            continue
        for item in feed["items"]:
            published = NOW + timedelta(minutes=item["offset"])
            cases.append(
                {
                    "title": item["title"],
                    "summary": item["summary"],
                    "outlet": feed["outlet"],
                    "published": published,
                    "story": item["event"],
                }
            )
    cases.sort(key=lambda c: c["published"])
    for number, case in enumerate(cases, 1):
        case["id"] = number
    return Labelled(cb.docs_from(cases, "tagger"), {c["id"]: c["story"] for c in cases})


def crowd_set(seed: int) -> Labelled:
    cases = cb.crowded(20, seed)
    return Labelled(cb.docs_from(cases), {c["id"]: c["story"] for c in cases})


def regression_cases() -> list[tuple[list[Doc], list[set[int]]]]:
    """Every case the story regression tests cluster, with the partition the current weights
    make: the tests are run once, in this process, recording what they ask."""
    import pytest

    import tests.test_story_regressions as regressions

    original = regressions.stories
    cases: list[tuple[list[Doc], list[set[int]]]] = []

    def recording(*reports: Doc) -> list[set[int]]:
        made = original(*reports)
        cases.append((list(reports), made))
        return made

    regressions.stories = recording  # the other files import it from there
    try:
        files = [str(ROOT / "tests" / f"test_story_{n}.py") for n in STORY_TESTS]
        if pytest.main(["-q", "-p", "no:cacheprovider", *files]) != 0:
            raise SystemExit("the story regression tests fail with the current weights")
    finally:
        regressions.stories = original
    return cases


def partition(reports: list[Doc], weights: Weights) -> list[set[int]]:
    """The stories `cluster` makes of `reports`, as sets of report ids."""
    by_story: dict[int, set[int]] = {}
    for report, story in cluster(reports, weights).items():
        by_story.setdefault(story, set()).add(report)
    return sorted(by_story.values(), key=min)


class Search:
    def __init__(self, train: list[str], valid: list[str], crowds: list[int], lam: float):
        self.train, self.valid, self.lam = train, valid, lam
        self.sets = {key: labelled_set(*key.split("/")) for key in dict.fromkeys(train + valid)}
        self.crowds = {f"crowd{s}": crowd_set(s) for s in crowds}
        self.demo = demo_set()
        self.regressions = regression_cases()
        self.crowd_base = 0

    def run(self, weights: Weights) -> dict[str, Tally]:
        out = {name: s.tally(weights) for name, s in self.sets.items()}
        out |= {name: s.tally(weights) for name, s in self.crowds.items()}
        out["demo"] = self.demo.tally(weights)
        broken = sum(partition(r, weights) != made for r, made in self.regressions)
        out["regressions"] = Tally(len(self.regressions) - broken, broken, 0)
        return out

    def objective(self, tallies: dict[str, Tally], names: list[str]) -> float:
        """The search's objective on `names` with the crowds, the demo corpus and the
        regression cases."""
        crowd = sum(tallies[n].joined_false for n in self.crowds)
        demo = tallies["demo"]
        return (
            self.pairs(tallies, names)
            - self.lam * (crowd - self.crowd_base)
            - DEMO_ERROR * (demo.joined_false + demo.missed)
            - DEMO_ERROR * tallies["regressions"].joined_false
        )

    @staticmethod
    def pairs(tallies: dict[str, Tally], names: list[str]) -> float:
        """True pairs joined less 10 x false pairs joined, over `names`."""
        true = sum(tallies[n].joined_true for n in names)
        false = sum(tallies[n].joined_false for n in names)
        return true - FALSE_PAIR * false


def describe(tallies: dict[str, Tally]) -> str:
    return " ".join(f"{name}:{t.cell()}" for name, t in tallies.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", required=True, help="comma-separated development sets")
    parser.add_argument("--valid", default="", help="sets scored but never tuned on")
    parser.add_argument("--crowds", default="1,2,3", help="crowd seeds (20 days each)")
    parser.add_argument("--lam", type=float, default=0.1, help="cost of a false pair in a crowd")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--modes", default="hand,tagger", help="tag sources each set is scored with"
    )
    args = parser.parse_args()
    train = [s for s in args.train.split(",") if s]
    valid = [s for s in args.valid.split(",") if s]
    for name in train + valid:
        if name in cb.SEALED:
            parser.error(f"{name} is sealed: figures only, never searched on")
        if name not in cb.SETS:
            parser.error(f"unknown set {name}; one of {', '.join(cb.SETS)}")
    modes = [m for m in args.modes.split(",") if m]
    if not set(modes) <= {"hand", "tagger"}:
        parser.error("--modes takes hand and tagger")
    train, valid = keyed(train, modes), keyed(valid, modes)
    search = Search(train, valid, [int(s) for s in args.crowds.split(",") if s], args.lam)
    weights = DEFAULT_WEIGHTS
    tallies = search.run(weights)
    search.crowd_base = sum(tallies[n].joined_false for n in search.crowds)
    best = search.objective(tallies, train)
    print("true/false/missed pairs per set; J = objective on --train, V = pairs on --valid")
    print(f"start J={best:.1f} V={search.pairs(tallies, valid):.0f} {describe(tallies)}")
    fields = [f.name for f in dataclasses.fields(Weights)]
    for round_ in range(args.rounds):
        improved = False
        for name in fields:
            current = getattr(weights, name)
            values = {
                int(round(current * f)) if isinstance(current, int) else round(current * f, 3)
                for f in FACTORS
            } - {current}
            for value in sorted(values):
                trial = dataclasses.replace(weights, **{name: value})
                tallies = search.run(trial)
                score = search.objective(tallies, train)
                if score > best + 0.5:
                    best, weights, improved = score, trial, True
                    print(
                        f"round {round_ + 1} {name}={value} J={score:.1f} "
                        f"V={search.pairs(tallies, valid):.0f} {describe(tallies)}",
                        flush=True,
                    )
        if not improved:
            break
    changed = {
        f: getattr(weights, f) for f in fields if getattr(weights, f) != getattr(DEFAULT_WEIGHTS, f)
    }
    print("changed:", changed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
