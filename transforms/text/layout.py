"""Layout as evidence for burned-in text: which lines of an image are its header block.

Ultrasound, CR and CT overlays print the patient's identity in a header block: the lines at the
top edge of the image, and the line under a patient-name label (``Name:``, ``Patient``). A line
there is detected with ``layout="header"`` (``transforms.text.detect``): every word in it that
is not a known technical term is sensitive (fail closed). Other lines are detected with
``layout="line"``, where a line that holds an identifier becomes a header line by itself.
Pure geometry on line boxes; nothing here reads pixels or logs text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A line whose bottom lies within this share of the image height from the top is at the top edge.
TOP_EDGE = 0.12
# The line under a name label: its top within this many label heights below the label's bottom.
BELOW_LABEL = 1.5

_LABEL = re.compile(r"(?i)^(?:patient|pat|pt|name|patientname|patient'?s|nom|naam)$")
_NON_WORD = re.compile(r"[\W_]+")


def _is_name_label(text: str) -> bool:
    words = [_NON_WORD.sub("", w) for w in text.split()]
    words = [w for w in words if w]
    return bool(words) and _LABEL.match(words[-1]) is not None


def header_lines(boxes: Sequence[tuple[int, int, int, int]], texts: Sequence[str], height: int) -> list[bool]:
    """For each line box ``(x0, y0, x1, y1)`` (with its read text), whether it is in the header block.

    A line is in the header block when its bottom lies in the top ``TOP_EDGE`` of an image
    ``height`` pixels high, or when it lies just under a line that ends with a patient-name
    label (its top within ``BELOW_LABEL`` label heights, overlapping it horizontally).
    """
    out = [y1 <= TOP_EDGE * height for _, _, _, y1 in boxes]
    for (lx0, ly0, lx1, ly1), text in zip(boxes, texts):
        if not _is_name_label(text):
            continue
        reach = ly1 + BELOW_LABEL * max(1, ly1 - ly0)
        for i, (x0, y0, x1, _) in enumerate(boxes):
            if ly1 <= y0 <= reach and x0 < lx1 + (lx1 - lx0) and lx0 - (lx1 - lx0) < x1:
                out[i] = True
    return out
