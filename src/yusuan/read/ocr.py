"""A PDF page without a text layer (a scan) read by OCR.

The page is rendered with pdfium and read by RapidOCR (the optional extra
`yusuan[ocr]`: its Chinese models ship inside the wheel, nothing is
fetched). Each recognised character becomes a `Run` in the page's reading
frame, as the text layer would give it, and the table's ruling lines are
found in the picture (long straight runs of ink) as `Segment`s: the PDF
reader's own table reconstruction and paragraph setting then run on the
scan unchanged.

What a scan needs besides: the page turned level when it was fed askew
(else the rules break into pieces and the rows of a wide table run into
each other), read turned when it lies on its side, and put right where the
recogniser is known to slip (a lone 一 passed over, ASCII brackets and
colons for the full-width ones printed, a rule read as a bar).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .errors import ReadError
from .pdf import Run, Segment

# Pixels per point the page is rendered at (173 dpi: 2000 px down an A4
# page): 8-point digits come out right; more costs time and reads no better.
SCALE = 2.4
# RapidOCR shrinks a larger picture to 2000 px, which would lose the small
# print of an A3 table; the render's size is ours to choose.
MAX_SIDE = 5000
# A grey level darker than this is ink: a thin rule of a 150–200 dpi scan
# resampled to the render's scale comes out mid-grey, not black.
INK = 170
# Points. A rule is longer than any stroke of a character: the shortest
# printed rule is a narrow column's cell edge (序号, 栏次: 20–30 pt wide,
# a row 14–20 pt high); a character's longest stroke is about its size
# (10–12 pt in a table, 18 pt in a title, whose strokes touch no rule).
MIN_RULE_ACROSS = 20.0
MIN_RULE_DOWN = 12.0
MAX_RULE_WIDTH = 4.0  # a thicker band of ink is a filled area, not a rule



def available() -> bool:
    # Found, not imported: the PDF reader asks this of every PDF, and
    # importing rapidocr (numpy, OpenCV, onnxruntime) cost a PDF with a text
    # layer, which never needs it, 0.15–0.2 s of CPU and 65 MB. A copy
    # that is installed but fails to import is said by _engine (needs_ocr).
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@lru_cache(maxsize=1)
def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise ReadError.say("needs_ocr") from None
    return RapidOCR(print_verbose=False, max_side_len=MAX_SIDE)


@dataclass
class Reading:
    """What OCR made of a page: its characters and rules in points of the
    upright page, `width` × `height` (origin at the bottom left)."""

    runs: list[Run]
    hs: list[Segment]
    vs: list[Segment]
    width: float
    height: float
    confidence: float = 0.0  # the recogniser's, per character
    sideways: bool = False  # most lines of text run down the page


def read_page(page, width: float, height: float) -> Reading:
    """A page as pdfium renders it (its /Rotate applied, `width` × `height`
    points) read by OCR. A page whose lines of text run down the page, or
    that reads with little confidence (a landscape table scanned on its
    side), is read turned both ways, and the way that reads with the most
    confidence is kept."""
    import numpy as np

    scale = min(SCALE, MAX_SIDE / max(width, height))
    image = page.render(scale=scale, grayscale=True).to_numpy()
    if image.ndim == 3:
        image = image[:, :, 0]
    reading = _read_picture(image, width, height)
    if not reading.sideways and reading.confidence >= _DOUBTFUL:
        return reading
    best = None
    for quarter in (1, 3):  # anticlockwise: text that runs down, then up
        turned = _read_picture(np.ascontiguousarray(np.rot90(image, quarter)), height, width)
        if best is None or turned.confidence > best.confidence:
            best = turned
        if best.confidence >= _SURE and not best.sideways:
            break
    return best if best.confidence > reading.confidence else reading


# The recogniser's mean confidence on an upright page is 0.95 and more;
# on a page set sideways it drops most lines (text running up the page is
# read upside down) and is far less sure of the rest.
_DOUBTFUL = 0.85
_SURE = 0.9


def _read_picture(image, width: float, height: float) -> Reading:
    image = _level(image)
    sx, sy = image.shape[1] / width, image.shape[0] / height
    across, down = rule_bands(image, sx, sy)
    hs = [Segment(height - a / sy, lo / sx, hi / sx) for a, lo, hi in across]
    vs = [Segment(a / sx, height - hi / sy, height - lo / sy) for a, lo, hi in down]
    engine = _engine()
    try:
        result, _ = engine(_for_reading(image), use_cls=False, return_word_box=True)
    except Exception as exc:  # the engine's own failure (onnxruntime, OpenCV) is one line, not a traceback
        raise ReadError.say("ocr_failed", detail=f"{type(exc).__name__}: {exc}".splitlines()[0]) from None
    lines = result or []
    runs = _drop_doubles([run for line in lines for run in _characters(line, _missed_ones(image, line), sx, sy, height)])
    chars = sum(len(line[1]) for line in lines)
    confidence = sum(line[2] * len(line[1]) for line in lines) / chars if chars else 0.0
    return Reading(runs, hs, vs, width, height, confidence, _sideways(lines))


def _sideways(lines) -> bool:
    """Most lines of two or more characters stand taller than wide."""
    tall = wide = 0
    for line in lines:
        if len(line[1]) < 2:
            continue
        xs, ys = [p[0] for p in line[0]], [p[1] for p in line[0]]
        if max(ys) - min(ys) > 1.5 * (max(xs) - min(xs)):
            tall += 1
        else:
            wide += 1
    return tall > wide


_MAX_SKEW = 2.0  # degrees: a sheet fed askew by more is scanned again, not read


def _level(image):
    """A page scanned a little askew, turned level: its rules then run along
    the rows and columns of pixels (and are found whole), and the rows of a
    wide table stay apart. The angle is the one at which the rows of ink
    stand out most sharply from the white between them (the variance of
    the ink counted along each row), searched on a picture half the size."""
    import cv2
    import numpy as np

    small = cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ink = (small < INK).astype(np.float32)
    h, w = ink.shape

    def sharpness(angle: float) -> float:
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        return float(np.var(cv2.warpAffine(ink, turn, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1)))

    coarse = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 0.01, 0.25), key=sharpness)
    angle = float(max(np.arange(coarse - 0.2, coarse + 0.21, 0.05), key=sharpness))
    if abs(angle) < 0.05 or sharpness(angle) < 1.02 * sharpness(0.0):
        return image
    turn = cv2.getRotationMatrix2D((image.shape[1] / 2, image.shape[0] / 2), angle, 1.0)
    return cv2.warpAffine(image, turn, (image.shape[1], image.shape[0]), flags=cv2.INTER_LINEAR, borderValue=255)


def _for_reading(image):
    """The picture a little blurred, as the recogniser reads it best: the
    jagged strokes of a 1-bit or low-resolution scan break up (a lone 一
    goes unseen) and its digits are misread. (Erasing the table's rules
    first reads worse: text boxes then run on across cells.)"""
    import cv2

    return cv2.GaussianBlur(image, (3, 3), 0)


def _characters(line, pieces: list[tuple[str, list]], sx: float, sy: float, height: float) -> list[Run]:
    """One run per recognised character. RapidOCR boxes a Chinese character
    alone and a Latin word or number whole: a word's box is shared out
    evenly among its characters. All characters of a line take the line's
    height, as the text layer's loose boxes do, so they set as one line."""
    ys = [p[1] for p in line[0]]
    top, bottom = height - min(ys) / sy, height - max(ys) / sy
    placed = []  # (character, left, right) in points
    for word, box in pieces:
        xs = [p[0] for p in box]
        x0, x1 = min(xs) / sx, max(xs) / sx
        step = (x1 - x0) / len(word)
        placed += [(ch, x0 + i * step, x0 + (i + 1) * step) for i, ch in enumerate(word)]
    placed = _without_gap_spaces(placed)
    printed = _as_printed([ch for ch, _, _ in placed])
    return [Run(ch, x0, bottom, x1, top) for ch, (_, x0, x1) in zip(printed, placed) if ch]


