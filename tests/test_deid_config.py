"""Config parsing and validation (spec section 1)."""

from __future__ import annotations

import pytest

from transforms.deid_config import BASIC, KEEP_ALL, MINIMAL, parse_config, parse_query
from transforms.errors import ConfigError
from transforms.dicom.profiles import compile_plan, pixel_image_spec


def problems(obj) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(obj)
    return info.value.problems


def test_empty_config_is_basic_profile():
    """{} means the Basic Profile with no actions."""
    spec = parse_config({})
    assert spec.profile == BASIC
    assert spec.actions == ()


def test_example_11_dicom_with_dicom_tag_config_rejected():
    """Example 11: legacy dicom with dicomTagConfig names both fields."""
    (msg,) = problems({"dicom": {}, "dicomTagConfig": {}})
    assert "config.dicom" in msg and "config.dicomTagConfig" in msg


def test_unknown_field_names_its_path():
    """A typo in a nested field is reported with its JSON path."""
    (msg,) = problems({"dicomTagConfig": {"actions": [{"queries": ["PatientName"], "keepTag": {}, "bogus": 1}]}})
    assert msg.startswith("config.dicomTagConfig.actions[0].bogus: unknown field")


def test_bad_query_names_its_index():
    """A query that is not a tag, keyword or VR names actions[i].queries[j]."""
    msgs = problems(
        {"dicomTagConfig": {"actions": [{"queries": ["PatientName"], "keepTag": {}}, {"queries": ["X", "PatientNam"], "deleteTag": {}}]}}
    )
    assert [m.split(":")[0] for m in msgs] == [
        "config.dicomTagConfig.actions[1].queries[0]",
        "config.dicomTagConfig.actions[1].queries[1]",
    ]


def test_every_problem_is_reported():
    """Several problems give several messages, not just the first."""
    msgs = problems({"dicomTagConfig": {"profileType": "NOPE", "actions": [{"queries": []}]}, "text": 3})
    assert len(msgs) >= 3


@pytest.mark.parametrize(
    "action, path",
    [
        ({"queries": ["PatientName"]}, "config.dicomTagConfig.actions[0]: needs exactly one action field"),
        ({"queries": ["PatientName"], "keepTag": {}, "deleteTag": {}}, "config.dicomTagConfig.actions[0]: needs exactly one"),
        ({"keepTag": {}}, "config.dicomTagConfig.actions[0].queries: is required"),
        ({"queries": [], "keepTag": {}}, "config.dicomTagConfig.actions[0].queries: needs at least one"),
        ({"queries": ["PatientName"], "regenUidTag": {}}, "config.dicomTagConfig.actions[0].queries[0]: regenUidTag does not apply"),
        ({"queries": ["00100010"], "recurseTag": {}}, "config.dicomTagConfig.actions[0].queries[0]: recurseTag does not apply"),
        ({"queries": ["PatientName"], "keepTag": {"x": 1}}, "config.dicomTagConfig.actions[0].keepTag.x: unknown field"),
    ],
)
def test_action_rules(action, path):
    """Each Action rule of spec section 1 is enforced with its path."""
    assert any(m.startswith(path) for m in problems({"dicomTagConfig": {"actions": [action]}}))


def test_vr_query_with_unsupported_action_is_allowed():
    """A VR query just skips unsupported elements: not a config error."""
    spec = parse_config({"dicomTagConfig": {"actions": [{"queries": ["PN"], "regenUidTag": {}}]}})
    assert spec.actions[0].queries[0].vr == "PN"


def test_legacy_lists_are_exclusive():
    """More than one of keepList/removeList/filterProfile is rejected."""
    (msg,) = problems({"dicom": {"keepList": {"tags": ["PatientID"]}, "filterProfile": "KEEP_ALL_PROFILE"}})
    assert msg.startswith("config.dicom: only one of")


def test_legacy_defaults_to_keep_all():
    """Legacy dicom without filterProfile is KEEP_ALL_PROFILE."""
    assert parse_config({"dicom": {}}).profile == KEEP_ALL


