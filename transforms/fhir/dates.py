"""FHIR date, dateTime and instant values moved by a whole number of days (spec 7).

Precision is kept as the DICOM side keeps it for DT (``shift_da`` / ``shift_dt`` are
reused): ``YYYY-MM-DD`` moves by the offset, ``YYYY-MM`` takes the month of its shifted
15th, ``YYYY`` the year of its shifted 2 July; a dateTime or instant moves its date and
keeps time, fraction and zone as written.
"""

from __future__ import annotations

import re

from transforms.text.transform import shift_da, shift_dt

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(T.*)?)?)?", re.DOTALL)
_TIME = re.compile(r"T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-](?:0\d|1[0-4]):[0-5]\d)")


def shift_fhir_date(value: str, days: int, type_code: str = "dateTime") -> str:
    """Return a FHIR date/dateTime/instant shifted by ``days`` at its own precision.

    Parameters
    ----------
    value : str
        The JSON string value.
    days : int
        The offset.
    type_code : str
        ``date``, ``dateTime`` or ``instant`` (an instant needs time and zone; a date none).

    Raises
    ------
    ValueError
        If the value is not valid for its type, or the shifted date leaves years 1-9999.
    """
    m = _DATE.fullmatch(value)
    if not m:
        raise ValueError("not a FHIR date")
    year, month, day, time = m.groups()
    if time is not None and not _TIME.fullmatch(time):
        raise ValueError("not a FHIR dateTime")
    if type_code == "date" and time is not None:
        raise ValueError("a FHIR date has no time")
    if type_code == "instant" and time is None:
        raise ValueError("a FHIR instant needs a time")
    if year == "0000":
        raise ValueError("year 0 is not a FHIR date")
    if month is None:
        out = shift_dt(year, days)
    elif day is None:
        shifted = shift_dt(year + month, days)
        out = f"{shifted[:4]}-{shifted[4:6]}"
    else:
        shifted = shift_da(year + month + day, days)
        out = f"{shifted[:4]}-{shifted[4:6]}-{shifted[6:8]}" + (time or "")
    if out.startswith("0000"):
        raise ValueError("the shifted date is out of range")
    return out


def da_form(value: str) -> str | None:
    """Return the DICOM DA form (``YYYYMMDD``) of a FHIR value with a day, else None."""
    m = _DATE.fullmatch(value)
    if not m or m.group(3) is None:
        return None
    return m.group(1) + m.group(2) + m.group(3)


__all__ = ["da_form", "shift_fhir_date"]
