"""The FHIR BASIC profile as versioned data (ours: an R4 reconstruction of Safe Harbor, spec 5.1).

Rows are in path syntax (``transforms.fhir.paths``), in order; the first row whose path
matches a leaf (or an ancestor) with an action that takes the leaf's type wins. The
README's "What BASIC changes" table is rendered from these rows (``render_markdown``; a
test keeps them equal). ``CLEAN_ALL`` keeps rows 1-4 and the Instant shift, then cleans
every leaf of the clean types; ``KEEP_ALL`` uses no rows.
"""

from __future__ import annotations

from transforms.fhir.paths import parse_path

BASIC_PROFILE_VERSION = "1"
DICOM_UID_SYSTEM = "urn:dicom:uid"
# An ImagingStudy identifier of this system with a ``urn:oid:`` value is the Study Instance UID
# (Synthea writes it so): regenerated like a DICOM UID (issue 18).
RFC3986_SYSTEM = "urn:ietf:rfc:3986"

# (paths, action, HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)), what it does)
BASIC_ROWS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("Resource.id",), "idHash", "R", "hex HMAC-SHA256 of the id (links survive)"),
    (("Reference.reference",), "referenceHash", "R", "the id part hashed as the target's id"),
    (("Meta.versionId", "Meta.source"), "removeField", "R", "removed"),
    (
        ("ImagingStudy.series.uid", "ImagingStudy.series.instance.uid"),
        "uidRegen",
        "R",
        "regenerated as dicom-deid does (run key, root 2.25); also an identifier of system urn:dicom:uid",
    ),
    (("HumanName", "Annotation.authorString"), "removeField", "A", "removed"),
    (("Address.state", "Address.country", "Address.use", "Address.type"), "keepField", "B", "kept"),
    (
        ("Address.line", "Address.city", "Address.district", "Address.postalCode", "Address.text", "Location.position"),
        "removeField",
        "B",
        "removed",
    ),
    (("ContactPoint.value",), "removeField", "D-F, N", "removed (system and use kept)"),
    (("Identifier.value", "Coverage.subscriberId"), "cryptoHashField", "G-K", "base64 HMAC-SHA256"),
    (
        ("Device.udiCarrier", "Device.serialNumber", "Device.lotNumber", "Device.distinctIdentifier"),
        "removeField",
        "L-M",
        "removed",
    ),
    (("Attachment.url", "AuditEvent.agent.network.address"), "removeField", "N, O", "removed"),
    (("Base64Binary",), "removeField", "P-Q", "removed (photos, Binary.data, signatures)"),
    (("Date", "DateTime", "Instant"), "dateShiftField", "C", "shifted by the patient's offset"),
    (
        (
            "Xhtml", "Annotation.text", "CodeableConcept.text", "Reference.display", "description",
            "comment", "value.String", "value.Markdown", "content.String", "Attachment.title",
            "Location.name", "Location.alias", "Account.name",
        ),
        "cleanTextField",
        "free text",
        "inspected; findings transformed by the text config",
    ),
)  # fmt: skip

# CLEAN_ALL: rows 1-4; identifiers hashed (row 9) and links out removed (row 11, Location.position)
# as in BASIC, since none of them is text; Instant shifted. Every other leaf whose R4 type is free
# text (string, markdown, xhtml) is cleaned and every date shifted; codes, uris, ids, numbers and
# booleans keep their meaning (issue 18: cleaning them as text broke the output's validity).
CLEAN_ALL_ROWS = BASIC_ROWS[:4] + (
    BASIC_ROWS[8],
    (BASIC_ROWS[10][0] + ("Location.position",), "removeField", "N, O", "removed"),
    (("Instant",), "dateShiftField", "C", "shifted"),
)


def compiled(rows=BASIC_ROWS) -> tuple[tuple[tuple[tuple[str, ...], ...], str], ...]:
    """Return the rows as (parsed paths, action) pairs."""
    return tuple((tuple(parse_path(p) for p in paths), action) for paths, action, _, _ in rows)


def render_markdown() -> str:
    """Return the README table of the BASIC profile (generated from ``BASIC_ROWS``)."""
    names = {
        "idHash": "id hash",
        "referenceHash": "reference id hash",
        "uidRegen": "UID regeneration",
        "removeField": "remove",
        "keepField": "keep",
        "cryptoHashField": "cryptoHash",
        "dateShiftField": "dateShift",
        "cleanTextField": "clean text",
    }
    lines = [
        f"BASIC profile version {BASIC_PROFILE_VERSION} (first matching row wins):",
        "",
        "| # | paths | action | HIPAA | effect |",
        "|---|---|---|---|---|",
    ]
    for i, (paths, action, hipaa, effect) in enumerate(BASIC_ROWS, 1):
        cells = ", ".join(f"`{p}`" for p in paths)
        lines.append(f"| {i} | {cells} | {names[action]} | {hipaa} | {effect} |")
    lines.append("| - | everything else (codes, quantities, `Organization.name`, `time`) | unchanged | | |")
    return "\n".join(lines) + "\n"


__all__ = [
    "BASIC_PROFILE_VERSION",
    "BASIC_ROWS",
    "CLEAN_ALL_ROWS",
    "DICOM_UID_SYSTEM",
    "RFC3986_SYSTEM",
    "compiled",
    "render_markdown",
]
