"""Score and time the tagger on the table cases: `.venv/bin/python bench/tagging.py [FILE]`.

Prints precision, recall and F1 per province (and neighbour country) and per actor, micro
totals, and items per second on one core. A true positive is a code an item expects and gets;
a false positive a code it gets but does not expect; a false negative the reverse.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.vocab import ACTORS, COUNTRIES, PROVINCES  # noqa: E402
from feeds.tagger import Tagger  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "tagger_cases.toml"


def score(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def table(title: str, codes: list[str], tp: Counter, fp: Counter, fn: Counter) -> None:
    print(f"\n{title}")
    print(f"  {'code':18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for code in codes:
        p, r, f = score(tp[code], fp[code], fn[code])
        print(f"  {code:18} {p:6.3f} {r:6.3f} {f:6.3f} {tp[code]:4} {fp[code]:4} {fn[code]:4}")
    t, x, n = (sum(c[k] for k in codes) for c in (tp, fp, fn))
    p, r, f = score(t, x, n)
    print(f"  {'micro':18} {p:6.3f} {r:6.3f} {f:6.3f} {t:4} {x:4} {n:4}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--seconds", type=float, default=3.0, help="timing budget")
    args = parser.parse_args()
    cases = tomllib.loads(args.file.read_text(encoding="utf-8"))["case"]
    started = time.perf_counter()
    tagger = Tagger.load()
    load_ms = (time.perf_counter() - started) * 1000

    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    wrong = []
    for case in cases:
        result = tagger.tag(case["text"], case.get("summary", ""))
        got = set(result.provinces) | set(result.actors)
        want = set(case["provinces"]) | set(case["actors"])
        for code in got & want:
            tp[code] += 1
        for code in got - want:
            fp[code] += 1
        for code in want - got:
            fn[code] += 1
        if got != want:
            wrong.append((case["text"], sorted(got - want), sorted(want - got)))

    print(f"{len(cases)} cases from {args.file.name}; tagger built in {load_ms:.0f} ms")
    table("Provinces", list(PROVINCES), tp, fp, fn)
    table("Neighbours", list(COUNTRIES), tp, fp, fn)
    table("Actors", list(ACTORS), tp, fp, fn)
    everything = [*PROVINCES, *COUNTRIES, *ACTORS]
    p, r, f = score(*(sum(c[k] for k in everything) for c in (tp, fp, fn)))
    print(
        f"\nall codes: P {p:.3f}  R {r:.3f}  F1 {f:.3f}; items fully right "
        f"{len(cases) - len(wrong)}/{len(cases)}"
    )
    for text, extra, missing in wrong:
        print(f"  wrong: {text[:70]!r} extra={extra} missing={missing}")

    items = [(c["text"], c.get("summary", "")) for c in cases]
    print()
    speed("speed, cases as written:", tagger, items, args.seconds / 2)
    longer = [(t, s or _FILLER) for t, s in items]
    speed("speed, with a feed-like summary:", tagger, longer, args.seconds / 2)
    return 0 if not wrong else 1


# A typical feed summary sentence with no names in it: the usual bulk of real items.
_FILLER = (
    "Officials said the incident was under investigation and that more details would be "
    "released later in the day, according to local media reports and residents reached by phone."
)


def speed(label: str, tagger: Tagger, items: list[tuple[str, str]], seconds: float) -> None:
    # CPU time of this process, not wall time: the figure stays honest on a busy machine.
    done = 0
    started = time.process_time()
    while time.process_time() - started < seconds:
        for title, summary in items:
            tagger.tag(title, summary)
        done += len(items)
    elapsed = time.process_time() - started
    chars = sum(len(t) + len(s) + 1 for t, s in items) / len(items)
    print(f"{label:34} {done / elapsed:9,.0f} items per CPU second ({chars:.0f} chars/item)")


if __name__ == "__main__":
    raise SystemExit(main())
