"""DICOMweb without a server: URLs and names, STOW answers, multipart, back-off, options."""

from __future__ import annotations

import json

import pytest
import requests
from apache_beam.options.pipeline_options import PipelineOptions
from requests_toolbelt.multipart.encoder import MultipartEncoder

from pipeline.dicom.config import JobConfig
from pipeline.jobsetup import SetupError
from pipeline.connectors.dicomweb import DicomwebClient, HttpPolicy, Service, read_credentials
from pipeline.connectors.dicomweb_store import _ChainReader
from pipeline.dicom.graph import dicomweb_seeds
from pipeline.options import DeidOptions
from tests.factories import make_dataset, to_bytes
from transforms.dicom.dicomweb import (
    CONFLICT,
    REJECTED,
    RETRY,
    STORED,
    STORED_WITH_WARNING,
    UNKNOWN,
    backoff_seconds,
    check_instance,
    decode_retrieved,
    default_auth,
    parse_retry_after,
    parse_store_url,
    parse_stow_answer,
    redact_userinfo,
    stow_body,
    stow_content_type,
)
from transforms.errors import DicomwebBadResponse, DicomwebUnavailable

GOOGLE = "https://healthcare.googleapis.com/v1/projects/p/locations/eu/datasets/d/dicomStores/s/dicomWeb"


class TestUrls:
    def test_google_store_url_names_the_store(self):
        """A v1 Cloud Healthcare URL is named projects/.../dicomWeb and defaults to google auth."""
        store = parse_store_url(GOOGLE + "/", "--dicomweb_source")
        assert store.url == GOOGLE and store.google
        assert store.name == "projects/p/locations/eu/datasets/d/dicomStores/s/dicomWeb"
        assert default_auth(store) == "google"

    def test_v1beta1_is_accepted_and_other_paths_are_not(self):
        """v1beta1 works; a Google URL without the dicomWeb suffix is rejected."""
        assert parse_store_url(GOOGLE.replace("/v1/", "/v1beta1/"), "--x").google
        with pytest.raises(ValueError, match="Cloud Healthcare store URL is"):
            parse_store_url(GOOGLE.rsplit("/", 1)[0], "--dicomweb_destination")

    def test_other_servers_are_named_by_the_normalized_url(self):
        """An Orthanc URL keeps its path, loses a trailing slash and defaults to no auth."""
        store = parse_store_url("http://127.0.0.1:8042/dicom-web/", "--dicomweb_source")
        assert store.name == store.url == "http://127.0.0.1:8042/dicom-web"
        assert default_auth(store) == "none" and store.loopback

    @pytest.mark.parametrize("url", ["ftp://x/dicom-web", "127.0.0.1:8042", "http:///x", "http://h:99999/x"])
    def test_bad_urls_are_rejected(self, url):
        """Non-http schemes, missing hosts and bad ports are rejected."""
        with pytest.raises(ValueError, match="--dicomweb_source"):
            parse_store_url(url, "--dicomweb_source")

    def test_user_info_is_rejected_without_being_shown(self):
        """user:password@ is refused; the message shows the URL without it."""
        with pytest.raises(ValueError) as info:
            parse_store_url("https://deid:s3cret@pacs.example.org/dicom-web", "--dicomweb_source")
        assert "s3cret" not in str(info.value) and "https://pacs.example.org/dicom-web" in str(info.value)
        assert redact_userinfo("http://u:p@h/x") == "http://h/x"

    def test_query_and_fragment_are_rejected(self):
        """A query could carry a token: refused."""
        for url in ("https://h/dicom-web?access_token=x", "https://h/dicom-web#f"):
            with pytest.raises(ValueError, match="query or a fragment"):
                parse_store_url(url, "--dicomweb_destination")


