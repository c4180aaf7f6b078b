"""`python -m benchmarks.grouping [--people N] [--topics T] [--facilitators F] ...`: the time
and memory `plt groups propose` needs to solve a large interest survey.

The survey is synthetic but shaped like a real one: topic popularity falls off as a power
law (a few topics draw most first choices), each person ranks three different topics, and
the facilitators are respondents who offered to lead one topic, more often a popular one.
Target: 5,000 people, 60 topics, 80 facilitators proposed in under 10 s.
"""
from __future__ import annotations

import argparse
import random
import resource
import time

from sync.core.grouping import Facilitator, Respondent, Rules, propose, summary


def synthetic_survey(people: int, topics: int, facilitators: int, schools: int = 40, seed: int = 2026):
    rnd = random.Random(seed)
    names = [f"Topic {i + 1}" for i in range(topics)]
    weights = [1 / (i + 1) ** 0.8 for i in range(topics)]
    respondents = []
    for i in range(people):
        ranked: list[str] = []
        while len(ranked) < min(3, topics):
            topic = rnd.choices(names, weights)[0]
            if topic not in ranked:
                ranked.append(topic)
        respondents.append(Respondent(f"teacher{i}@bps.org", f"School {rnd.randrange(schools)}", tuple(ranked)))
    leads = [Facilitator(r.email, (rnd.choices(names, weights)[0],)) for r in rnd.sample(respondents, facilitators)]
    return respondents, leads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.grouping")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--topics", type=int, default=60)
    parser.add_argument("--facilitators", type=int, default=80)
    parser.add_argument("--min-size", type=int, default=5)
    parser.add_argument("--max-size", type=int, default=25)
    parser.add_argument("--objective", choices=["ranked", "fairness"], default="ranked")
    parser.add_argument("--spread", action="store_true")
    args = parser.parse_args(argv)
    respondents, leads = synthetic_survey(args.people, args.topics, args.facilitators)
    rules = Rules(args.min_size, args.max_size, args.objective, args.spread)
    started, cpu = time.perf_counter(), time.process_time()
    proposal = propose(respondents, leads, [], rules)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    result = summary(proposal)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.people:,} people, {args.topics} topics, {args.facilitators} facilitators, groups of "
          f"{args.min_size}-{args.max_size}, {args.objective}{', spread' if args.spread else ''}:")
    print(f"  proposed in {wall:.2f} s wall, {cpu:.2f} s CPU; process peak {peak_mb:.0f} MB; "
          f"{'proven optimal' if result.optimal else 'NOT proven optimal (time limit)'}")
    print(f"  {result.groups} groups; 1st choice {result.first:.1%}, 2nd {result.second:.1%}, "
          f"3rd {result.third:.1%}, unassigned {result.unassigned:,}")
    print(f"  target under 10 s: {'met' if wall < 10 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