def test_legacy_keep_list_is_minimal_plus_tags():
    """keepList keeps the minimal list plus its tags; skipIdRedaction keeps the primary IDs."""
    spec = parse_config({"dicom": {"keepList": {"tags": ["PatientID", "00100010"]}, "skipIdRedaction": True}})
    assert spec.profile == MINIMAL
    assert [q.tag for q in spec.profile_keep] == [0x00100020, 0x00100010]
    assert spec.primary_ids == "KEEP"


def test_image_with_clean_image_rejected():
    """image together with dicomTagConfig.options.cleanImage is rejected."""
    msgs = problems(
        {"image": {"textRedactionMode": "REDACT_NO_TEXT"}, "dicomTagConfig": {"options": {"cleanImage": {}}}}
    )
    assert any("config.image" in m and "cleanImage" in m for m in msgs)


def test_info_types_need_sensitive_mode():
    """additionalInfoTypes with REDACT_NO_TEXT is rejected."""
    msgs = problems({"image": {"textRedactionMode": "REDACT_NO_TEXT", "additionalInfoTypes": ["PERSON_NAME"]}})
    assert any(m.startswith("config.image.additionalInfoTypes") for m in msgs)


@pytest.mark.parametrize(
    "obj, mode",
    [
        ({"image": {"textRedactionMode": "REDACT_ALL_TEXT"}}, "REDACT_ALL_TEXT"),
        ({"dicomTagConfig": {"options": {"cleanImage": {"textRedactionMode": "REDACT_SENSITIVE_TEXT"}}}}, "REDACT_SENSITIVE_TEXT"),
        ({"dicomTagConfig": {"actions": [{"queries": ["PixelData"], "cleanImageTag": {
            "textRedactionMode": "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS", "excludeInfoTypes": ["DATE"]}}]}},
         "REDACT_SENSITIVE_TEXT_CLEAN_DESCRIPTORS"),
        ({"dicomTagConfig": {"actions": [{"queries": ["OW"], "cleanImageTag": {"textRedactionMode": "REDACT_ALL_TEXT"}}]}},
         "REDACT_ALL_TEXT"),
    ],
)
def test_image_configs_apply_to_pixel_data(obj, mode):
    """image, cleanImage and cleanImageTag (by tag or by VR) give PixelData its redaction mode."""
    spec = parse_config(obj)
    assert pixel_image_spec(spec, "OW").mode == mode


def test_first_action_on_pixel_data_wins_over_clean_image():
    """An earlier keepTag on PixelData beats a later cleanImageTag and the cleanImage option."""
    spec = parse_config({"dicomTagConfig": {
        "options": {"cleanImage": {"textRedactionMode": "REDACT_ALL_TEXT"}},
        "actions": [{"queries": ["7FE00010"], "keepTag": {}},
                    {"queries": ["PixelData"], "cleanImageTag": {"textRedactionMode": "REDACT_ALL_TEXT"}}]}})
    assert pixel_image_spec(spec, "OB") is None
    spec = parse_config({"dicomTagConfig": {
        "actions": [{"queries": ["OB"], "cleanImageTag": {"textRedactionMode": "REDACT_ALL_TEXT"}}]}})
    assert pixel_image_spec(spec, "OW") is None  # an OB query does not reach OW pixel data
    assert compile_plan(spec).decide(0x00091010, "OB").value == "delete"  # other OB elements: profile


def test_text_features_accepted():
    """cleanTextTag, DEIDENTIFY_TAG_CONTENTS, cleanDescriptors and annotation parse."""
    spec = parse_config({
        "dicomTagConfig": {"profileType": "DEIDENTIFY_TAG_CONTENTS", "options": {"cleanDescriptors": {}},
                           "actions": [{"queries": ["PatientName"], "cleanTextTag": {}}]},
        "annotation": {"annotationStoreName": "projects/p/locations/l/datasets/d/annotationStores/a", "storeQuote": True},
    })
    assert spec.profile == "DEIDENTIFY_TAG_CONTENTS" and spec.clean_descriptors
    assert spec.actions[0].kind == "cleanTextTag" and spec.annotation.store_quote


