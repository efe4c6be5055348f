"""Inputs that de-identify to the same output path: which one is kept, which are duplicates.

Two inputs map to one output path when their new study, series and SOP
instance UIDs agree (the same image re-sent, or stored twice under two names
or in two transfer syntaxes). Nothing is written over silently: the member
with the smallest source name is kept (so reruns and any number of workers
agree), a member with the same de-identified bytes is a duplicate, and one
with other bytes is a conflict (``InstanceConflictError``, a DICOM store's 409).
"""

from __future__ import annotations

from dataclasses import dataclass

from transforms.errors import InstanceConflictError


@dataclass(frozen=True)
class Member:
    """One input written (or staged) for an output path; ``digest`` covers every byte written."""

    source: str
    digest: str


@dataclass(frozen=True)
class Resolution:
    """The kept member, the duplicates (same bytes) and the conflicts (other bytes), by source name."""

    kept: Member
    duplicates: tuple[Member, ...]
    conflicts: tuple[Member, ...]


def resolve(members: list[Member], kept_digest: str | None = None) -> Resolution:
    """Decide one output path's members.

    The kept member is the one with the smallest source name, unless
    ``kept_digest`` names the bytes that are on the output already (then the
    first member by source name with those bytes is kept). Ties in source name
    (the same input listed twice) keep the first.

    Raises
    ------
    ValueError
        When ``members`` is empty or no member has ``kept_digest``.
    """
    if not members:
        raise ValueError("no member to resolve")
    ordered = sorted(members, key=lambda m: m.source)
    if kept_digest is None:
        kept = ordered[0]
    else:
        matching = [m for m in ordered if m.digest == kept_digest]
        if not matching:
            raise ValueError("no member has the bytes on the output")
        kept = matching[0]
    rest = [m for m in ordered if m is not kept]
    return Resolution(
        kept,
        tuple(m for m in rest if m.digest == kept.digest),
        tuple(m for m in rest if m.digest != kept.digest),
    )


def conflict_error(loser: str, kept: str, relative: str) -> InstanceConflictError:
    """The error of a member whose bytes differ from the kept one's (names sources, never values)."""
    return InstanceConflictError(
        f"{loser} and {kept} both de-identify to {relative} (the same new study, series and SOP instance "
        f"UIDs) with other bytes; {kept} was kept (the first by source name) and {loser} was not written"
    )
