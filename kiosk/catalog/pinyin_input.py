"""Chinese characters from pinyin letters, with no input method and no pinyin dictionary.

The citizen types pinyin on the letter keyboard (``shebao``, ``sheb``, ``sb``); the candidates
are the characters and words that occur in the catalog's own names and synonyms, most frequent
first; tapping one types it. The readings come from the search keys the catalog already holds
(each key's text with its full pinyin and initials, computed by pypinyin when the catalog was
built, so a word is read as it is in context: 银行 is yin'hang). Here each key's full pinyin is
cut back into syllables, one per Han character: the initials say where each syllable starts, a
table of the ~410 Mandarin syllables says which cuts are syllables.

`CandidateIndex.from_keys` takes (text, pinyin, initials) triples (`SearchIndex.key_spellings`);
`candidates(letters)` answers a keystroke with a dictionary look-up and a short filter.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# Initials and the finals that follow them in Mandarin (pypinyin writes ü as v: lv, nve).
_FINALS = {
    "": "a o e ai ei ao ou an en ang eng er",
    "b": "a o ai ei ao an en ang eng i ie iao ian in ing u",
    "p": "a o ai ei ao ou an en ang eng i ie iao ian in ing u",
    "m": "a o e ai ei ao ou an en ang eng i ie iao iu ian in ing u",
    "f": "a o ei ou an en ang eng u iao",
    "d": "a e ai ei ao ou an en ang eng ong i ia ie iao iu ian ing u uo ui uan un",
    "t": "a e ai ei ao ou an ang eng ong i ie iao ian ing u uo ui uan un",
    "n": "a e ai ei ao ou an en ang eng ong i ie iao iu ian in iang ing u uo uan v ve ue un",
    "l": "a o e ai ei ao ou an ang eng ong i ia ie iao iu ian in iang ing u uo uan un v ve ue",
    "g": "a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "k": "a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "h": "a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "j": "i ia ie iao iu ian in iang ing iong u ue uan un",
    "q": "i ia ie iao iu ian in iang ing iong u ue uan un",
    "x": "i ia ie iao iu ian in iang ing iong u ue uan un",
    "zh": "a e i ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "ch": "a e i ai ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "sh": "a e i ai ei ao ou an en ang eng u ua uo uai ui uan un uang",
    "r": "e i ao ou an en ang eng ong u ua uo ui uan un",
    "z": "a e i ai ei ao ou an en ang eng ong u uo ui uan un",
    "c": "a e i ai ao ou an en ang eng ong u uo ui uan un",
    "s": "a e i ai ao ou an en ang eng ong u uo ui uan un",
    "y": "a o e ao ou an in ang ing ong i u ue uan un",
    "w": "a o ai ei an en ang eng u",
}
SYLLABLES = frozenset(i + f for i, fs in _FINALS.items() for f in fs.split()) | {
    "n", "ng", "m", "hm", "hng"}
_PREFIXES = frozenset(s[:n] for s in SYLLABLES for n in range(1, len(s) + 1))
_LONGEST = max(map(len, SYLLABLES))
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
MAX_WORD = 4  # characters in a candidate word
MIN_WORD_COUNT = 2  # a word of two or more characters must occur this often (one char: once)


def segment(pinyin: str, initials: str) -> tuple[str, ...] | None:
    """The syllables of `pinyin`, one per letter of `initials` and starting with it; None when
    no cut fits (a key spelled some other way)."""
    n, end = len(initials), len(pinyin)
    out: list[str] = []

    def cut(pos: int, k: int) -> bool:
        if k == n:
            return pos == end
        if pinyin[pos:pos + 1] != initials[k]:
            return False
        nxt = initials[k + 1] if k + 1 < n else None
        for length in range(min(_LONGEST, end - pos), 0, -1):
            stop = pos + length
            if (pinyin[stop:stop + 1] == nxt if nxt else stop == end) \
                    and pinyin[pos:stop] in SYLLABLES:
                out.append(pinyin[pos:stop])
                if cut(stop, k + 1):
                    return True
                out.pop()
        return False

    return tuple(out) if n and cut(0, 0) else None


def split_letters(letters: str, limit: int = 6) -> list[list[str]]:
    """Ways to read typed letters as syllables, the last one possibly cut short: ``shebao`` ->
    she'bao (and she'ba'o); ``xiane`` -> xian'e and xia'ne. Letters that are no such run of
    syllables (``sb``, ``shbx``: initials) are read greedily as syllables or their beginnings:
    s'b, sh'b'x."""
    found: list[list[str]] = []
    dead: set[int] = set()
    acc: list[str] = []

    def go(pos: int) -> bool:
        if pos == len(letters):
            found.append(list(acc))
            return True
        if pos in dead:
            return False
        ok = False
        rest = letters[pos:pos + _LONGEST]
        for n in range(len(rest), 0, -1):
            if len(found) >= limit:
                return True
            piece = rest[:n]
            if piece in SYLLABLES or (pos + n == len(letters) and piece in _PREFIXES):
                acc.append(piece)
                ok = go(pos + n) or ok
                acc.pop()
        if not ok:
            dead.add(pos)
        return ok

    go(0)
    if found:
        return found
    tokens, pos = [], 0
    while pos < len(letters):
        rest = letters[pos:pos + _LONGEST]
        take = next((n for n in range(len(rest), 0, -1) if rest[:n] in SYLLABLES), 0) or \
            next((n for n in range(len(rest), 0, -1) if rest[:n] in _PREFIXES), 1)
        tokens.append(letters[pos:pos + take])
        pos += take
    return [tokens]


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str  # the characters to type
    letters: int  # how many of the typed letters they stand for
    count: int  # how often they occur in the catalog's names and synonyms


