"""Realistic message text for benchmarks: a vocabulary of a few thousand words drawn with
Zipf-like frequencies (a few words everywhere, most words rare), chat-length messages."""

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

ONSETS = ["", "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "st"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ou"]
CODAS = ["", "", "n", "r", "s", "t", "l"]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """`size` distinct pronounceable words, most frequent first (short words are common)."""
    syllables = ["".join(p) for p in itertools.product(ONSETS, VOWELS, CODAS)]
    words: set[str] = set()
    while len(words) < size:
        length = 1 + min(3, int(rng.expovariate(0.9)))
        word = "".join(rng.choice(syllables) for _ in range(length))
        if len(word) >= 2:
            words.add(word)
    ranked = sorted(words)
    rng.shuffle(ranked)
    return sorted(ranked, key=len)


@dataclass(frozen=True)
class Query:
    """A search the benchmark runs, and how many seeded messages match it."""

    name: str
    text: str
    hits: int = 0


class Corpus:
    def __init__(self, seed: int = 11, size: int = 5000, exponent: float = 1.0) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(size, self.rng)
        weights = [1 / (rank**exponent) for rank in range(1, size + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def messages(self, count: int) -> list[str]:
        """`count` messages of 1 to 40 words (about 10 on average)."""
        lengths = [1 + min(39, int(self.rng.expovariate(1 / 9))) for _ in range(count)]
        drawn = self.rng.choices(self.words, cum_weights=self.cumulative, k=sum(lengths))
        out, at = [], 0
        for n in lengths:
            out.append(" ".join(drawn[at : at + n]))
            at += n
        return out

    def queries(self) -> list[Query]:
        """A rare word, the most common word, and two words that meet in about 1% of messages.

        The last word of a search is a prefix, so the rare word is one no other word extends.
        """
        rare = next(w for w in self.words[4000:] if not self._extended(w))
        return [
            Query("rare word", rare),
            Query("common word", self.words[0]),
            Query("two words", f"{self.words[2]} {self.words[29]}"),
        ]

    def _extended(self, word: str) -> bool:
        return any(w != word and w.startswith(word) for w in self.words)


def count_hits(
    queries: Sequence[Query], vocabulary: Sequence[str], texts: Sequence[str], hits: list[int]
) -> None:
    """Add to `hits` how many of `texts` each query matches, by the stores' rule: every
    word of the query, the last one as a prefix."""
    rules = []
    for q in queries:
        *exact, last = q.text.split()
        rules.append([{w} for w in exact] + [{w for w in vocabulary if w.startswith(last)}])
    for text in texts:
        words = set(text.split())
        for i, sets in enumerate(rules):
            if all(not words.isdisjoint(s) for s in sets):
                hits[i] += 1
