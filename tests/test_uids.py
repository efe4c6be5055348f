"""Keyed UID regeneration (spec section 4)."""

from __future__ import annotations

import base64
import re

import pytest

from transforms.errors import KeyMaterialError
from transforms.dicom.uids import check_uid_root, decode_key, is_registry_uid, remap_uid

KEY = b"k" * 32
UID_RE = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")


@pytest.mark.parametrize("uid", ["1.2.3", "1.2.826.0.1.3680043.8.498.12345678901234567890123456789", "9" * 64])
def test_remap_is_valid_and_short(uid):
    """Results are digits and dots, no leading zeros, at most 64 characters."""
    new = remap_uid(uid, KEY)
    assert UID_RE.match(new) and len(new) <= 64 and new.startswith("2.25.")


def test_remap_is_deterministic_and_keyed():
    """Same key, same UID -> same result; another key -> another result."""
    assert remap_uid("1.2.3.4", KEY) == remap_uid("1.2.3.4", KEY)
    assert remap_uid("1.2.3.4", KEY) != remap_uid("1.2.3.4", b"j" * 32)
    assert remap_uid("1.2.3.4", KEY) != remap_uid("1.2.3.5", KEY)


def test_padding_ignored():
    """A UID padded with NUL maps like the bare UID."""
    assert remap_uid("1.2.3.4\x00", KEY) == remap_uid("1.2.3.4", KEY)


@pytest.mark.parametrize("uid", ["1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.3.1.2.3.1"])
def test_registry_uids_untouched(uid):
    """SOP classes, transfer syntaxes and other registry UIDs are never regenerated."""
    assert is_registry_uid(uid)
    assert remap_uid(uid, KEY) == uid


def test_known_value():
    """The mapping is HMAC-SHA256, first 128 bits, decimal, under 2.25."""
    import hashlib
    import hmac

    expected = int.from_bytes(hmac.new(KEY, b"1.2.3", hashlib.sha256).digest()[:16], "big")
    assert remap_uid("1.2.3", KEY) == f"2.25.{expected}"


def test_uid_root_checks():
    """A custom root must leave room for 39 digits and be a valid UID prefix."""
    assert check_uid_root("1.2.3") == "1.2.3"
    with pytest.raises(ValueError):
        check_uid_root("1.02.3")
    with pytest.raises(ValueError):
        check_uid_root("1." * 20 + "1")


def test_decode_key_forms():
    """Key files hold base64 text or raw bytes; short keys are refused."""
    raw = bytes(range(32))
    assert decode_key(raw) == raw
    assert decode_key(base64.b64encode(raw) + b"\n") == raw
    with pytest.raises(KeyMaterialError):
        decode_key(b"short")
