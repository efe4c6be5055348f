"""Where an instance's output goes, known from its header alone (incremental runs).

The output path is ``studies/<study>/series/<series>/instances/<sop>.dcm`` with
the UIDs the tag step leaves in the data set (spec section 9). Those UIDs depend
only on the three original UIDs, the plan (profile, ``primaryIds``, actions on
those tags) and the UID key, so ``predict_output_uids`` can name the output of
an instance from a header parsed with ``stop_before_pixels``: an incremental run
(``--skip_existing``) checks that path before reading the instance whole.

The prediction mirrors ``transforms.dicom.tags`` for a top-level element; when the
plan does something to one of the three UIDs whose result the tag walker alone
decides (a dummy of another VR, cleaning, a multi-valued UID) it returns None,
meaning "unknown: de-identify it". A None never skips an instance, so the
prediction can only cost work, never lose an output. Tests check it against the
engine's own output path for every profile and UID action.
"""

from __future__ import annotations

from typing import Callable

from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from transforms.dicom.profiles import Op, Plan
from transforms.dicom.tags import resolve_vr
from transforms.dicom.uids import is_valid_uid
from transforms.errors import InvalidElementError

NAMING_KEYWORDS = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID")
_NAMING_TAGS = (0x0020000D, 0x0020000E, 0x00080018)
_UNCHANGED_UI = (Op.KEEP, Op.WALK)
_REGENERATED_UI = (Op.REGEN, Op.WALK_UIDS, Op.RESET)


def instance_path(study: str, series: str, sop: str) -> str:
    """Return ``studies/<study>/series/<series>/instances/<sop>.dcm`` (spec section 9).

    Raises
    ------
    InvalidElementError
        Naming the keyword of a value that is not a valid UID (PS3.5 9.1): only
        digits and dots ever reach a path, so no value can climb out of the
        output folder or carry text into a file name.
    """
    for keyword, uid in zip(NAMING_KEYWORDS, (study, series, sop)):
        if not is_valid_uid(uid):
            raise InvalidElementError(f"{keyword} is not a valid UID (PS3.5 9.1) and cannot name the output")
    return f"studies/{study}/series/{series}/instances/{sop}.dcm"


def predict_output_uids(ds: Dataset, plan: Plan, remap: Callable[[str], str]) -> tuple[str, str, str] | None:
    """Return the (study, series, SOP instance) UIDs the engine will write, or None.

    Parameters
    ----------
    ds : pydicom.dataset.Dataset
        The original instance's header (``stop_before_pixels`` is enough); not changed.
    plan : Plan
        The compiled config the engine uses.
    remap : callable
        The engine's keyed UID remap (same key and root).

    Returns
    -------
    tuple of str or None
        The output UIDs, or None when they cannot be known without running the
        engine (or the engine would reject the instance for a missing UID).
    """
    out = []
    for tag in _NAMING_TAGS:
        raw = ds._dict.get(tag)
        if raw is None:
            return None
        vr = resolve_vr(ds, tag)
        op = plan.decide(tag, vr)
        value = ds[tag].value
        if not value or isinstance(value, MultiValue):
            return None
        if op in _UNCHANGED_UI or (vr != "UI" and op in (Op.REGEN, Op.WALK_UIDS)):
            out.append(str(value))
        elif vr == "UI" and op in _REGENERATED_UI:
            out.append(remap(str(value).strip("\x00 ")))
        else:
            return None  # deleted or emptied (the engine fails it), cleaned, or a non-UI dummy
    if not all(is_valid_uid(u) for u in out):
        return None  # the engine regenerates or rejects such a value: never a path from it
    return out[0], out[1], out[2]


def predict_output_path(ds: Dataset, plan: Plan, remap: Callable[[str], str]) -> str | None:
    """Return the relative output path the engine will write for ``ds``, or None (see above)."""
    uids = predict_output_uids(ds, plan, remap)
    return None if uids is None else instance_path(*uids)