def test_clean_text_tag_vr_rule():
    """cleanTextTag aimed at a UI tag is rejected with its path."""
    msgs = problems({"dicomTagConfig": {"actions": [{"queries": ["SOPInstanceUID"], "cleanTextTag": {}}]}})
    assert msgs[0].startswith("config.dicomTagConfig.actions[0].queries[0]: cleanTextTag does not apply")


def test_no_text_modes_are_accepted():
    """REDACT_NO_TEXT asks for nothing and is accepted."""
    spec = parse_config({"image": {"textRedactionMode": "REDACT_NO_TEXT"}})
    assert spec.clean_image.mode == "REDACT_NO_TEXT"


@pytest.mark.parametrize(
    "transformation, fragment",
    [
        ({"infoTypes": ["NOT_A_TYPE"], "redactConfig": {}}, "unknown infoType"),
        ({"infoTypes": [], "cryptoHashConfig": {"cryptoKey": "c2hvcnQ="}}, "16, 24 or 32 byte"),
        (
            {"cryptoHashConfig": {"cryptoKey": "A" * 44, "kmsWrapped": {"wrappedKey": "x", "cryptoKey": "k"}}},
            "cannot be used together",
        ),
        ({"redactConfig": {}, "characterMaskConfig": {}}, "needs exactly one"),
    ],
)
def test_text_config_rules(transformation, fragment):
    """Unknown infoTypes, bad keys, cryptoKey with kmsWrapped are rejected."""
    msgs = problems({"text": {"additionalTransformations": [transformation]}})
    assert any(fragment in m and m.startswith("config.text.additionalTransformations[0]") for m in msgs)


def test_key_values_never_in_messages():
    """A rejected key is not echoed into the message."""
    msgs = problems({"text": {"transformations": [{"dateShiftConfig": {"cryptoKey": "c2VjcmV0c2VjcmV0"}}]}})
    assert not any("c2VjcmV0" in m for m in msgs)


def test_request_body_and_snake_case():
    """A whole request body with snake_case fields is accepted; the filter URI is kept."""
    spec = parse_config(
        {
            "destination_store": "projects/p/locations/l/datasets/d/dicomStores/s",
            "config": {"dicom_tag_config": {"profile_type": "KEEP_ALL_PROFILE"}},
            "filterConfig": {"resourcePathsGcsUri": "gs://b/filter.txt"},
        }
    )
    assert spec.profile == KEEP_ALL
    assert spec.filter_uri == "gs://b/filter.txt"


@pytest.mark.parametrize("field", ["resourcePathsGcsUri", "resourcePathGcsUri", "resource_path_gcs_uri"])
def test_filter_config_takes_both_spellings(field):
    """The reference's resourcePathsGcsUri and the how-to's resourcePathGcsUri both give the filter."""
    spec = parse_config({"config": {}, "filterConfig": {field: "gs://b/filter.txt"}})
    assert spec.filter_uri == "gs://b/filter.txt"


def test_filter_config_refuses_both_spellings_at_once():
    with pytest.raises(ConfigError, match=r"request\.filterConfig: give one of resourcePathsGcsUri and resourcePathGcsUri"):
        parse_config({"filterConfig": {"resourcePathsGcsUri": "gs://b/a", "resourcePathGcsUri": "gs://b/b"}})
    with pytest.raises(ConfigError, match="resourcePathsGcsUri, resourcePathGcsUri"):
        parse_config({"filterConfig": {"resourcePathUri": "gs://b/a"}})


@pytest.mark.parametrize(
    "text, attr, value",
    [("00100010", "tag", 0x00100010), ("0011AbCd", "tag", 0x0011ABCD), ("PatientName", "tag", 0x00100010), ("PN", "vr", "PN"), ("OverlayData", "mask", "60xx3000")],
)
def test_parse_query(text, attr, value):
    """Tags, keywords, VRs and repeater keywords parse to the right query."""
    assert getattr(parse_query(text), attr) == value


@pytest.mark.parametrize("text", ["patientname", "0010001", "ZZ", "(0010,0010)", ""])
def test_parse_query_rejects(text):
    """Matching is exact: wrong case, short hex, unknown VR are errors."""
    with pytest.raises(ValueError, match="is not a tag"):
        parse_query(text)
