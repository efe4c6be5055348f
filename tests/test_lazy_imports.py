"""A tag-only job does not import the text-detection, OCR or KMS libraries it never uses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_FOR_TAG_ONLY = ("phonenumbers", "names", "stdnum", "tesserocr", "pytesseract", "google.cloud.kms", "dask")

_PROBE = r"""
import json, sys
import pipeline.dicom.run, pipeline.dicom.graph, pipeline.dicom.deidentify, pipeline.connectors.files
from transforms.deid_config import parse_config
from transforms.dicom.deidentify import Deidentifier
from tests.factories import make_dataset, to_bytes
Deidentifier(parse_config({}), b"k" * 32)(to_bytes(make_dataset()))
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("phonenumbers", "names", "stdnum", "tesserocr", "pytesseract", "dask") or m.startswith("google.cloud.kms"))))
"""


def test_tag_only_job_imports_no_text_ocr_or_kms_library():
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert [m for m in loaded if m.split(".")[0] in NOT_FOR_TAG_ONLY or m.startswith("google.cloud.kms")] == []


def test_text_job_still_finds_phone_numbers():
    """The lazy import is taken when text is detected (a free-text phone number is replaced)."""
    import io

    import pydicom

    from tests.factories import make_dataset, to_bytes
    from transforms.deid_config import parse_config
    from transforms.dicom.deidentify import Deidentifier

    ds = make_dataset()
    ds.ImageComments = "call me at +44 20 7946 0958 tomorrow"  # international: needs phonenumbers
    result = Deidentifier(parse_config({"dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS"}}), b"k" * 32)(to_bytes(ds))
    comments = str(pydicom.dcmread(io.BytesIO(result.data)).get("ImageComments", ""))
    assert "7946" not in comments
    assert "phonenumbers" in sys.modules