def _drop_doubles(runs: list[Run]) -> list[Run]:
    """A text box that reaches over a rule into the next cell reads that
    cell's first character again: of two same characters in one place, the
    one read first stays."""
    seen: dict[str, list[Run]] = {}
    out = []
    for run in runs:
        same = seen.setdefault(run.text, [])
        if any(_overlap(run, other) for other in same):
            continue
        same.append(run)
        out.append(run)
    return out


def _overlap(a: Run, b: Run) -> bool:
    """At most half a character apart: a repeated character printed twice
    stands a whole character further on."""
    near = abs(a.cx - b.cx) < 0.6 * max(a.x1 - a.x0, b.x1 - b.x0)
    return near and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5 * min(a.height, b.height)


def _missed_ones(image, line) -> list[tuple[str, list]]:
    """The line's words, with the 一 the recogniser passed over put back.
    A lone level stroke is what it most often misses (at the start of a
    line, or faint in a thin scan): a gap between the characters it read,
    at least half a character wide, that holds one thin level stroke, as
    wide as a character, at mid-height and nothing else, is a 一."""
    pieces = _pieces(line)
    chinese = [b for w, b in pieces if len(w) == 1 and "\u4e00" <= w <= "\u9fff"]
    if not chinese:
        return pieces
    em = sorted(_span(b, 0)[1] - _span(b, 0)[0] for b in chinese)[len(chinese) // 2]
    top, bottom = (round(v) for v in _span(line[0], 1))
    left, right = (round(v) for v in _span(line[0], 0))
    spans = sorted((_span(b, 0), w) for w, b in pieces)
    # the gaps: before the first character, between two, after the last
    gaps = [(left - em / 2, spans[0][0][0], None, spans[0])]
    gaps += [(a[0][1], b[0][0], a, b) for a, b in zip(spans, spans[1:])]
    gaps.append((spans[-1][0][1], right + em / 2, spans[-1], None))
    band = image[top:bottom] < _FAINT
    found = []
    for start, end, before, after in gaps:
        start, end = max(round(start), 0), min(round(end), image.shape[1])
        if end - start < em / 3:
            continue
        stroke = _level_stroke(band, start, end, em)
        # the recogniser's own 一 beside the gap, its box set a little off
        if stroke is None or any(_is_stroke_of(stroke, n) for n in (before, after)):
            continue
        x0, x1 = stroke
        found.append(("一", [[x0, top], [x1, top], [x1, bottom], [x0, bottom]]))
    if not found:
        return pieces
    return sorted(pieces + found, key=lambda p: _span(p[1], 0)[0])


def _is_stroke_of(stroke: tuple[int, int], piece) -> bool:
    if piece is None or piece[1] not in ("一", "-", "－", "—"):
        return False
    (lo, hi), _ = piece
    return min(hi, stroke[1]) - max(lo, stroke[0]) > 0


def _span(box, axis: int) -> tuple[float, float]:
    values = [p[axis] for p in box]
    return min(values), max(values)


_FAINT = 200  # a thin stroke of a light scan stays lighter than INK


def _level_stroke(band, start: int, end: int, em: float) -> tuple[int, int] | None:
    """The first and last column (+1) of one thin level stroke, a character
    wide, at mid-height of the line's `band` of ink, that is all the ink
    between `start` and `end`; the characters' estimated boxes may cut it,
    so it is followed on either side as far as it runs alone."""
    import numpy as np

    window = band[:, start:end]
    rows = np.flatnonzero(window.any(axis=1))
    if not len(rows):
        return None
    lo, hi = rows[0], rows[-1]
    if hi - lo + 1 > 0.2 * em + 1 or abs((lo + hi) / 2 - band.shape[0] / 2) > 0.25 * em:
        return None
    cols = np.flatnonzero(window.any(axis=0))
    first, last = start + cols[0], start + cols[-1]

    def alone(c: int) -> bool:
        column = band[:, c]
        return bool(column[lo:hi + 1].any()) and not column[:lo].any() and not column[hi + 1:].any()

    while first > 0 and alone(first - 1):
        first -= 1
    while last + 1 < band.shape[1] and alone(last + 1):
        last += 1
    if not 0.5 * em <= last - first + 1 <= 1.05 * em:
        return None
    return int(first), int(last) + 1


def _pieces(line) -> list[tuple[str, list]]:
    """The line's words with their boxes; when RapidOCR's words do not add
    up to the text it read, the whole text in the line's box."""
    box, text = line[0], line[1]
    if len(line) >= 5:
        boxes, words = line[3], line[4]
        if boxes and len(boxes) == len(words) and "".join(words).replace(" ", "") == text.replace(" ", ""):
            return [(w, b) for w, b in zip(words, boxes) if w]
    return [(text, box)] if text else []


def _without_gap_spaces(placed: list[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
    """OCR puts a space wherever it sees a gap; Chinese text has none, so
    only a space between two Latin letters or digits (a word break) stays.
    The gap itself stays in the boxes, where the reader sees it."""
    out = []
    for i, item in enumerate(placed):
        if item[0].isspace():
            before = out[-1][0] if out else ""
            after = placed[i + 1][0] if i + 1 < len(placed) else ""
            if not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()):
                continue
        out.append(item)
    return out


_HALF = "():;,!?"
_FULL = "（）：；，！？"


def chinese_punctuation(text: str) -> str:
    """`text` as the page prints it (see `_as_printed`)."""
    return "".join(_as_printed(list(text)))


def _as_printed(chars: list[str]) -> list[str]:
    """The characters as the page prints them, one for one ("" for one
    that is not printed). The recogniser gives ASCII brackets and colons
    where the page prints full-width ones (（平方米）, 单位：): in text that
    has Chinese, a bracket becomes full-width, and a colon, comma or the
    like next to a Chinese character does (1,234.56 keeps its comma). A
    hyphen before a Chinese character, not after a digit or letter, is 一
    read short (-般 is 一般), and a bar is a piece of a rule (财政拨款|收入)."""
    if not any(_is_chinese(ch) for ch in chars):
        return chars
    out = []
    for i, ch in enumerate(chars):
        before = chars[i - 1] if i else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        k = _HALF.find(ch)
        if k >= 0 and (k < 2 or _is_chinese(before) or _is_chinese(after)):
            ch = _FULL[k]
        elif ch in "-－—" and _is_chinese(after) and not (before.isascii() and before.isalnum()) and before not in tuple("-－—"):
            ch = "一"
        elif ch == "|":
            ch = ""
        out.append(ch)
    return out


def _is_chinese(ch: str) -> bool:
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or ch in "、。（）：；，")


# -- ruling lines -----------------------------------------------------------------
def rule_bands(image, sx: float, sy: float) -> tuple[list[tuple[float, int, int]], list[tuple[float, int, int]]]:
    """The rules printed on the page picture, in pixels: (row, first
    column, last column) of each horizontal one and (column, first row,
    last row) of each vertical one."""
    ink = image < INK
    across = _bands(ink, round(MIN_RULE_ACROSS * sx), MAX_RULE_WIDTH * sy)
    down = _bands(ink.T, round(MIN_RULE_DOWN * sy), MAX_RULE_WIDTH * sx)
    return across, down


def _long_runs(ink, min_len: int):
    """(row, start, end) of every run of ink along the rows at least
    `min_len` pixels long, row by row."""
    import numpy as np

    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    steps = np.diff(padded, axis=1)
    starts = np.argwhere(steps == 1)
    ends = np.argwhere(steps == -1)
    keep = ends[:, 1] - starts[:, 1] >= min_len
    return zip(starts[keep, 0].tolist(), starts[keep, 1].tolist(), ends[keep, 1].tolist())


def _bands(ink, min_len: int, max_width: float) -> list[tuple[float, int, int]]:
    """A rule is one or a few pixels wide: runs on neighbouring rows that
    overlap are one rule, at their middle row. A band wider than
    `max_width` is a filled area and is left out."""
    open_bands: list[list[int]] = []  # [first row, last row, start, end]
    done: list[list[int]] = []
    for row, start, end in _long_runs(ink, min_len):
        still = []
        for band in open_bands:
            if band[1] < row - 1:
                done.append(band)
            else:
                still.append(band)
        open_bands = still
        for band in open_bands:
            if band[1] == row - 1 and start < band[3] and end > band[2]:
                band[1], band[2], band[3] = row, min(band[2], start), max(band[3], end)
                break
        else:
            open_bands.append([row, row, start, end])
    done += open_bands
    return [((b[0] + b[1] + 1) / 2, b[2], b[3]) for b in done if b[1] - b[0] + 1 <= max_width]