def _item(sop: str, **extra) -> dict:
    item = {"00081150": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"]}, "00081155": {"vr": "UI", "Value": [sop]}}
    for tag, value in extra.items():
        item[tag] = {"vr": "US", "Value": [value]}
    return item


class TestStowAnswers:
    def test_200_all_referenced(self):
        """Every part in ReferencedSOPSequence is stored; a WarningReason is stored_with_warning."""
        answer = {"00081199": {"vr": "SQ", "Value": [_item("1.1"), _item("1.2", **{"00081196": 0xB000})]}}
        assert parse_stow_answer(200, answer, ["1.1", "1.2"]) == {"1.1": (STORED, None), "1.2": (STORED_WITH_WARNING, 0xB000)}

    def test_202_mixed_and_unnamed(self):
        """202: stored, rejected (0xC000) and an instance the answer does not name (resent alone)."""
        answer = {
            "00081199": {"vr": "SQ", "Value": [_item("1.1")]},
            "00081198": {"vr": "SQ", "Value": [_item("1.2", **{"00081197": 0xC000})]},
        }
        got = parse_stow_answer(202, answer, ["1.1", "1.2", "1.3"])
        assert got == {"1.1": (STORED, None), "1.2": (REJECTED, 0xC000), "1.3": (UNKNOWN, None)}

    def test_409_with_failed_sequence_is_a_conflict(self):
        """Google's 409: FailedSOPSequence with 0x0110 is a conflict; 0xA700 is retried."""
        answer = [{"00081198": {"vr": "SQ", "Value": [_item("1.1", **{"00081197": 0x0110}), _item("1.2", **{"00081197": 0xA700})]}}]
        got = parse_stow_answer(409, answer, ["1.1", "1.2"])
        assert got == {"1.1": (CONFLICT, 0x0110), "1.2": (RETRY, 0xA700)}

    def test_bodiless_409(self):
        """A bodiless 409 is a conflict for a lone instance, unknown in a batch."""
        assert parse_stow_answer(409, None, ["1.1"]) == {"1.1": (CONFLICT, None)}
        assert parse_stow_answer(409, None, ["1.1", "1.2"])["1.1"] == (UNKNOWN, None)


class TestMultipart:
    def test_stow_body_carries_the_exact_bytes(self):
        """The encoded body holds each part's bytes unchanged, with a 32-hex boundary and a known length."""
        parts = [to_bytes(make_dataset(index=i)) for i in range(2)]
        body = stow_body(parts)
        assert len(body.boundary_value) == 32 and int(body.boundary_value, 16) >= 0
        content_type = stow_content_type(body)
        assert content_type.startswith('multipart/related; type="application/dicom"; boundary=')
        raw = body.to_string()
        assert len(raw) == body.len
        assert all(p in raw for p in parts)

    def test_wado_answer_round_trip(self):
        """A one-part multipart/related answer decodes to exactly the part's bytes."""
        data = to_bytes(make_dataset())
        encoder = MultipartEncoder(fields=[("f", (None, data, "application/dicom"))])
        content_type = f'multipart/related; type="application/dicom"; boundary={encoder.boundary_value}'
        assert decode_retrieved(encoder.to_string(), content_type) == data
        assert decode_retrieved(data, "application/dicom") == data

    def test_wado_answer_with_two_parts_is_bad(self):
        """Two parts, or another media type, are DicomwebBadResponse."""
        encoder = MultipartEncoder(fields=[("a", (None, b"x", "application/dicom")), ("b", (None, b"y", "application/dicom"))])
        with pytest.raises(DicomwebBadResponse, match="2 parts"):
            decode_retrieved(encoder.to_string(), f"multipart/related; boundary={encoder.boundary_value}")
        with pytest.raises(DicomwebBadResponse, match="text/html"):
            decode_retrieved(b"<html>", "text/html")

    def test_check_instance(self):
        """The retrieved file must be Part 10 with the listed UIDs."""
        ds = make_dataset()
        data = to_bytes(ds)
        check_instance(data, str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID))
        with pytest.raises(DicomwebBadResponse, match="differ"):
            check_instance(data, str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), "1.2.3")
        with pytest.raises(DicomwebBadResponse, match="Part 10"):
            check_instance(data[128:], "1", "2", "3")

    def test_chain_reader_streams_header_then_pixels(self, tmp_path):
        """A large instance's STOW part is the new header followed by the source's tail, length known."""
        source = tmp_path / "src.dcm"
        source.write_bytes(b"H" * 100 + b"PIXELS" * 1000)
        reader = _ChainReader(b"new-header", str(source), 100)
        assert reader.len == 10 + 6000
        out = reader.read(4) + reader.read(-1) + reader.read(-1)
        assert out == b"new-header" + b"PIXELS" * 1000 and reader.len == 0


class TestBackoff:
    def test_exponential_capped_with_jitter(self):
        """min(2^n, 64) plus up to 1 s of jitter with the default base."""
        assert backoff_seconds(1, 1.0, 0.0) == 2.0
        assert backoff_seconds(3, 1.0, 0.5) == 8.5
        assert backoff_seconds(10, 1.0, 0.999) == pytest.approx(64.999)

    def test_retry_after_wins_when_larger_up_to_300(self):
        """A longer Retry-After wins, capped at 300 s; a shorter one does not shorten the wait."""
        assert backoff_seconds(1, 1.0, 0.0, 30.0) == 30.0
        assert backoff_seconds(1, 1.0, 0.0, 1000.0) == 300.0
        assert backoff_seconds(4, 1.0, 0.0, 1.0) == 16.0

    def test_retry_after_forms(self):
        """Seconds or an HTTP date."""
        assert parse_retry_after("7") == 7.0
        assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
        assert parse_retry_after("soon") is None and parse_retry_after(None) is None


