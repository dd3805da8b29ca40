"""Will this text fit that box? A conservative estimate, so no slide ever overflows.

PowerPoint and Impress wrap text themselves; we only choose the font size (and split long lists
over extra slides) so that their wrapping stays inside the box. Widths are estimated per
character from the metrics of DejaVu Sans, the widest of the fonts a deck may be shown in
(Arial, Liberation Sans and Carlito are all narrower), so an estimate that fits here fits there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

EMU_PER_PT = 12700
# Advance widths in ems, by character class, rounded up from DejaVu Sans.
_NARROW = dict.fromkeys("iljI.,:;'|!`", 0.29)
_SMALL = dict.fromkeys('tfr()[]{}"-/ ', 0.42)
_WIDE = dict.fromkeys("mwMW@%…—", 1.0)
_WIDTHS = {**_NARROW, **_SMALL, **_WIDE}
_DIGIT = 0.64
_LOWER = 0.63
_UPPER = 0.76
LINE_HEIGHT = 1.2  # × the font size; DejaVu Sans needs 1.164
PARAGRAPH_GAP = 0.25  # × the font size: the body style's space before a paragraph


def char_width(char: str) -> float:
    if char in _WIDTHS:
        return _WIDTHS[char]
    if char.isdigit():
        return _DIGIT
    if char.isupper():
        return _UPPER
    return _LOWER


@lru_cache(maxsize=8192)
def _ems(word: str) -> float:
    return sum(char_width(c) for c in word)


def text_width(text: str, size_pt: float) -> float:
    """The estimated width in points of one line of `text` at `size_pt`."""
    return sum(_ems(word) for word in text.split(" ")) * size_pt + text.count(" ") * _WIDTHS[" "] * size_pt


def wrap(text: str, width_pt: float, size_pt: float) -> list[str]:
    """Greedy word wrapping as a renderer does it; a word longer than a line is broken."""
    room = width_pt / size_pt  # in ems
    space = _WIDTHS[" "]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            ems = _ems(word)
            if line and used + space + ems <= room:
                line, used = f"{line} {word}", used + space + ems
                continue
            if line:
                lines.append(line)
            while _ems(word) > room:
                cut = max(1, int(room))  # no glyph is wider than an em
                lines.append(word[:cut])
                word = word[cut:]
            line, used = word, _ems(word)
        lines.append(line)
    return lines


@lru_cache(maxsize=65536)
def line_count(text: str, width_pt: float, size_pt: float) -> int:
    return len(wrap(text, width_pt, size_pt))


@dataclass(frozen=True)
class Frame:
    """The room for text inside a shape, in points, after margins and bullet indent."""

    width: float
    height: float

    @classmethod
    def of(cls, width_emu: int, height_emu: int, *, inset_x_pt: float = 18, inset_y_pt: float = 10):
        return cls(width_emu / EMU_PER_PT - inset_x_pt, height_emu / EMU_PER_PT - inset_y_pt)


def height_needed(paragraphs: list[str], frame: Frame, size_pt: float) -> float:
    lines = sum(line_count(p, frame.width, size_pt) for p in paragraphs)
    return lines * size_pt * LINE_HEIGHT + max(len(paragraphs) - 1, 0) * size_pt * PARAGRAPH_GAP


def fits(paragraphs: list[str], frame: Frame, size_pt: float) -> bool:
    return height_needed(paragraphs, frame, size_pt) <= frame.height


def best_size(paragraphs: list[str], frame: Frame, *, largest: int, smallest: int) -> int | None:
    """The largest whole font size from `largest` down to `smallest` at which all fits, or None."""
    for size in range(largest, smallest - 1, -1):
        if fits(paragraphs, frame, size):
            return size
    return None


def words_fit(text: str, frame: Frame, size_pt: float) -> bool:
    """Whether every word of `text` fits on a line of `frame` whole (is not broken by wrapping)."""
    return all(_ems(word) * size_pt <= frame.width for word in text.split())


def best_size_each(texts: list[str], frame: Frame, *, largest: int, smallest: int) -> int | None:
    """The largest whole font size at which each text fits a frame of its own without a word
    broken over two lines, or None."""
    for size in range(largest, smallest - 1, -1):
        if all(fits([text], frame, size) and words_fit(text, frame, size) for text in texts):
            return size
    return None


def paginate(items: list[str], frame: Frame, *, largest: int, smallest: int) -> list[tuple[list[str], int]]:
    """Split `items` over as few boxes as needed, each at a size between the limits.

    Returns (items, font size) per box. An item too long for a whole box at the smallest size
    is shortened, so every box fits.
    """
    pages: list[tuple[list[str], int]] = []
    current: list[str] = []
    for item in items:
        if best_size([item], frame, largest=smallest, smallest=smallest) is None:
            item = shorten(item, frame, smallest)
        if current and best_size([*current, item], frame, largest=largest, smallest=smallest) is None:
            pages.append((current, best_size(current, frame, largest=largest, smallest=smallest)))
            current = []
        current.append(item)
    if current or not pages:
        pages.append((current, best_size(current, frame, largest=largest, smallest=smallest) or smallest))
    return pages


def shorten(text: str, frame: Frame, size_pt: float) -> str:
    """`text` cut at a word with an ellipsis so that it fits `frame` at `size_pt`."""
    words = text.split()
    while words and not fits([" ".join(words) + " …"], frame, size_pt):
        words.pop()
    return " ".join(words) + " …" if words else "…"
