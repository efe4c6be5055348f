"""Clinical notes in ``Attachment.data`` (and ``Binary.data``): which are text, decoded and re-encoded.

A base64 attachment is a note when its ``contentType`` is a text type (``text/*``,
``application/xhtml+xml``, ``application/xml``, ``application/json``) or, with no
``contentType``, when its bytes are UTF-8 text (no control characters but tab, line feeds
and form feed). The charset parameter is honoured (UTF-8 when absent); a note that cannot
be decoded in its charset is not text the engine can clean, so the profile removes it.
Markup types (HTML, XML) are inspected with their markup blanked, as narrative is.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import hashlib
import re

_PARAM = re.compile(r";\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(\"[^\"]*\"|[^;\s]+)")
_TEXT_TYPES = frozenset({"application/xhtml+xml", "application/xml", "application/json"})
_MARKUP_TYPES = frozenset({"text/html", "text/xml", "application/xhtml+xml", "application/xml"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

__all__ = ["Note", "UNREADABLE", "decode_note", "encode_note", "note_hash"]


class Note:
    """A decoded note: its text, whether it is markup, and how to write it back."""

    __slots__ = ("text", "markup", "charset")

    def __init__(self, text: str, markup: bool, charset: str) -> None:
        self.text = text
        self.markup = markup
        self.charset = charset


# A note whose content type says text but whose bytes are not text in its charset.
UNREADABLE = Note("", False, "")


def _media(content_type: object) -> tuple[str, str | None] | None:
    """(media type, charset) of a contentType; None when it names no text type."""
    if not isinstance(content_type, str):
        return None
    media = content_type.split(";", 1)[0].strip().lower()
    if not (media.startswith("text/") or media in _TEXT_TYPES):
        return None
    charset = None
    for name, value in _PARAM.findall(content_type):
        if name.lower() == "charset":
            charset = value.strip('"').lower()
    return media, charset


def decode_note(data: str, content_type: object) -> Note | None:
    """Return the note held by base64 ``data``, or None when it is not text (a binary).

    Parameters
    ----------
    data : str
        The base64 value (already checked as R4 base64Binary).
    content_type : object
        The sibling ``contentType`` (absent: None).

    Returns
    -------
    Note or None
        The note; ``UNREADABLE`` when the content type says text and the bytes are not
        text in its charset; None for a binary.
    """
    if content_type is not None and _media(content_type) is None:
        return None
    try:
        raw = base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError):
        return None
    if content_type is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if _CONTROL.search(text):
            return None
        return Note(text, False, "utf-8")
    media, charset = _media(content_type)  # type: ignore[misc]
    name = charset or "utf-8"
    try:
        codecs.lookup(name)
        text = raw.decode(name)
    except (LookupError, UnicodeDecodeError, ValueError):
        return UNREADABLE
    if text.startswith("\ufeff"):
        text = text[1:]
    return Note(text, media in _MARKUP_TYPES, name)


def encode_note(text: str, note: Note) -> str:
    """Base64 of the cleaned text in the note's charset (characters it cannot hold become '?')."""
    return base64.b64encode(text.encode(note.charset, errors="replace")).decode("ascii")


def note_hash(data: str) -> tuple[int, str]:
    """(size in bytes, base64 SHA-1) of base64 ``data``: ``Attachment.size`` and ``.hash``."""
    raw = base64.b64decode(data)
    return len(raw), base64.b64encode(hashlib.sha1(raw).digest()).decode("ascii")
