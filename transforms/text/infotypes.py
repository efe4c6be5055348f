"""InfoType names the text configuration may use (spec section 5).

Detection itself arrives with free-text inspection; the names are needed now so
that a config naming an unknown infoType is rejected before the job starts.
"""

from __future__ import annotations

DEFAULT_INFO_TYPES: tuple[str, ...] = (
    "PERSON_NAME",
    "FIRST_NAME",
    "LAST_NAME",
    "DATE",
    "DATE_OF_BIRTH",
    "AGE",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "US_SOCIAL_SECURITY_NUMBER",
    "STREET_ADDRESS",
    "LOCATION",
    "ORGANIZATION_NAME",
    "MEDICAL_RECORD_NUMBER",
    "URL",
    "IP_ADDRESS",
)

KNOWN_INFO_TYPES: frozenset[str] = frozenset(DEFAULT_INFO_TYPES)
