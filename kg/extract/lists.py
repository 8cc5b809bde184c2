"""Lists in running text: items written one after another with only commas and "and"/"or" between them
("Natural Questions, TriviaQA and SQuAD"). Shared by the name rules and the corpus step."""
from __future__ import annotations

import re
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
LIST_GAP = re.compile(r"^(\s*(,|and|or|&|/|as well as)\s*)+$|^\s+(and|or)\s+(the\s+)?$")


def listed_runs(text: str, items: Sequence[Item], bounds: Callable[[Item], tuple[int, int]],
                min_length: int = 2) -> list[list[Item]]:
    """Maximal runs of `items` (in text order) whose neighbours are separated by list punctuation only."""
    runs: list[list[Item]] = []
    run = list(items[:1])
    for left, right in zip(items, items[1:]):
        if LIST_GAP.match(text[bounds(left)[1] : bounds(right)[0]]):
            run.append(right)
        else:
            runs.append(run)
            run = [right]
    runs.append(run)
    return [r for r in runs if len(r) >= min_length]
