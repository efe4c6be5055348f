"""De-identify one instance: the single pure entry point the Beam wrapper calls.

``Deidentifier(spec, uid_key)(data)`` parses Part 10 bytes, runs a chain of
steps (the tag step now; free-text and pixel steps plug in the same way),
adds the PS3.15 E.1.1 attributes, rebuilds the file meta and returns the new
bytes with the new UIDs that name the output. Any error becomes a
``StageFailure`` naming the stage, the error class and a message that holds no
element value.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import pydicom
from pydicom.datadict import keyword_for_tag
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset

from transforms import __version__
from transforms.dicom import codec
from transforms.pixels.burnedin import (
    ImageRedactor,
    RedactedBox,
    annotations_by_frame,
    needs_pixels,
    redacting_image_spec,
    redacts,
)
from transforms.dicom.cleantext import TextCleaner, header_context, inspected_meta_paths, text_key
from transforms.deid_config import KEEP_ALL, TAG_CONTENTS, DeidSpec
from transforms.errors import (
    DeidError,
    InvalidElementError,
    InvalidInstanceError,
    OutputWriteError,
    PixelDataError,
    SourceReadError,
)
from transforms.pixels import review
from transforms.pixels.ocr import OcrEngine
from transforms.dicom.method import Method, assess
from transforms.dicom.outpath import instance_path
from transforms.dicom.profiles import Op, Plan, compile_plan, pixel_image_spec
from transforms.dicom.streamcopy import copyable_tail
from transforms.dicom.sweep import ResidualSweep
from transforms.dicom.tags import apply_plan
from transforms.dicom.uids import DEFAULT_UID_ROOT, is_valid_uid, remap_uid

TOOL_NAME = "dicom-deid"
IMPLEMENTATION_CLASS_UID = "2.25.72801891470847110697432134357032325540"
IMPLEMENTATION_VERSION_NAME = f"DICOMDEID_{__version__.replace('.', '')}"[:16]
STAGES = ("read", "filter", "tags", "text", "pixels", "write")

_LOGGER = logging.getLogger(__name__)
_TAG_IN_MESSAGE = re.compile(r"\(([0-9A-Fa-f]{4}),\s*([0-9A-Fa-f]{4})\)")


class StageFailure(Exception):
    """An instance failed; safe to log and to write as a failure record."""

    def __init__(self, stage: str, error_type: str, message: str) -> None:
        self.stage = stage
        self.error_type = error_type
        self.message = message
        super().__init__(f"{stage}: {error_type}: {message}")


@dataclass
class Context:
    """Per-instance state shared by the steps."""

    remap_uid: "UidCache"
    uid_pairs: dict[str, str] = field(default_factory=dict)
    text_details: dict[str, list] | None = None
    dates_shifted: bool = False
    redacted: list[RedactedBox] | None = None
    # A header-only instance's frames, read from its source one at a time (framestream.FrameReader).
    frames: object | None = None
    # Kept values that did not fit their VR and were replaced (transforms.dicom.vrfit).
    replaced: int = 0
    # With a review report: (review.Capture, mode) of the pixel step.
    review: tuple | None = None


class Step(Protocol):
    """A stage of per-instance de-identification."""

    stage: str

    def __call__(self, ds: Dataset, ctx: Context) -> None: ...


class TagStep:
    """Apply the tag plan (profile, options, actions) to the data set.

    Elements the plan cleans go through the text cleaner, whose context is read
    from the original header before any element changes; its failures are
    reported as stage ``text``.
    """

    stage = "tags"

    def __init__(self, plan: Plan, text: TextCleaner | None = None, inspect_meta: bool = False) -> None:
        self.plan = plan
        self.text = text
        self.inspect_meta = inspect_meta

    def __call__(self, ds: Dataset, ctx: Context) -> None:
        cleaner = None
        if self.text is not None:
            instance = _run("text", self.text.begin, ds)
            if self.inspect_meta:
                for elem, path in inspected_meta_paths(ds):
                    _run("text", instance.inspect, elem, path)

            def cleaner(d, tag, vr, path):
                _run("text", instance, d, tag, vr, path)

        log = apply_plan(ds, self.plan, ctx.remap_uid, cleaner)
        ctx.uid_pairs.update(log.uid_pairs)
        ctx.replaced += log.replaced
        if self.text is not None:
            ctx.text_details = instance.details
            ctx.dates_shifted = instance.dates_shifted


class PixelStep:
    """Burned-in text redaction of the top-level PixelData (spec section 6).

    Runs before the tag step, on the original header: the clean-descriptors
    mode matches OCR words against the instance's own identifiers. The
    ImageConfig is chosen per instance with the action precedence
    (``profiles.pixel_image_spec``); one OCR engine serves every config.
    A header-only instance with a frame reader (a large instance,
    ``transforms.pixels.framestream``) has its frames examined as they are
    read; they are blacked out as the writer copies them.
    """

    stage = "pixels"

    def __init__(self, spec: DeidSpec, review: bool = False) -> None:
        self.spec = spec
        self.review = review
        self._engine: OcrEngine | None = None
        self._redactors: dict = {}
        plan = compile_plan(spec)
        # Overlay bitmaps the config keeps (the Basic Profile deletes them) are examined too.
        self._kept_overlays = [
            g for g in range(0x6000, 0x6020, 2) if plan.decide((g << 16) | 0x3000, "OW") is not Op.DELETE
        ]

    def __call__(self, ds: Dataset, ctx: Context) -> None:
        elem = ds.get(_PIXEL_DATA)
        if elem is None and ctx.frames is None:
            return
        vr = elem.VR if elem is not None else ctx.frames.vr
        image = pixel_image_spec(self.spec, vr or "OB or OW")
        if not redacts(image):
            return
        redactor = self._redactors.get(image)
        if redactor is None:
            if self._engine is None:
                self._engine = OcrEngine()
            redactor = self._redactors[image] = ImageRedactor(image, self._engine)
        context = header_context(ds) if image.mode == "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS" else ()
        captured = None
        if elem is not None and self.review:
            ctx.redacted, captured = review.capture(redactor, ds, context)
        elif elem is not None:
            ctx.redacted = redactor(ds, context)
        else:
            if self.review:
                ctx.redacted, captured = review.capture_stream(redactor, ctx.frames.decoded(ds), ds, context)
            else:
                ctx.redacted = redactor.examine(ctx.frames.decoded(ds), ds, context)
            ctx.frames.finish(ds, ctx.redacted)  # encapsulated frames written uncompressed: the header says so
        if captured is not None:
            ctx.review = (captured, image.mode)
        if self._kept_overlays:
            redactor.overlays(ds, context, self._kept_overlays)


class UidCache:
    """``remap_uid`` with a bounded cache: study and series UIDs repeat a lot."""

    def __init__(self, key: bytes, root: str) -> None:
        self._remap = lru_cache(maxsize=65536)(lambda uid: remap_uid(uid, key, root))

    def __call__(self, uid: str) -> str:
        return self._remap(uid)

    def __reduce__(self):  # never pickle the key along with a cache
        raise TypeError("UidCache is per-worker state and is not picklable")


@dataclass(frozen=True)
class InstanceResult:
    """A de-identified instance and the names it is written under."""

    data: bytes
    study_uid: str
    series_uid: str
    sop_uid: str
    uid_pairs: tuple[tuple[str, str], ...] = ()
    annotations: tuple[str, ...] = ()
    # With a frame reader (header_only): the boxes found in the frames, which the writer blacks out.
    redacted: tuple[RedactedBox, ...] = ()
    # Kept values that did not fit their VR and were replaced (transforms.dicom.vrfit).
    replaced: int = 0
    # With ``review``: the instance's review report entry (review.ReviewEntry), when text was found.
    review: object | None = None

    @property
    def relative_path(self) -> str:
        """``studies/<study>/series/<series>/instances/<sop>.dcm`` (spec section 9)."""
        return instance_path(self.study_uid, self.series_uid, self.sop_uid)


def quiet_pydicom() -> None:
    """Stop pydicom from logging or warning with element values in the text."""
    pydicom.config.settings.reading_validation_mode = pydicom.config.IGNORE
    pydicom.config.settings.writing_validation_mode = pydicom.config.IGNORE
    warnings.filterwarnings("ignore", module=r"pydicom(\.|$)")
    logging.getLogger("pydicom").setLevel(logging.ERROR)


def safe_message(exc: BaseException) -> str:
    """Describe an exception without its text, which may hold values (see ``failure_reason``)."""
    return failure_reason(exc)[1]


_STAGE_VERB = {"read": "read", "filter": "read", "tags": "de-identified", "text": "inspected", "write": "encoded"}


def failure_reason(exc: BaseException, stage: str = "read") -> tuple[str, str]:
    """Return (DICOM error class, message) for any exception; the message holds no value.

    The engine's own errors keep their class and message. Anything else (pydicom
    meeting a value that does not fit its VR, a structure it cannot read) is named
    by what it means for the instance: ``InvalidElementError`` naming the element
    when the exception names a tag, ``InvalidInstanceError`` for sequences nested
    past Python's recursion limit, ``PixelDataError`` in the pixel stage,
    ``InvalidInstanceError`` otherwise. The exception's own text (which may
    quote a value) is never used; its Python class is logged at DEBUG.
    """
    if isinstance(exc, DeidError):
        return type(exc).__name__, str(exc)
    _LOGGER.debug("stage %s: %s mapped to a DICOM reason", stage, type(exc).__name__)
    if isinstance(exc, RecursionError):  # pydicom reads, walks and writes sequences recursively
        return InvalidInstanceError.__name__, f"the data set's sequences are nested too deep to be {_STAGE_VERB.get(stage, 'processed')}"
    if isinstance(exc, OSError) and stage == "write":
        return OutputWriteError.__name__, "the output could not be written to its storage"
    if isinstance(exc, OSError) and stage in ("read", "filter"):
        return SourceReadError.__name__, "the file could not be read from its storage"
    m = _TAG_IN_MESSAGE.search(str(exc))
    if m:
        tag = int(m.group(1) + m.group(2), 16)
        name = keyword_for_tag(tag) or f"({m.group(1)},{m.group(2)})"
        return InvalidElementError.__name__, f"the value of {name} does not conform to its VR and cannot be {_STAGE_VERB.get(stage, 'processed')}"
    if stage == "pixels":
        return PixelDataError.__name__, "the pixel data cannot be decoded or re-encoded"
    return InvalidInstanceError.__name__, f"the data set cannot be {_STAGE_VERB.get(stage, 'processed')}"


class Deidentifier:
    """The per-instance engine; build once per worker, call once per instance.

    Parameters
    ----------
    spec : DeidSpec
        The validated config.
    uid_key : bytes
        The HMAC key for UIDs (and, later, date shifts).
    uid_root : str
        Root of regenerated UIDs.
    max_inflated_bytes : int
        The most a deflated data set may inflate to (the job's ``--max_instance_bytes``);
        more fails the instance at stage ``read``.
    """

    def __init__(
        self,
        spec: DeidSpec,
        uid_key: bytes,
        uid_root: str = DEFAULT_UID_ROOT,
        key_resolver=None,
        residual_sweep: bool = True,
        review: bool = False,
        max_inflated_bytes: int = codec.DEFAULT_MAX_INFLATED_BYTES,
    ) -> None:
        quiet_pydicom()
        self.spec = spec
        self._max_inflated = max_inflated_bytes
        self.uid_root = uid_root
        self._remap = UidCache(uid_key, uid_root)
        plan = compile_plan(spec)
        # The residual identifier sweep (transforms.dicom.sweep); KEEP_ALL keeps by definition.
        self._sweep = ResidualSweep(plan) if residual_sweep and spec.profile != KEEP_ALL else None
        text = TextCleaner(spec, text_key(uid_key), key_resolver) if needs_text(spec) else None
        self.steps: list[Step] = [TagStep(plan, text, inspect_meta=spec.profile == TAG_CONTENTS)]
        if needs_pixels(spec):
            self.steps.insert(0, PixelStep(spec, review))
        # No step changes PixelData: the header is de-identified alone and the source's
        # PixelData element follows it byte for byte (``_split_tail``), when that is exact.
        self._plan = plan
        self._tail_copy = not needs_pixels(spec)
        # PS3.15 E.1.1 attributes: what this config does, assessed once (transforms.dicom.method).
        self.method = assess(plan)
        self._added = {shifted: _e11_elements(spec, self.method, shifted) for shifted in (False, True)}

    def __call__(self, data: bytes, source: str = "", header_only: bool = False, frames=None) -> InstanceResult:
        """De-identify Part 10 bytes; raise ``StageFailure`` on any error.

        ``source`` names the input in annotations (``<source>/studies/...``).
        ``header_only``: ``data`` is a file's head up to its PixelData tag and the
        output is the de-identified header, to which the caller appends the
        source's PixelData element (``transforms.dicom.streamcopy``). Without
        ``frames`` only for configs that do not change pixels; with ``frames``
        (a ``framestream.FrameReader`` on the source), a redacting config
        examines the frames as they are read, and the result's ``redacted``
        boxes are what the caller blacks out (``framestream.write_redacted``).
        """
        if frames is not None and not header_only:
            raise ValueError("a frame reader goes with header_only")
        ctx = Context(self._remap, frames=frames)
        tail = None
        if not header_only and self._tail_copy:
            ds, tail = self._split_tail(data)
        if tail is None:
            ds = _run("read", codec.parse, data, header_only, self._max_inflated)
        original_uids = _run("read", _naming_uids, ds)
        snapshot = _run("tags", self._sweep.before, ds) if self._sweep is not None else None
        for step in self.steps:
            _run(step.stage, step, ds, ctx)
        if snapshot is not None:
            swept = _run("tags", self._sweep.sweep, ds, snapshot)
            if swept.details:
                ctx.text_details = {**(ctx.text_details or {}), **swept.details}
        _run("tags", self._finalize, ds, ctx)
        out = _run("write", codec.serialize, ds)
        if tail is not None:
            out = b"".join((out, memoryview(data)[tail:]))  # one copy of the pixels, not two
        annotations: tuple[str, ...] = ()
        if self.spec.annotation is not None:
            # An original value that is not a valid UID is named by its regenerated value: never quoted.
            named = (u if is_valid_uid(u.strip("\x00 ")) else self._remap(u) for u in original_uids)
            name = "{}/studies/{}/series/{}/instances/{}".format(source, *named)
            if ctx.text_details is not None:
                annotations = (text_annotation(name, ctx.text_details, self.spec.annotation.store_quote),)
            if ctx.redacted:
                annotations += tuple(_json_line(a) for a in annotations_by_frame(name, ctx.redacted))
        result = InstanceResult(
            out,
            str(ds.StudyInstanceUID),
            str(ds.SeriesInstanceUID),
            str(ds.SOPInstanceUID),
            tuple(sorted(ctx.uid_pairs.items())),
            annotations,
            tuple(ctx.redacted or ()) if frames is not None else (),
            ctx.replaced,
        )
        if ctx.review is not None:
            captured, mode = ctx.review
            entry = _run("write", captured.entry, result.relative_path, str(ds.get("Modality", "") or ""), mode)
            result = dataclasses.replace(result, review=entry)
        return result

    def _split_tail(self, data: bytes) -> tuple[Dataset | None, int | None]:
        """The header and the PixelData offset when the output is the de-identified header plus the source's tail.

        ``streamcopy.copyable_tail`` accepts the tail only when that concatenation
        is exactly what the whole-file path writes (the same bytes, the same
        checks on the pixel data); it saves parsing and re-serializing PixelData,
        a third of a tag-only instance's time. Anything else, and any error here,
        goes the whole-file way, which then reports the error itself.
        """
        try:
            ds, stop = codec.parse_header(data, self._max_inflated)
            if stop < len(data) and copyable_tail(self.spec, self._plan, ds, io.BytesIO(data), stop, len(data)):
                return ds, stop
        except Exception:
            pass
        return None, None

    def _finalize(self, ds: Dataset, ctx: Context) -> None:
        codec.check_required(ds, "the config removed or emptied {}, which the output needs")
        check_naming_uids(ds)
        self.method.apply(ds, self._added[ctx.dates_shifted])
        old = ds.file_meta
        if not is_valid_uid(str(old.get("TransferSyntaxUID", "")).strip("\x00 ")):
            raise InvalidElementError("TransferSyntaxUID is not a valid UID (PS3.5 9.1)")
        if self.spec.profile == KEEP_ALL:
            meta = old
            for elem in list(meta):  # kept file meta: a UID that is not one is regenerated (vrfit)
                if elem.VR == "UI" and elem.tag not in _META_SET and elem.value:
                    value = str(elem.value).strip("\x00 ")
                    if not is_valid_uid(value):
                        meta[elem.tag] = DataElement(elem.tag, "UI", ctx.remap_uid(value))
                        ctx.replaced += 1
        else:
            meta = FileMetaDataset()
            meta.FileMetaInformationVersion = b"\x00\x01"
            meta.TransferSyntaxUID = old.TransferSyntaxUID
            meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
            meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
            ds.preamble = b"\x00" * 128
        meta.MediaStorageSOPClassUID = ds.SOPClassUID
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.file_meta = meta


def check_naming_uids(ds: Dataset) -> None:
    """Raise InvalidElementError when a UID that names the output is not a valid UID.

    The tag step regenerates any UI value that is not a valid UID, whatever the
    profile; this is the last guard before the values become a path
    (``outpath.instance_path``): a naming element stored with another VR, or
    holding several values, fails the instance here, naming the keyword.
    """
    for keyword, tag in _NAMING:
        elem = ds._dict.get(tag)
        value = None if elem is None else elem.value
        if isinstance(value, (bytes, bytearray)):
            try:
                value = bytes(value).decode("ascii")
            except UnicodeDecodeError:
                value = None
        if not isinstance(value, str) or not is_valid_uid(value.strip("\x00 ")):
            raise InvalidElementError(f"{keyword} is not a valid UID (PS3.5 9.1) and cannot name the output")


_NAMING = (("StudyInstanceUID", 0x0020000D), ("SeriesInstanceUID", 0x0020000E), ("SOPInstanceUID", 0x00080018))
# File meta UIDs set below from the data set or checked above.
_META_SET = frozenset({0x00020002, 0x00020003, 0x00020010})


def _naming_uids(ds: Dataset) -> list[str]:
    return [str(ds.get(k, "")) for k in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID")]


_PIXEL_DATA = 0x7FE00010


def needs_text(spec: DeidSpec) -> bool:
    """True when the config cleans any text (so detection state must be built)."""
    return (
        spec.profile == TAG_CONTENTS
        or spec.clean_descriptors
        or any(a.kind == "cleanTextTag" for a in spec.actions)
    )


def _json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def text_annotation(name: str, details: dict[str, list], store_quote: bool) -> str:
    """One text Annotation (spec section 7) as a JSON line; quotes only when asked."""
    out = {}
    for path, findings in details.items():
        items = []
        for f in findings:
            item = {"infoType": f.info_type, "start": str(f.start), "end": str(f.end)}
            if store_quote:
                item["quote"] = f.quote
            items.append(item)
        out[path] = {"findings": items} if items else {}
    record = {
        "annotationSource": {"cloudHealthcareSource": {"name": name}},
        "textAnnotation": {"details": out},
    }
    return _json_line(record)


def _e11_elements(spec: DeidSpec, method: Method, dates_shifted: bool) -> tuple[DataElement, ...]:
    """The PS3.15 E.1.1 elements of an output, built once per worker (``Method.elements``)."""
    values = [f"{TOOL_NAME} {__version__}", spec.profile]
    if spec.primary_ids != "PRIMARY_IDS_OPTION_UNSPECIFIED":
        values.append(f"primaryIds {spec.primary_ids}")
    if spec.clean_descriptors:
        values.append("cleanDescriptors")
    image = redacting_image_spec(spec)
    if image is not None:
        values.append(f"cleanImage {image.mode}")
    if spec.actions:
        values.append(f"{len(spec.actions)} tag actions")
    return method.elements(values, pixels_cleaned=image is not None, dates_shifted=dates_shifted)


def _run(stage: str, fn, *args):
    try:
        return fn(*args)
    except StageFailure:
        raise
    except Exception as exc:  # one odd file must not stop an archive-sized job
        raise StageFailure(stage, *failure_reason(exc, stage)) from None
