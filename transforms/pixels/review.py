"""The burned-in text review report: one self-contained HTML page (data in, HTML out).

A reviewer of a research release looks at what the redaction did: for every
instance whose pixels were changed, or where text was found and kept, the page
shows the examined frame before and after, with each box drawn and the mode's
decision on it (``redacted``, ``kept`` as not identifying, ``fail-closed``: text
the detector was sure of that recognition could not read), and a summary table
per modality. Instances where text was found and nothing was redacted come
first: that is where a sensitive mode may have kept an identifier.

``entry(...)`` builds one instance's ``ReviewEntry`` from the examined frame's
renderings (``pixeldata.render_views``) and the boxes; ``render_page(entries)``
returns the page. The page embeds its thumbnails as PNG data URIs and links to
nothing (no script, no font, no network). It holds the instance's de-identified
path, its modality and the pixels of the thumbnails: in the sensitive modes the
kept text is readable there, so the page is as sensitive as the input unless the
mode is ``REDACT_ALL_TEXT``. No recognised text is written into it.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["DECISIONS", "Capture", "ReviewBox", "ReviewEntry", "capture", "capture_stream", "decision_of", "entry", "render_page", "thumbnail_png"]

REDACTED = "redacted"
KEPT = "kept"
FAIL_CLOSED = "fail-closed"
DECISIONS = (REDACTED, KEPT, FAIL_CLOSED)
# Box outline colours (RGB) per decision, as the legend says.
_COLOURS = {REDACTED: (230, 40, 40), KEPT: (40, 200, 80), FAIL_CLOSED: (255, 160, 0)}
# Thumbnails: the longer side at most THUMB_SIDE pixels.
THUMB_SIDE = 480
_FAIL_CLOSED_LABELS = frozenset({"UNREADABLE_TEXT", "HEADER_TEXT"})


@dataclass(frozen=True)
class ReviewBox:
    """One box on the examined frame (x1, y1 exclusive), the decision on it and its label.

    ``label``: the annotation label of a redacted box (``TEXT``, an infoType,
    ``UNREADABLE_TEXT``); empty for kept text.
    """

    x0: int
    y0: int
    x1: int
    y1: int
    decision: str
    label: str = ""

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")


@dataclass(frozen=True)
class ReviewEntry:
    """What the report shows of one instance.

    ``name``: how the page names it (the de-identified output path, never the
    source's); ``frame``: the frame shown (0-based); ``frames``: its frame count;
    ``before``/``after``: PNG thumbnails with the boxes drawn; ``pixels_changed``:
    pixels blacked out over all frames.
    """

    name: str
    modality: str
    mode: str
    frame: int
    frames: int
    boxes: tuple[ReviewBox, ...]
    before: bytes
    after: bytes
    pixels_changed: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {d: sum(1 for b in self.boxes if b.decision == d) for d in DECISIONS}

    @property
    def kept_only(self) -> bool:
        """Text found and nothing redacted on any frame (listed first)."""
        counts = self.counts
        return counts[KEPT] > 0 and counts[REDACTED] == 0 and counts[FAIL_CLOSED] == 0 and self.pixels_changed == 0


def decision_of(label: str) -> str:
    """The decision a redacted box's annotation label stands for: text recognition could not read
    (``UNREADABLE_TEXT``) or a header line's unknown words (``HEADER_TEXT``) are fail-closed."""
    return FAIL_CLOSED if label in _FAIL_CLOSED_LABELS else REDACTED


def thumbnail_png(view: np.ndarray, boxes: Sequence[ReviewBox], side: int = THUMB_SIDE) -> bytes:
    """A PNG of an 8-bit rendering (grey or RGB) scaled to ``side`` at most, boxes outlined."""
    from PIL import Image, ImageDraw

    image = np.asarray(view)
    if image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise ValueError("a thumbnail needs an 8-bit grey or RGB rendering")
    picture = Image.fromarray(image).convert("RGB")
    scale = min(1.0, side / max(picture.width, picture.height))
    if scale < 1.0:
        picture = picture.resize((max(1, round(picture.width * scale)), max(1, round(picture.height * scale))),
                                 Image.BILINEAR)
    draw = ImageDraw.Draw(picture)
    for box in boxes:
        outline = (box.x0 * scale - 1, box.y0 * scale - 1, box.x1 * scale, box.y1 * scale)
        draw.rectangle(outline, outline=_COLOURS[box.decision], width=2 if scale >= 0.5 else 1)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def entry(name: str, modality: str, mode: str, frame: int, frames: int, before_view: np.ndarray,
          after_view: np.ndarray, boxes: Iterable[ReviewBox], pixels_changed: int = 0) -> ReviewEntry:
    """One instance's entry: the frame's renderings before and after, thumbnails with ``boxes``."""
    boxes = tuple(boxes)
    return ReviewEntry(name, modality, mode, frame, frames, boxes, thumbnail_png(before_view, boxes),
                       thumbnail_png(after_view, boxes), pixels_changed)


@dataclass(frozen=True)
class Capture:
    """What the pixel step saw of one instance, for its review entry: the frame shown, its
    renderings before and after, the boxes on it and the pixels changed (all frames)."""

    frame: int
    frames: int
    before: np.ndarray
    after: np.ndarray
    boxes: tuple[ReviewBox, ...]
    pixels_changed: int

    def entry(self, name: str, modality: str, mode: str) -> ReviewEntry:
        return entry(name, modality, mode, self.frame, self.frames, self.before, self.after, self.boxes,
                     self.pixels_changed)


def _boxes_of(found, kept, frame: int) -> tuple[ReviewBox, ...]:
    from transforms.pixels.burnedin import FrameBoxes

    boxes = FrameBoxes.of(found)
    labels = {}
    for item in found:
        labels.setdefault(item.box, item.label)
    out = [ReviewBox(b.x0, b.y0, b.x1, b.y1, decision_of(labels.get(b, "")), labels.get(b, ""))
           for b in dict.fromkeys(boxes.for_frame(frame))]
    out += [ReviewBox(b.x0, b.y0, b.x1, b.y1, KEPT) for f, b in dict.fromkeys(kept) if f == frame]
    return tuple(out)


def _shown(found, kept) -> int | None:
    """The frame the report shows: the first with a redacted box, else the first with kept text
    (a cine whose frame 0 holds only kept settings is shown where its name was blacked out)."""
    frames = [item.frame for item in found] or [f for f, _ in kept]
    return min(frames) if frames else None


def capture(redactor, ds, context=()) -> tuple[list, Capture | None]:
    """Run ``redactor`` (an ``ImageRedactor``) on ``ds`` as the pixel step does, and capture the
    review: returns (the redacted boxes, a ``Capture`` or None when no text was found)."""
    from transforms.pixels import pixeldata

    header = pixeldata.frame_dataset(ds)  # the source's rendering attributes (a rewrite may change ds's)
    before = pixeldata.decode_frames(ds)
    kept: list = []
    found = redactor(ds, context, kept)
    frame = _shown(found, kept)
    if frame is None:
        return found, None
    after = pixeldata.decode_frames(ds) if found else before
    changed = after != before if after.shape == before.shape else np.ones(before.shape, bool)
    changed = changed.any(axis=-1) if changed.ndim == 4 else changed
    view_before = pixeldata.render_views(before[frame], header, frame)[0]
    view_after = pixeldata.render_views(after[frame], ds, frame)[0]
    return found, Capture(frame, before.shape[0], view_before, view_after, _boxes_of(found, kept, frame),
                          int(np.count_nonzero(changed)))


def capture_stream(redactor, frames: Iterable[np.ndarray], ds, context=()) -> tuple[list, Capture | None]:
    """``capture`` for a streamed instance (``ImageRedactor.examine`` on frames read one at a time):
    frame 0 is shown, and its "after" is its rendering with the boxes (and margin) filled black, as
    the writer blacks them out later."""
    from transforms.pixels import pixeldata

    first: list = []
    count = [0]

    def kept_first():
        for index, frame in enumerate(frames):
            if index == 0:
                first.append(np.array(frame, copy=True))
            count[0] += 1
            yield frame

    kept: list = []
    found = redactor.examine(kept_first(), ds, context, kept)
    if _shown(found, kept) is None or not first:
        return found, None
    view = pixeldata.render_views(first[0], ds, 0)[0]
    boxes = _boxes_of(found, kept, 0)
    after = view.copy()
    margin = pixeldata.DEFAULT_MARGIN
    for box in boxes:
        if box.decision != KEPT:
            after[max(0, box.y0 - margin) : box.y1 + margin, max(0, box.x0 - margin) : box.x1 + margin] = 0
    changed = int(np.count_nonzero((after != view).any(axis=-1) if after.ndim == 3 else after != view))
    return found, Capture(0, count[0], view, after, boxes, changed)


def _order(entries: Iterable[ReviewEntry]) -> list[ReviewEntry]:
    """Text found and kept with nothing redacted first, then by name."""
    return sorted(entries, key=lambda e: (not e.kept_only, e.name, e.frame))


def _summary(entries: Sequence[ReviewEntry]) -> list[tuple[str, dict[str, int]]]:
    rows: dict[str, dict[str, int]] = {}
    for item in entries:
        row = rows.setdefault(item.modality or "(none)", {"instances": 0, "changed": 0, "kept_only": 0,
                                                           REDACTED: 0, KEPT: 0, FAIL_CLOSED: 0})
        row["instances"] += 1
        row["changed"] += int(item.pixels_changed > 0)
        row["kept_only"] += int(item.kept_only)
        for decision, count in item.counts.items():
            row[decision] += count
    return sorted(rows.items())


_STYLE = """
body{font-family:sans-serif;margin:1.5em;color:#222}
table.summary{border-collapse:collapse;margin-bottom:1.5em}
table.summary th,table.summary td{border:1px solid #999;padding:.25em .6em;text-align:right}
table.summary th:first-child,table.summary td:first-child{text-align:left}
.instance{border-top:1px solid #bbb;padding:.8em 0}
.instance.kept-only h2{color:#a05a00}
.instance h2{font-size:1em;font-family:monospace;margin:.2em 0;word-break:break-all}
.pair{display:flex;gap:1em;flex-wrap:wrap}
.pair figure{margin:0}
.pair img{border:1px solid #444;background:#000}
table.boxes{border-collapse:collapse;font-size:.9em}
table.boxes td,table.boxes th{border:1px solid #ccc;padding:.1em .5em}
.redacted{color:#c00}.kept{color:#080}.fail-closed{color:#c70}
.warning{background:#fff3cd;border:1px solid #e0b000;padding:.5em}
"""


def render_page(entries: Iterable[ReviewEntry], title: str = "Burned-in text review") -> str:
    """The review page for ``entries``: a self-contained HTML document (no script, no network)."""
    ordered = _order(entries)
    esc = html.escape
    modes = sorted({e.mode for e in ordered})
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; style-src \'unsafe-inline\'">',
           f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>", f"<h1>{esc(title)}</h1>"]
    if any(m != "REDACT_ALL_TEXT" for m in modes):
        out.append('<p class="warning" id="sensitivity">Text that the mode kept is readable in these pictures: '
                   "this page is as sensitive as the input images.</p>")
    out.append(f'<p id="modes">Mode: {esc(", ".join(modes) or "none")}. Instances: {len(ordered)}. '
               'Boxes: <span class="redacted">red: redacted</span>, <span class="kept">green: kept as not '
               'identifying</span>, <span class="fail-closed">orange: fail-closed (text that could not be '
               "read)</span>.</p>")
    out.append('<table class="summary" id="summary"><thead><tr><th>modality</th><th>instances</th>'
               "<th>pixels changed</th><th>text kept, nothing redacted</th><th>boxes redacted</th>"
               "<th>boxes kept</th><th>boxes fail-closed</th></tr></thead><tbody>")
    for modality, row in _summary(ordered):
        out.append(f"<tr><td>{esc(modality)}</td><td>{row['instances']}</td><td>{row['changed']}</td>"
                   f"<td>{row['kept_only']}</td><td>{row[REDACTED]}</td><td>{row[KEPT]}</td>"
                   f"<td>{row[FAIL_CLOSED]}</td></tr>")
    out.append("</tbody></table>")
    for number, item in enumerate(ordered):
        before = base64.b64encode(item.before).decode("ascii")
        after = base64.b64encode(item.after).decode("ascii")
        css = "instance kept-only" if item.kept_only else "instance"
        out.append(f'<section class="{css}" id="instance-{number}" data-modality="{esc(item.modality)}">')
        out.append(f"<h2>{esc(item.name)}</h2>")
        out.append(f"<p>{esc(item.modality or '(no modality)')}, frame {item.frame + 1} of {item.frames}, "
                   f"{item.pixels_changed} pixels changed"
                   + (" &mdash; <strong>text found, nothing redacted</strong>" if item.kept_only else "") + "</p>")
        out.append('<div class="pair">'
                   f'<figure><img alt="before" src="data:image/png;base64,{before}"><figcaption>before</figcaption></figure>'
                   f'<figure><img alt="after" src="data:image/png;base64,{after}"><figcaption>after</figcaption></figure>'
                   "</div>")
        out.append('<table class="boxes"><thead><tr><th>box (x0, y0, x1, y1)</th><th>decision</th><th>label</th>'
                   "</tr></thead><tbody>")
        for box in item.boxes:
            out.append(f'<tr class="{box.decision}"><td>{box.x0}, {box.y0}, {box.x1}, {box.y1}</td>'
                       f"<td>{box.decision}</td><td>{esc(box.label)}</td></tr>")
        out.append("</tbody></table></section>")
    out.append("</body></html>")
    return "\n".join(out)
