"""Which input an output path keeps (pure: transforms.collisions)."""

from __future__ import annotations

import pytest

from transforms.collisions import Member, conflict_error, resolve
from transforms.errors import DeidError, InstanceConflictError


def test_first_by_source_name_kept_same_bytes_duplicate_other_bytes_conflict():
    members = [Member("/in/c.dcm", "d1"), Member("/in/b.dcm", "d2"), Member("/in/a.dcm", "d1")]
    for order in (members, members[::-1], [members[1], members[0], members[2]]):
        r = resolve(list(order))
        assert r.kept.source == "/in/a.dcm"
        assert [m.source for m in r.duplicates] == ["/in/c.dcm"]
        assert [m.source for m in r.conflicts] == ["/in/b.dcm"]


def test_a_single_member_is_kept_and_the_same_source_twice_is_a_duplicate():
    assert resolve([Member("x", "d")]).kept.source == "x"
    r = resolve([Member("x", "d"), Member("x", "d")])
    assert r.kept.source == "x" and len(r.duplicates) == 1 and not r.conflicts


def test_kept_digest_keeps_the_bytes_on_the_output():
    r = resolve([Member("a", "d1"), Member("b", "d2"), Member("c", "d2")], kept_digest="d2")
    assert r.kept.source == "b" and [m.source for m in r.duplicates] == ["c"] and [m.source for m in r.conflicts] == ["a"]
    with pytest.raises(ValueError):
        resolve([Member("a", "d1")], kept_digest="zz")
    with pytest.raises(ValueError):
        resolve([])


def test_conflict_error_names_both_sources():
    exc = conflict_error("/in/b.dcm", "/in/a.dcm", "studies/1/series/2/instances/3.dcm")
    assert isinstance(exc, InstanceConflictError) and isinstance(exc, DeidError)
    assert type(exc).__name__ == "InstanceConflictError"
    assert "/in/a.dcm" in str(exc) and "/in/b.dcm" in str(exc) and "studies/1/series/2/instances/3.dcm" in str(exc)
