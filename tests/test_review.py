"""The burned-in text review report (``transforms.pixels.review``, ``--review_report``).

The page is built from data (pure) and checked as a reader sees it: opened in headless
Chromium (Debian ``chromium``), its DOM read back and a screenshot's pixels looked at.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.dicom.run import run
from tests.factories import burned_sample_instance, make_dataset, to_bytes
from transforms.deid_config import parse_config
from transforms.dicom.deidentify import Deidentifier
from transforms.pixels.review import FAIL_CLOSED, KEPT, REDACTED, ReviewBox, entry, render_page

KEY = b"k" * 32
SENSITIVE = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_SENSITIVE_TEXT"}}}}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (.ci/run installs it)")


def _entry(name: str, modality: str, decisions: list[str], mode: str = "REDACT_SENSITIVE_TEXT"):
    view = np.zeros((60, 80), np.uint8)
    boxes = [ReviewBox(5 + 10 * i, 5, 12 + 10 * i, 15, d, "DATE" if d == REDACTED else "") for i, d in enumerate(decisions)]
    changed = 40 if any(d != KEPT for d in decisions) else 0
    return entry(name, modality, mode, 0, 1, view, view, boxes, changed)


def test_page_lists_kept_only_first_and_sums_up_per_modality():
    page = render_page([
        _entry("studies/a/series/b/instances/1.dcm", "US", [REDACTED, KEPT]),
        _entry("studies/a/series/b/instances/2.dcm", "CT", [KEPT, KEPT]),
        _entry("studies/a/series/b/instances/3.dcm", "US", [FAIL_CLOSED]),
    ])
    order = [page.index(f"instances/{n}.dcm") for n in (2, 1, 3)]
    assert order == sorted(order)  # text kept and nothing redacted first, then by name
    rows = dict(re.findall(r"<tr><td>(\w+)</td>((?:<td>\d+</td>)+)</tr>", page))
    assert re.findall(r"\d+", rows["US"]) == ["2", "2", "0", "1", "1", "1"]
    assert re.findall(r"\d+", rows["CT"]) == ["1", "0", "1", "0", "2", "0"]
    assert 'class="warning"' in page  # a sensitive mode: kept text is readable in the page


def test_page_is_self_contained_and_escapes_what_it_names():
    page = render_page([_entry('studies/<script>alert(1)</script>/x.dcm', "O&T", [REDACTED], "REDACT_ALL_TEXT")])
    assert "<script" not in page and "&lt;script&gt;" in page and "O&amp;T" in page
    assert "default-src 'none'" in page  # nothing loaded from anywhere
    assert re.findall(r'src="([a-z]+):', page) == ["data", "data"]
    assert "http" not in page.replace("http-equiv", "")
    assert 'class="warning"' not in page  # REDACT_ALL_TEXT keeps no text


def _review_entries():
    """Entries of the engine on the spec's sample (identifiers and Female) and on a plain CT."""
    engine = Deidentifier(parse_config(SENSITIVE), KEY, review=True)
    burned = engine(to_bytes(burned_sample_instance(512)), source="in/sample.dcm")
    plain = engine(to_bytes(make_dataset()), source="in/plain.dcm")
    assert plain.review is None  # no text found: not listed
    return [burned.review]


def test_engine_entry_shows_the_frame_before_and_after():
    (item,) = _review_entries()
    counts = item.counts
    assert counts[REDACTED] >= 1 and counts[KEPT] >= 1  # identifiers redacted, Female kept
    assert item.name.startswith("studies/2.25.") and "in/sample" not in item.name
    before = np.asarray(Image.open(io.BytesIO(item.before)).convert("L"))
    after = np.asarray(Image.open(io.BytesIO(item.after)).convert("L"))
    assert before.shape == after.shape and max(before.shape) <= 480
    assert item.pixels_changed > 0 and not np.array_equal(before, after)


def _chromium(args: list[str], page: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=120)