class _Response:
    def __init__(self, status: int, headers=None, body=b"[]") -> None:
        self.status_code = status
        self.headers = headers or {}
        self.content = body

    def json(self):
        return json.loads(self.content)

    def close(self) -> None:
        pass


class _ScriptedSession:
    """Not HTTP: a stand-in session answering from a script, to test the retry loop's arithmetic."""

    def __init__(self, script) -> None:
        self.script = list(script)
        self.calls = 0

    def request(self, method, url, **kwargs):
        self.calls += 1
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    def close(self) -> None:
        pass


SERVICE = Service("http://127.0.0.1:1/dicom-web", "http://127.0.0.1:1/dicom-web", "none", False, "source")


class TestClientRetries:
    def test_retries_on_fake_clock(self):
        """503 (Retry-After 5), a refused connection, 429, then 200: three waits, counted as retries and throttling."""
        waits = []
        session = _ScriptedSession([
            _Response(503, {"Retry-After": "5"}),
            requests.exceptions.ConnectionError("Connection refused"),
            _Response(429),
            _Response(200),
        ])
        client = DicomwebClient(SERVICE, HttpPolicy(8, 1.0), session=session, sleep=waits.append, rand=lambda: 0.25)
        assert client.request("GET", "studies").status_code == 200
        assert waits == [5.0, 4.25, 8.25]
        assert client.retries == 3 and client.requests == 4 and client.throttled_seconds == pytest.approx(17.5)

    def test_bounded_and_named_without_secrets(self):
        """After the last attempt: DicomwebUnavailable naming method, service, path and cause only."""
        session = _ScriptedSession([_Response(503)] * 3)
        client = DicomwebClient(SERVICE, HttpPolicy(3, 1.0), session=session, sleep=lambda s: None)
        with pytest.raises(DicomwebUnavailable) as info:
            client.request("GET", "studies/1.2/series")
        assert str(info.value) == "GET http://127.0.0.1:1/dicom-web/studies/1.2/series: HTTP 503 after 3 attempt(s)"
        assert session.calls == 3

    def test_other_statuses_are_not_retried(self):
        """404, 409, 401 come back at once for the caller to judge."""
        for status in (401, 403, 404, 406, 409):
            session = _ScriptedSession([_Response(status)])
            client = DicomwebClient(SERVICE, HttpPolicy(8, 1.0), session=session, sleep=lambda s: None)
            assert client.request("GET", "x").status_code == status and session.calls == 1

    def test_paging_ends_on_an_empty_page_not_a_short_one(self):
        """A short page is followed by another request; the empty page ends the listing."""
        def page(uids):
            return _Response(200, body=json.dumps([{"0020000D": {"vr": "UI", "Value": [u]}} for u in uids]).encode())

        session = _ScriptedSession([page(["1", "2"]), page(["3"]), page([])])
        client = DicomwebClient(SERVICE, HttpPolicy(), session=session, sleep=lambda s: None)
        got = [e["0020000D"]["Value"][0] for e in client.search("studies", 3)]
        assert got == ["1", "2", "3"] and session.calls == 3


def _options(*argv: str) -> DeidOptions:
    return PipelineOptions(list(argv)).view_as(DeidOptions)


