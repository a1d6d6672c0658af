"""`afmon stories`: items grouped into stories (one event, however many outlets report it).

afmon stories --front Kabul --since 24h --corroborated
afmon stories --event airstrike --grade B --json
afmon stories --rebuild          # cluster every stored item again

Takes the filter flags of `afmon items`; a story is listed when any of its items matches.
Items stored before clustering ran are assigned first (incrementally), so the list is never
missing the newest items.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC

from afmon.commands.common import fail, with_store
from afmon.commands.filters import add_filter_args, filter_from_args
from analysis.claims import claim_labels
from analysis.events import event_types
from analysis.grades import GRADES, Grader, at_least
from analysis.storage import assign_pending, backfill
from core.config import Config
from core.sanitize import clean
from store import Store, StoryView


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from afmon.commands.common import add_config_args

    p = subparsers.add_parser("stories", help="list stories: reports of one event grouped")
    add_config_args(p)
    add_filter_args(p)
    g = p.add_argument_group("story filters")
    g.add_argument("--corroborated", action="store_true", help="reported by 2+ outlets only")
    g.add_argument("--grade", choices=GRADES, help="best source graded this or better")
    g.add_argument(
        "--event",
        action="append",
        default=[],
        choices=sorted(event_types()),
        metavar="TYPE",
        help=f"event type: {', '.join(event_types())}",
    )
    g.add_argument(
        "--claimed-by",
        action="append",
        default=[],
        choices=sorted(claim_labels()),
        metavar="WHO",
        help=f"who claimed responsibility: {', '.join(claim_labels())}",
    )
    p.add_argument("--limit", type=int, default=50, help="at most this many stories (default 50)")
    p.add_argument("--json", action="store_true", help="JSON lines instead of a list")
    p.add_argument("--rebuild", action="store_true", help="forget all stories and cluster again")
    p.set_defaults(func=run)


def _stamp(view: StoryView) -> str:
    return view.first_seen.astimezone(UTC).isoformat().replace("+00:00", "Z")


def story_json(view: StoryView, grader: Grader) -> dict:
    return {
        "story": view.id,
        "title": clean(view.title),
        "outlets": [clean(o) for o in view.outlets],
        "items": list(view.items),
        "first_seen": _stamp(view),
        "copies": view.copies,
        "corroborated": view.corroborated,
        "grades": {clean(o): grader.grade(o) for o in view.outlets},
        "event": view.event_type,
        "casualties": view.casualties,
        "claimed_by": list(view.claimed_by),
    }


def _wanted(view: StoryView, args: argparse.Namespace, grader: Grader) -> bool:
    if args.corroborated and not view.corroborated:
        return False
    if args.grade and not at_least(grader.best(view.outlets), args.grade):
        return False
    if args.event and view.event_type not in args.event:
        return False
    return not args.claimed_by or bool(set(args.claimed_by) & set(view.claimed_by))


def _lines(view: StoryView, grader: Grader) -> list[str]:
    when = view.first_seen.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    mark = "✔" if view.corroborated else " "
    facts = [f"{view.copies} cop{'y' if view.copies == 1 else 'ies'}"]
    if view.event_type:
        facts.append(event_types().get(view.event_type, view.event_type))
    if view.casualties is not None:
        facts.append(f"{view.casualties} casualt{'y' if view.casualties == 1 else 'ies'}")
    if view.claimed_by:
        labels = claim_labels()
        facts.append("claimed by: " + ", ".join(labels.get(c, c) for c in view.claimed_by))
    sources = ", ".join(f"{clean(o, max_len=30)} [{grader.grade(o)}]" for o in view.outlets)
    return [
        f"{when} {mark} #{view.id:<6} {clean(view.title, max_len=110)}",
        f"{'':19}{' · '.join(facts)} — {sources}",
    ]


def run(args: argparse.Namespace) -> int:
    if args.limit < 1:
        return fail("--limit: must be at least 1")

    def body(config: Config, store: Store) -> int:
        grader = Grader(config)
        flt = filter_from_args(args, config)
        if args.rebuild:
            count = backfill(store)
            print(f"clustered {count} items", file=sys.stderr)
        else:
            assign_pending(store)
        narrowing = args.corroborated or args.grade or args.event or args.claimed_by
        views = store.stories_for(flt, limit=args.limit * (20 if narrowing else 1))
        views = [v for v in views if _wanted(v, args, grader)][: args.limit]
        out = sys.stdout
        if args.json:
            for view in views:
                out.write(json.dumps(story_json(view, grader), ensure_ascii=False) + "\n")
            return 0
        if not views:
            print("no stories match", file=sys.stderr)
            return 0
        out.write(
            "first report (UTC), latest activity first; ✔ corroborated (2+ outlets); [A-F] grades\n"
        )
        for view in views:
            out.write("\n".join(_lines(view, grader)) + "\n")
        return 0

    return with_store(args, body)