@needs_chromium
def test_chromium_shows_the_page(tmp_path):
    """The page as a browser shows it: its DOM (sections, summary, decisions) and its pixels
    (thumbnails with red boxes for redacted text and green ones for kept text)."""
    page = tmp_path / "review.html"
    page.write_text(render_page(_review_entries() + [_entry("studies/z/series/z/instances/kept.dcm", "CT", [KEPT])]))
    dom = _chromium(["--dump-dom"], page).stdout
    sections = re.findall(r'<section class="([^"]+)" id="instance-(\d+)"', dom)
    assert sections == [("instance kept-only", "0"), ("instance", "1")]
    assert "text found, nothing redacted" in dom
    assert re.search(r"<td>\(none\)</td><td>1</td><td>1</td><td>0</td>", dom)  # the sample has no Modality
    assert dom.count('<img alt="before"') == 2 and dom.count('<img alt="after"') == 2
    shot = tmp_path / "shot.png"
    _chromium(["--window-size=1280,1400", f"--screenshot={shot}"], page)
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
    green = (pixels[..., 1] > 170) & (pixels[..., 0] < 90) & (pixels[..., 2] < 120)
    assert red.sum() > 200 and green.sum() > 200  # box outlines drawn on the thumbnails


def test_pipeline_writes_the_report_owner_only(tmp_path):
    """``--review_report``: one page for the job, mode 0600; refused without a redacting config."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "sample.dcm").write_bytes(to_bytes(burned_sample_instance(512)))
    (inp / "plain.dcm").write_bytes(to_bytes(make_dataset()))
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps(SENSITIVE))
    out, report = tmp_path / "out", tmp_path / "reports" / "review.html"
    args = ["--input", str(inp), "--output", str(out), "--config", str(cfg), "--review_report", str(report)]
    assert run(args) == 0
    assert stat.S_IMODE(os.stat(report).st_mode) == 0o600
    page = report.read_text()
    assert page.count('<section class="instance') == 1
    assert json.loads((out / "deid_summary.json").read_text())["succeeded"] == 2
    cfg.write_text("{}")
    assert run(args[:-2] + ["--output", str(tmp_path / "out2"), "--review_report", str(tmp_path / "r2.html")]) == 2
    assert not (tmp_path / "r2.html").exists()


def test_a_streamed_instance_is_reviewed_on_frame_0():
    """A large instance redacted frame by frame (framestream): its entry shows frame 0, the
    "after" being frame 0 with the boxes filled black, as the writer fills them."""
    from transforms.dicom.profiles import compile_plan
    from transforms.dicom.streamcopy import read_header, redactable_tail
    from transforms.pixels.framestream import deidentify_framed
    from tests.test_framestream import _cine, _image

    frames = _cine(3, text_on=(0, 1, 2))
    data = to_bytes(_image(frames, "RGB", 3))
    config = {"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_ALL_TEXT"}}}}
    spec = parse_config(config)
    f = io.BytesIO(data)
    head, header, offset = read_header(f, first=512)
    layout = redactable_tail(spec, compile_plan(spec), header, f, offset, len(data))
    assert layout is not None
    result, redacted = deidentify_framed(Deidentifier(spec, KEY, review=True), head[:offset], f, layout, "src.dcm")
    item = result.review
    assert redacted is not None and item is not None
    assert (item.frame, item.frames) == (0, 3) and item.counts[REDACTED] >= 1
    before = np.asarray(Image.open(io.BytesIO(item.before)).convert("RGB"))
    after = np.asarray(Image.open(io.BytesIO(item.after)).convert("RGB"))
    assert item.pixels_changed > 0 and (after == 0).all(axis=-1).sum() > (before == 0).all(axis=-1).sum()


def test_kept_only_means_nothing_redacted_on_any_frame():
    """An instance whose shown frame holds kept text only, but whose other frames were blacked out
    (pixels changed), is not listed as 'text found, nothing redacted'; the first frame with a
    redaction is the one shown."""
    from transforms.pixels.review import ReviewEntry, _shown

    kept = (ReviewBox(0, 0, 10, 10, KEPT),)
    assert ReviewEntry("a", "US", "m", 0, 30, kept, b"", b"", 0).kept_only
    assert not ReviewEntry("a", "US", "m", 0, 30, kept, b"", b"", 1427).kept_only

    class Found:
        frame = 5

    assert _shown([Found()], [(0, ReviewBox(0, 0, 1, 1, KEPT))]) == 5
    assert _shown([], [(3, ReviewBox(0, 0, 1, 1, KEPT)), (1, ReviewBox(0, 0, 1, 1, KEPT))]) == 1
