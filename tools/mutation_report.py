"""The mutation score per module, from mutmut's results in mutants/ (make mutation runs it after mutmut).

Usage: python tools/mutation_report.py [--survivors]

A module's score is the share of its non-equivalent mutants that a test kills (a timeout counts as
killed; a mutant no test reaches counts as surviving). EQUIVALENT lists the mutants that change no
behaviour, each with the reason; a name listed there that mutmut no longer makes is an error, so the
list stays true as the code changes. Exits non-zero when a module scores under MINIMUM.
"""

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINIMUM = 0.90
KILLED, SURVIVED = {1, 3, 24, 36, 152, 255, -24}, {0, 5, 33}
#: mutant -> why it changes no behaviour
EQUIVALENT = {
}


def results():
    """{module: {mutant name: exit code}} from mutmut's .meta files."""
    found = {}
    for meta in sorted((ROOT / "mutants").glob("**/*.py.meta")):
        module = ".".join(meta.relative_to(ROOT / "mutants").with_suffix("").with_suffix("").parts)
        found[module] = json.loads(meta.read_text())["exit_code_by_key"]
    return found


def main():
    found = results()
    if not found:
        sys.exit("no mutmut results in mutants/: run make mutation")
    names = {name for codes in found.values() for name in codes}
    stale = sorted(set(EQUIVALENT) - names)
    if stale:
        sys.exit(f"EQUIVALENT names mutants mutmut no longer makes: {stale}")
    print(f"{'module':<24} {'mutants':>7} {'equivalent':>10} {'killed':>6} {'survived':>8} {'score':>6}")
    low, survivors = [], []
    for module, codes in found.items():
        counted = {name: code for name, code in codes.items() if name not in EQUIVALENT}
        tally = Counter("killed" if c in KILLED else "survived" if c in SURVIVED else "other" for c in counted.values())
        if tally["other"]:
            sys.exit(f"{module}: {tally['other']} mutants neither killed nor survived (not checked?): rerun")
        score = tally["killed"] / len(counted) if counted else 1.0
        print(f"{module:<24} {len(codes):>7} {len(codes) - len(counted):>10} {tally['killed']:>6} "
              f"{tally['survived']:>8} {score:>6.1%}")
        survivors += sorted(name for name, code in counted.items() if code in SURVIVED)
        if score < MINIMUM:
            low.append(module)
    if "--survivors" in sys.argv:
        print("\n".join(["survivors (mutmut show NAME):", *survivors]))
    if low:
        sys.exit(f"under {MINIMUM:.0%} of non-equivalent mutants killed: {', '.join(low)}")


if __name__ == "__main__":
    main()