class TestJobChecks:
    def test_credentials_come_from_the_environment(self):
        """Side-specific variables win; a missing one is named; repr hides the values."""
        creds, missing = read_credentials("basic", "source", {"DICOMWEB_USERNAME": "u", "DICOMWEB_SOURCE_PASSWORD": "pw"})
        assert not missing and creds.reveal("PASSWORD") == "pw" and "pw" not in repr(creds)
        _, missing = read_credentials("bearer", "destination", {})
        assert missing == ["$DICOMWEB_DESTINATION_TOKEN or $DICOMWEB_TOKEN"]

    def test_setup_problems_before_any_request(self, tmp_path):
        """Without --output: failures and summary paths needed; same store twice; a random key; a missing password."""
        url = "http://127.0.0.1:9/dicom-web"
        with pytest.raises(SetupError) as info:
            JobConfig.from_options(_options("--dicomweb_source", url, "--dicomweb_destination", url), environ={})
        assert any("--failures_output is required without --output" in p for p in info.value.problems)
        opts = _options("--dicomweb_source", url, "--dicomweb_destination", url + "/", "--dicomweb_auth", "basic",
                        "--failures_output", str(tmp_path / "f"), "--summary_output", str(tmp_path / "s"))
        with pytest.raises(SetupError) as info:
            JobConfig.from_options(opts, environ={}, check_services=False)
        text = "\n".join(info.value.problems)
        assert "are the same store" in text
        assert "needs a persistent UID key" in text
        assert "needs $DICOMWEB_SOURCE_PASSWORD or $DICOMWEB_PASSWORD" in text

    def test_google_source_page_size_is_bounded(self, tmp_path):
        """Cloud Healthcare answers at most 5000 studies or series per QIDO page."""
        opts = _options("--dicomweb_source", GOOGLE, "--output", str(tmp_path / "o"), "--dicomweb_page_size", "6000")
        with pytest.raises(SetupError, match="at most 5000"):
            JobConfig.from_options(opts, environ={}, check_services=False)

    def test_bigquery_filter_with_a_store_source_is_refused(self, tmp_path):
        """A BigQuery filter cannot narrow a store listing yet: refused, never ignored."""
        opts = _options("--dicomweb_source", "http://127.0.0.1:9/dicom-web", "--output", str(tmp_path / "o"),
                        "--filter_table", "my-project:dicom_deid.tonight")
        with pytest.raises(SetupError, match="not supported yet"):
            JobConfig.from_options(opts, environ={}, check_services=False)

    def test_filter_entries_become_seeds(self, tmp_path):
        """A filter's studies, series and instances seed the listing; no filter lists the store."""
        (tmp_path / "f.txt").write_text("/studies/1.2\n/studies/1.3/series/1.4\n/studies/1.3/series/1.5/instances/1.6\n")
        (tmp_path / "k").write_bytes(b"V0hhdCBhIHRlc3Qga2V5IGZvciBVSURzIC0tIDMyIGJ5dGVz\n")
        opts = _options("--dicomweb_source", "http://127.0.0.1:9/dicom-web", "--output", str(tmp_path / "o"),
                        "--filter_file", str(tmp_path / "f.txt"), "--uid_key_file", str(tmp_path / "k"))
        job = JobConfig.from_options(opts, environ={}, check_services=False)
        assert dicomweb_seeds(job) == [("study", "1.2"), ("series", "1.4"), ("instance", "1.6")]
        opts = _options("--dicomweb_source", "http://127.0.0.1:9/dicom-web", "--output", str(tmp_path / "o"))
        assert dicomweb_seeds(JobConfig.from_options(opts, environ={}, check_services=False)) == [("store", "")]

    def test_request_cap_is_divided_among_workers(self, tmp_path):
        """--dicomweb_max_requests_per_second is per job: each of 4 workers gets a quarter."""
        opts = _options("--dicomweb_source", "http://127.0.0.1:9/dicom-web", "--output", str(tmp_path / "o"),
                        "--dicomweb_max_requests_per_second", "100", "--max_num_workers", "4")
        job = JobConfig.from_options(opts, environ={}, check_services=False)
        assert job.http_policy.requests_per_second == 25.0


