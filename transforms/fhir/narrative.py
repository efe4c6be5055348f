"""XHTML narrative (``text.div``) as the detector sees it: markup blanked, offsets kept (spec 8).

``blank_markup`` returns a string of the same length in which ``<``, ``>``, ``/``, ``=``,
quotes, tag and attribute names and comments are spaces; text and attribute values stay
in place, so finding offsets point into the raw XHTML. A block element's tag starts with
a line break instead of a space (ours: the detector's name patterns join words across
spaces, and ``Darcy</p><p>DateOfBirth`` is not a name). The ``xmlns`` value is blanked
too (ours: a namespace name is not text, and cleaning it would break the narrative).
Comments are not inspected, so a cleaned narrative drops them (``drop_comments``).
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")
_VALUE = re.compile(r"([^\s=<>/\"']+)\s*=\s*(\"([^\"]*)\"|'([^']*)')")
_BLOCK = re.compile(r"</?(?:div|p|br|li|ul|ol|dl|dt|dd|tr|td|th|table|thead|tbody|h[1-6]|hr|pre|blockquote)\b", re.I)
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


def text_mask(xhtml: str) -> list[bool]:
    """Return, per code point, whether it is text or an attribute value (not markup)."""
    keep = [True] * len(xhtml)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            keep[i] = False

    for m in _COMMENT.finditer(xhtml):
        blank(m.start(), m.end())
    for m in _TAG.finditer(xhtml):
        if not keep[m.start()]:
            continue  # inside a comment
        blank(m.start(), m.end())
        for a in _VALUE.finditer(m.group()):
            if a.group(1).lower() == "xmlns" or a.group(1).lower().startswith("xmlns:"):
                continue
            group = 3 if a.group(3) is not None else 4
            s, e = m.start() + a.start(group), m.start() + a.end(group)
            for i in range(s, e):
                keep[i] = True
    return keep


def blank_markup(xhtml: str) -> str:
    """Return the XHTML with markup replaced by spaces (same length)."""
    keep = text_mask(xhtml)
    chars = [c if k else " " for c, k in zip(xhtml, keep)]
    for m in _BLOCK.finditer(xhtml):
        if not keep[m.start()]:
            chars[m.start()] = "\n"
    return "".join(chars)


def text_segments(xhtml: str, findings: list) -> list:
    """Split findings at markup: one finding per run of text, so a replacement never eats a tag.

    A name written ``<b>Smith</b> Darcy`` is found across the blanked ``</b>``; replacing the
    whole span would drop the closing tag. Each text run inside the span (white space only
    runs aside) becomes its own finding of the same infoType; the tags stay.
    """
    keep = text_mask(xhtml)
    out = []
    for f in findings:
        start = None
        for i in range(f.start, f.end + 1):
            inside = i < f.end and keep[i]
            if inside and start is None:
                start = i
            elif not inside and start is not None:
                run = xhtml[start:i]
                if run.strip():
                    s, e = start + len(run) - len(run.lstrip()), i - (len(run) - len(run.rstrip()))
                    out.append(type(f)(f.info_type, s, e, xhtml[s:e]))
                start = None
    return out


def drop_comments(xhtml: str) -> str:
    """Remove XML comments (ours: they are not inspected, so they may not survive cleaning)."""
    return _COMMENT.sub("", xhtml)


def escape(text: str) -> str:
    """XML-escape a replacement for XHTML text or an attribute value."""
    return "".join(_ESCAPES.get(c, c) for c in text)


__all__ = ["blank_markup", "drop_comments", "escape", "text_mask", "text_segments"]