class CandidateIndex:
    """Words (one to `MAX_WORD` characters) of the catalog's search keys by their initials,
    most frequent first, each with its syllables."""

    def __init__(self, words: dict[tuple[str, tuple[str, ...]], int]):
        by_initials: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
        for (word, syllables), count in words.items():
            initials = "".join(s[0] for s in syllables)
            by_initials.setdefault(initials, []).append((count, word, syllables))
        for entries in by_initials.values():
            entries.sort(key=lambda e: (-e[0], e[1]))
        self._by_initials = by_initials
        self.size = len(words)

    @classmethod
    def from_keys(cls, keys: Iterable[tuple[str, str, str]]) -> CandidateIndex:
        """From (text, full pinyin, initials) triples; keys whose pinyin cannot be cut into
        one syllable per Han character are left out."""
        runs: Counter = Counter()  # (Han run, its syllables) -> occurrences
        for text, pinyin, initials in keys:
            found = _HAN_RUN.findall(text)
            if not found or sum(map(len, found)) != len(initials):
                continue
            syllables = segment(pinyin, initials)
            if syllables is None:
                continue
            at = 0
            for run in found:
                runs[run, syllables[at:at + len(run)]] += 1
                at += len(run)
        words: Counter = Counter()
        for (run, syllables), count in runs.items():
            for start in range(len(run)):
                for length in range(1, min(MAX_WORD, len(run) - start) + 1):
                    words[run[start:start + length], syllables[start:start + length]] += count
        return cls({w: c for w, c in words.items() if len(w[0]) == 1 or c >= MIN_WORD_COUNT})

    def candidates(self, letters: str, limit: int = 60) -> list[Candidate]:
        """What the typed letters may stand for, best first: words that take all the letters
        (spelled out before abbreviated), then words that take a first part of them (the
        citizen picks one word after another); more frequent first within each. `letters`
        of a candidate: how many typed letters it takes (they are consumed when it is
        chosen)."""
        letters = "".join(c for c in letters.lower() if "a" <= c <= "z")
        if not letters:
            return []
        ranked: list[tuple[int, int, int, str, int]] = []
        for tokens in split_letters(letters):
            # a syllable typed in full stands for itself; an initial or a syllable's beginning
            # (``sh``, ``b``) for any syllable it begins, and so does the last one typed
            last = len(tokens) - 1
            for taken in range(min(len(tokens), MAX_WORD), 0, -1):
                head = tokens[:taken]
                used = sum(map(len, head))
                for count, word, syllables in self._by_initials.get(
                        "".join(t[0] for t in head), ()):
                    if all(s == t or (s.startswith(t) and (t not in SYLLABLES or i == last))
                           for i, (s, t) in enumerate(zip(syllables, head))):
                        exact = all(s == t for s, t in zip(syllables, head))
                        ranked.append((-used, 0 if exact else 1, -count, word, used))
        ranked.sort()
        out: list[Candidate] = []
        seen: set[str] = set()
        for _, _, count, word, used in ranked:
            if word not in seen:
                seen.add(word)
                out.append(Candidate(word, used, -count))
                if len(out) >= limit:
                    break
        return out