class TestStoreBatches:
    """The STOW writer's per-instance outcomes, on a scripted session (Cloud Healthcare answers: no store here)."""

    def _fn(self, script, batch=3):
        from dataclasses import dataclass as _dc

        from pipeline.connectors.dicomweb_store import StoreFn
        from pipeline.progress import Progress

        @_dc
        class _Job:
            destination: Service
            http_policy: HttpPolicy
            stow_batch_instances: int
            stow_batch_bytes: int

        dest = Service(GOOGLE, "projects/p/locations/eu/datasets/d/dicomStores/s/dicomWeb", "none", True, "destination")
        fn = StoreFn(_Job(dest, HttpPolicy(3, 0.0), batch, 1 << 30), Progress(0.0))
        fn.setup()
        self.session = _ScriptedSession(script)
        fn.client = DicomwebClient(dest, HttpPolicy(3, 0.0), session=self.session, sleep=lambda s: None)
        return fn

    @staticmethod
    def _item(sop: str):
        return (f"src/{sop}", f"studies/1/series/2/instances/{sop}.dcm", b"DICM" + sop.encode(), ("1", ()), None)

    @staticmethod
    def _answer(status, referenced=(), failed=()):
        body = {}
        if referenced:
            body["00081199"] = {"vr": "SQ", "Value": [_item(s) for s in referenced]}
        if failed:
            body["00081198"] = {"vr": "SQ", "Value": [_item(s, **{"00081197": code}) for s, code in failed]}
        return _Response(status, body=json.dumps(body).encode())

    def _run(self, fn, sops):
        out = []
        for sop in sops:
            out += list(fn.process(self._item(sop)))
        from apache_beam import pvalue

        for v in fn.finish_bundle():  # WindowedValues, tagged or not
            out.append(pvalue.TaggedOutput(v.tag, v.value.value) if isinstance(v, pvalue.TaggedOutput) else v.value)
        return [o for o in out if not (isinstance(o, pvalue.TaggedOutput) and o.tag == "stats")]

    def test_conflict_and_an_unnamed_instance(self):
        """409 names 1.1 (0x0110) and stores 1.2; 1.3, not named, is resent alone and stored."""
        fn = self._fn([self._answer(409, referenced=["1.2"], failed=[("1.1", 0x0110)]), self._answer(200, referenced=["1.3"])])
        out = self._run(fn, ["1.1", "1.2", "1.3"])
        stored = [o for o in out if isinstance(o, str)]
        failures = [o.value for o in out if getattr(o, "tag", None) == "failed"]
        assert stored == ["src/1.2", "src/1.3"]
        assert [(f["source"], f["stage"], f["error"]) for f in failures] == [("src/1.1", "write", "InstanceConflictError")]
        assert "HTTP 409" in failures[0]["message"] and "0x0110" in failures[0]["message"]
        assert self.session.calls == 2

    def test_out_of_resources_is_resent_then_rejected_when_attempts_end(self):
        """0xA700 is resent in a later round; a plain rejection (0xC000) is a DicomwebRejected record."""
        fn = self._fn([
            self._answer(202, referenced=["1.2"], failed=[("1.1", 0xA700), ("1.3", 0xC000)]),
            self._answer(200, referenced=["1.1"]),
        ])
        out = self._run(fn, ["1.1", "1.2", "1.3"])
        assert sorted(o for o in out if isinstance(o, str)) == ["src/1.1", "src/1.2"]
        failures = [o.value for o in out if getattr(o, "tag", None) == "failed"]
        assert [(f["source"], f["error"]) for f in failures] == [("src/1.3", "DicomwebRejected")]

    def test_batches_at_the_cap_and_no_two_parts_share_a_sop(self):
        """Two instances per request at most; a repeated SOP UID starts a new batch."""
        fn = self._fn([self._answer(200, referenced=["1.1", "1.2"]), self._answer(200, referenced=["1.1"])], batch=2)
        out = self._run(fn, ["1.1", "1.2", "1.1"])
        assert out.count("src/1.1") == 2 and self.session.calls == 2

    def test_no_answer_alone_is_a_bad_response(self):
        """A lone instance whose answer names nothing is DicomwebBadResponse."""
        fn = self._fn([_Response(200, body=b"")])
        out = self._run(fn, ["1.1"])
        assert [o.value["error"] for o in out if getattr(o, "tag", None) == "failed"] == ["DicomwebBadResponse"]


class TestSessions:
    def test_google_uses_an_authorized_session(self, tmp_path, monkeypatch):
        """auth google: google.auth.default() credentials in an AuthorizedSession (offline, a fake user file)."""
        from google.auth.transport.requests import AuthorizedSession

        from pipeline.connectors.dicomweb import make_session

        creds = tmp_path / "adc.json"
        creds.write_text(json.dumps({"type": "authorized_user", "client_id": "x", "client_secret": "x", "refresh_token": "x",
                                     "token_uri": "http://127.0.0.1:9/token"}))
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(creds))
        monkeypatch.setenv("NO_GCE_CHECK", "true")
        session = make_session(Service(GOOGLE, "n", "google", True, "source"))
        assert isinstance(session, AuthorizedSession)

    def test_basic_and_bearer(self):
        """basic sets the session's auth pair; bearer an Authorization header; neither shows in the Service repr."""
        from pipeline.connectors.dicomweb import Credentials, make_session

        basic = Service("http://h/x", "http://h/x", "basic", False, "source", Credentials({"USERNAME": "u", "PASSWORD": "pw-1"}))
        assert make_session(basic).auth == ("u", "pw-1") and "pw-1" not in repr(basic)
        bearer = Service("http://h/x", "http://h/x", "bearer", False, "source", Credentials({"TOKEN": "tok-1"}))
        assert make_session(bearer).headers["Authorization"] == "Bearer tok-1" and "tok-1" not in repr(bearer)
