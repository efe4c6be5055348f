"""Tests for transforms.pixels.pixeldata: decoding, OCR rendering and box redaction of PixelData."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from pydicom import dcmread
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate, generate_frames
from pydicom.pixels import apply_color_lut, convert_color_space, get_decoder, get_encoder, pack_bits, pixel_array
from pydicom.uid import (
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    RLELossless,
)

from transforms.pixels import pixeldata as pixels
from transforms.errors import DeidError, PixelDataError
from transforms.pixels.pixeldata import Box, decode_frames, frame_count, redact, render_for_ocr

SC_IMAGE = "1.2.840.10008.5.1.4.1.1.7"
PRIVATE_SYNTAX = "1.2.826.0.1.3680043.8.498.99999"
RNG_SEED = 20240601


def _needs(syntax: str) -> pytest.MarkDecorator:
    """Skip unless an installed plugin decodes ``syntax``."""
    return pytest.mark.skipif(
        not get_decoder(syntax).is_available, reason=f"no decoding plugin for {UID(syntax).name}"
    )


def _roundtrip(ds: Dataset) -> Dataset:
    """Write and read back, so the data set is as a file gives it."""
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return dcmread(io.BytesIO(buf.getvalue()))


def _bundled(name: str) -> Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dcmread(get_testdata_file(name))


def _native_bytes(arr: np.ndarray, planar: int = 0, order: str = "<") -> bytes:
    """Encode (F, H, W[, S]) values as native PixelData."""
    out = arr.astype(arr.dtype.newbyteorder(order))
    if planar and out.ndim == 4:
        out = out.transpose(0, 3, 1, 2)
    data = np.ascontiguousarray(out).tobytes()
    return data + b"\x00" * (len(data) % 2)


def _make(
    arr: np.ndarray,
    photometric: str,
    *,
    bits_stored: int | None = None,
    planar: int = 0,
    syntax: str = ExplicitVRLittleEndian,
    pixel_bytes: bytes | None = None,
    bits_allocated: int | None = None,
    **attrs: object,
) -> Dataset:
    """Return a small secondary capture instance holding ``arr`` (F, H, W[, S])."""
    frames, rows, columns = arr.shape[:3]
    samples = arr.shape[3] if arr.ndim == 4 else 1
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = syntax
    ds.file_meta.MediaStorageSOPClassUID = SC_IMAGE
    ds.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.1"
    ds.SOPClassUID = SC_IMAGE
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.8.498.1"
    ds.Modality = "OT"
    ds.Rows, ds.Columns = rows, columns
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    if samples > 1:
        ds.PlanarConfiguration = planar
    if frames > 1:
        ds.NumberOfFrames = frames
    ds.BitsAllocated = bits_allocated or arr.dtype.itemsize * 8
    ds.BitsStored = bits_stored or ds.BitsAllocated
    ds.HighBit = ds.BitsStored - 1
    ds.PixelRepresentation = int(arr.dtype.kind == "i")
    for keyword, value in attrs.items():
        setattr(ds, keyword, value)
    ds.PixelData = _native_bytes(arr, planar) if pixel_bytes is None else pixel_bytes
    ds["PixelData"].VR = "OB" if ds.BitsAllocated <= 8 else "OW"
    return _roundtrip(ds)


def _random(shape: tuple[int, ...], dtype: str, low: int, high: int) -> np.ndarray:
    rng = np.random.default_rng(RNG_SEED)
    return rng.integers(low, high, size=shape, endpoint=True).astype(dtype)


def _mask(shape: tuple[int, ...], frame: int, ys: slice, xs: slice) -> np.ndarray:
    mask = np.zeros(shape[:3], dtype=bool)
    mask[frame, ys, xs] = True
    return mask


def _palette(ds: Dataset, darkest: int) -> None:
    """Give ``ds`` 256-entry 16-bit grey palettes whose darkest entry is ``darkest``."""
    lut = (np.abs(np.arange(256) - darkest) * 200 + 1000).astype("<u2").tobytes()
    for colour in ("Red", "Green", "Blue"):
        setattr(ds, f"{colour}PaletteColorLookupTableDescriptor", [256, 0, 16])
        setattr(ds, f"{colour}PaletteColorLookupTableData", lut)


class TestBox:
    def test_rejects_inverted_corners(self):
        """A box whose end lies before its start is refused."""
        with pytest.raises(ValueError, match="x0 <= x1"):
            Box(5, 0, 4, 1)

    def test_is_frozen(self):
        """Boxes are immutable values."""
        with pytest.raises(AttributeError):
            Box(0, 0, 1, 1).x0 = 3  # type: ignore[misc]


class TestFrameCount:
    @pytest.mark.parametrize(
        "name, expected",
        [("CT_small.dcm", 1), ("SC_rgb_rle_2frame.dcm", 2), ("rtdose.dcm", 15)],
    )
    def test_counts(self, name, expected):
        """NumberOfFrames absent means one frame."""
        assert frame_count(_bundled(name)) == expected

    @pytest.mark.filterwarnings("ignore:Invalid value for VR IS")
    def test_invalid_value(self):
        """A NumberOfFrames that is not an integer raises PixelDataError."""
        with pytest.raises(PixelDataError, match="NumberOfFrames"):
            frame_count(_bundled("badVR.dcm"))


class TestDecodeFrames:
    def test_single_frame_grey_has_frame_axis(self):
        """A single grey frame comes back as (1, rows, columns)."""
        assert decode_frames(_bundled("CT_small.dcm")).shape == (1, 128, 128)

    def test_colour_and_multi_frame_shape(self):
        """Colour multi-frame data comes back as (frames, rows, columns, samples)."""
        assert decode_frames(_bundled("SC_rgb_rle_2frame.dcm")).shape == (2, 100, 100, 3)

    def test_stored_values_not_rescaled(self):
        """RescaleIntercept is not applied: the values are the stored ones."""
        arr = _random((1, 8, 8), "int16", -2048, 2047)
        ds = _make(arr, "MONOCHROME2", bits_stored=12, RescaleIntercept=-1024, RescaleSlope=1)
        np.testing.assert_array_equal(decode_frames(ds), arr)

    def test_big_endian_in_native_order(self):
        """Big endian data decode to the same values, in native byte order."""
        big = decode_frames(_bundled("MR_small_bigendian.dcm"))
        assert big.dtype.isnative
        np.testing.assert_array_equal(big, decode_frames(_bundled("MR_small.dcm")))

    def test_ybr_full_comes_back_as_rgb(self):
        """Native YBR_FULL is converted to RGB (pydicom's default)."""
        rgb = _random((1, 6, 8, 3), "uint8", 0, 255)
        ybr = convert_color_space(rgb, "RGB", "YBR_FULL")
        ds = _make(ybr, "YBR_FULL")
        assert np.abs(decode_frames(ds).astype(int) - rgb.astype(int)).max() <= 2

    def test_private_syntax_raises(self):
        """An unknown transfer syntax raises PixelDataError naming it, without pixel values."""
        arr = np.full((1, 4, 4), 12345, dtype="uint16")
        ds = _make(arr, "MONOCHROME2")
        ds.file_meta.TransferSyntaxUID = PRIVATE_SYNTAX
        with pytest.raises(PixelDataError, match=PRIVATE_SYNTAX) as info:
            decode_frames(ds)
        assert "12345" not in str(info.value)
        assert isinstance(info.value, DeidError)

    def test_corrupt_jpeg_raises(self):
        """A JPEG fragment that no plugin can decode raises PixelDataError naming the syntax."""
        ds = _bundled("SC_rgb_jpeg_dcmtk.dcm")
        ds.PixelData = encapsulate([b"\xff\xd8\xff\xdb" + b"\x07" * 64])
        with pytest.raises(PixelDataError, match="JPEG Baseline"):
            decode_frames(ds)

    def test_missing_pixel_data(self):
        """No PixelData raises PixelDataError."""
        ds = _bundled("CT_small.dcm")
        del ds.PixelData
        with pytest.raises(PixelDataError, match="no PixelData"):
            decode_frames(ds)


class TestRenderForOcr:
    @pytest.mark.parametrize(
        "name",
        [
            "CT_small.dcm",
            "MR_small.dcm",
            "SC_rgb_small_odd.dcm",
            "SC_rgb_jpeg_dcmtk.dcm",
            "examples_palette.dcm",
            "rtdose_1frame.dcm",
            "liver_1frame.dcm",
        ],
    )
    def test_uint8_grey(self, name):
        """Every photometric renders to a uint8 (rows, columns) image."""
        ds = _bundled(name)
        image = render_for_ocr(decode_frames(ds)[0], ds)
        assert image.dtype == np.uint8
        assert image.shape == (ds.Rows, ds.Columns)

    def test_monochrome1_inverted(self):
        """MONOCHROME1 renders as the inverse of the same values read as MONOCHROME2."""
        arr = _random((1, 16, 16), "uint16", 0, 4095)
        one = _make(arr, "MONOCHROME1", bits_stored=12)
        two = _make(arr, "MONOCHROME2", bits_stored=12)
        rendered1 = render_for_ocr(decode_frames(one)[0], one).astype(int)
        rendered2 = render_for_ocr(decode_frames(two)[0], two).astype(int)
        np.testing.assert_array_equal(rendered1, 255 - rendered2)
        assert rendered2.min() == 0 and rendered2.max() == 255

    def test_window_after_rescale(self):
        """The first window is applied to rescaled values; outside it clips to 0 and 255."""
        arr = np.array([[[0, 1000, 1024, 1064, 4000]]], dtype="uint16")
        ds = _make(
            arr,
            "MONOCHROME2",
            bits_stored=12,
            RescaleSlope=1,
            RescaleIntercept=-1024,
            WindowCenter=[40, 400],
            WindowWidth=[81, 2000],
        )
        image = render_for_ocr(decode_frames(ds)[0], ds)
        # HU -1024, -24, 0, 40, 2976; window 40/81 maps [-0.5, 79.5] linearly to [0, 255].
        assert image.tolist() == [[0, 0, 2, 129, 255]]

    def test_min_max_stretch_without_window(self):
        """Without a window the frame is stretched to 0..255."""
        arr = np.array([[[-100, 0, 100]]], dtype="int16")
        ds = _make(arr, "MONOCHROME2")
        assert render_for_ocr(decode_frames(ds)[0], ds).tolist() == [[0, 128, 255]]

    def test_rgb_bright_text_not_inverted(self):
        """Colour goes to luminance with no inversion: white stays 255, black stays 0."""
        arr = np.zeros((1, 2, 2, 3), dtype="uint8")
        arr[0, 0, 0] = 255
        ds = _make(arr, "RGB")
        assert render_for_ocr(decode_frames(ds)[0], ds).tolist() == [[255, 0], [0, 0]]

    def test_palette_through_lut(self):
        """PALETTE COLOR renders the LUT colour, not the index."""
        arr = np.array([[[37, 255, 0]]], dtype="uint8")
        ds = Dataset()
        _palette(ds, darkest=37)
        ds = _make(arr, "PALETTE COLOR", **{k: ds[k].value for k in ds.dir()})
        image = render_for_ocr(decode_frames(ds)[0], ds)
        # Entry 37 is the darkest colour (1000 / 65535), entry 255 the brightest.
        assert image[0, 0] < image[0, 2] < image[0, 1]

    def test_wrong_shape(self):
        """A frame that is neither (H, W) nor (H, W, 3) is refused."""
        with pytest.raises(ValueError, match="shaped"):
            render_for_ocr(np.zeros((2, 2, 2, 2), dtype="uint8"), Dataset())


NATIVE_CASES = [
    # dtype, photometric, bits stored, planar, samples, low, high
    ("uint8", "MONOCHROME2", 8, 0, 1, 10, 250),
    ("uint16", "MONOCHROME2", 16, 0, 1, 100, 60000),
    ("int16", "MONOCHROME2", 12, 0, 1, -2048, 2047),
    ("int8", "MONOCHROME2", 8, 0, 1, -100, 100),
    ("uint16", "MONOCHROME1", 12, 0, 1, 0, 4095),
    ("int16", "MONOCHROME1", 16, 0, 1, -30000, 30000),
    ("uint8", "RGB", 8, 0, 3, 1, 255),
    ("uint8", "RGB", 8, 1, 3, 1, 255),
    ("uint16", "RGB", 16, 1, 3, 1, 65535),
]


class TestRedactNative:
    @pytest.mark.parametrize("dtype, photometric, bits, planar, samples, low, high", NATIVE_CASES)
    def test_only_box_bytes_change(self, dtype, photometric, bits, planar, samples, low, high):
        """Inside the box every sample is black, outside nothing changes, the layout is kept."""
        shape = (1, 12, 16) + ((samples,) if samples > 1 else ())
        arr = _random(shape, dtype, low, high)
        ds = _make(arr, photometric, bits_stored=bits, planar=planar)
        before = ds.PixelData
        changed = redact(ds, {0: [Box(4, 3, 9, 6)]}, margin=1)

        expected = arr.copy()
        if photometric == "RGB":
            black = np.zeros(samples, dtype=dtype)
        else:
            black = arr.min() if photometric == "MONOCHROME2" else arr.max()
        expected[0, 2:7, 3:10] = black
        region = arr[0, 2:7, 3:10] != black
        assert changed == int((region.any(axis=-1) if samples > 1 else region).sum())
        np.testing.assert_array_equal(decode_frames(ds), expected)
        assert ds.PixelData == _native_bytes(expected, planar)
        assert len(ds.PixelData) == len(before)
        assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
        assert (ds.BitsAllocated, ds.BitsStored) == (arr.dtype.itemsize * 8, bits)
        assert ds.PixelRepresentation == int(arr.dtype.kind == "i")
        assert ds.PhotometricInterpretation == photometric
        if samples > 1:
            assert ds.PlanarConfiguration == planar
        np.testing.assert_array_equal(decode_frames(_roundtrip(ds)), expected)

    def test_signed_black_is_twos_complement(self):
        """A negative frame minimum is written sign-extended over BitsAllocated."""
        arr = _random((1, 4, 4), "int16", -2048, 2047)
        arr[0, 3, 3] = -2048
        ds = _make(arr, "MONOCHROME2", bits_stored=12)
        redact(ds, {0: [Box(0, 0, 1, 1)]}, margin=0)
        assert ds.PixelData[:2] == np.array(-2048, dtype="<i2").tobytes()

    def test_margin_grows_and_clips(self):
        """The margin grows each box; boxes are clipped to the image."""
        arr = np.full((1, 20, 20), 9, dtype="uint8")
        arr[0, 19, 19] = 0
        ds = _make(arr, "MONOCHROME2")
        assert redact(ds, {0: [Box(10, 10, 11, 11)]}, margin=2) == 25
        assert redact(ds, {0: [Box(-5, -5, 3, 3)]}, margin=0) == 9
        assert redact(ds, {0: [Box(0, 0, 1, 1), Box(30, 30, 40, 40)]}, margin=0) == 0

    def test_multi_frame_only_listed_frame(self):
        """A box on frame 2 (index 1) changes frame 2 only, with that frame's black."""
        arr = _random((3, 10, 10), "uint16", 500, 4000)
        arr[1, 9, 9] = 100
        ds = _make(arr, "MONOCHROME2", bits_stored=12)
        size = 10 * 10 * 2
        before = ds.PixelData
        assert redact(ds, {1: [Box(2, 2, 4, 4)]}, margin=0) == 4
        assert ds.PixelData[:size] == before[:size]
        assert ds.PixelData[2 * size :] == before[2 * size :]
        frames = decode_frames(ds)
        assert (frames[1, 2:4, 2:4] == 100).all()
        mask = _mask(arr.shape, 1, slice(2, 4), slice(2, 4))
        np.testing.assert_array_equal(frames[~mask], arr[~mask])
        assert ds.NumberOfFrames == 3

    def test_count_sums_frames(self):
        """The returned count adds up the changed pixels of every listed frame."""
        arr = np.full((3, 6, 6), 7, dtype="uint8")
        arr[:, 5, 5] = 1
        ds = _make(arr, "MONOCHROME2")
        assert redact(ds, {0: [Box(0, 0, 2, 2)], 2: [Box(0, 0, 3, 1), Box(0, 0, 1, 3)]}, 0) == 9

    def test_one_bit(self):
        """BitsAllocated 1 is unpacked, filled and packed back."""
        arr = np.ones((1, 8, 12), dtype="uint8")
        arr[0, 7, 0] = 0
        data = pack_bits(arr)
        ds = _make(arr, "MONOCHROME2", bits_allocated=1, bits_stored=1, pixel_bytes=data)
        assert redact(ds, {0: [Box(2, 1, 5, 3)]}, margin=0) == 6
        expected = arr.copy()
        expected[0, 1:3, 2:5] = 0
        np.testing.assert_array_equal(decode_frames(ds), expected)
        assert ds.PixelData == pack_bits(expected)

    def test_ybr_full_stays_ybr(self):
        """Native YBR_FULL keeps its photometric; black is Y 0, Cb and Cr 128 (RGB 0)."""
        rgb = _random((1, 6, 8, 3), "uint8", 30, 255)
        ds = _make(convert_color_space(rgb, "RGB", "YBR_FULL"), "YBR_FULL")
        assert redact(ds, {0: [Box(1, 1, 4, 3)]}, margin=0) == 6
        assert ds.PhotometricInterpretation == "YBR_FULL"
        assert (decode_frames(ds)[0, 1:3, 1:4] == 0).all()
        stored = pixel_array(ds, as_rgb=False)
        assert (stored[1:3, 1:4] == (0, 128, 128)).all()

    def test_ybr_full_422_whole_pairs(self):
        """Native YBR_FULL_422 is filled in whole chroma pairs and stays YBR_FULL_422."""
        ds = _bundled("SC_ybr_full_422_uncompressed.dcm")
        before = decode_frames(ds)
        raw_before = ds.PixelData
        redact(ds, {0: [Box(3, 10, 8, 20)]}, margin=0)
        assert ds.PhotometricInterpretation == "YBR_FULL_422"
        assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
        after = decode_frames(ds)
        mask = _mask(before.shape, 0, slice(10, 20), slice(2, 8))
        assert (after[mask] == 0).all()
        np.testing.assert_array_equal(after[~mask], before[~mask])
        row = 10 * ds.Columns * 2  # two bytes per pixel
        assert ds.PixelData[row + 2 * 2 : row + 2 * 8] == b"\x00\x00\x80\x80" * 3
        assert len(ds.PixelData) == len(raw_before)

    def test_palette_darkest_index(self):
        """PALETTE COLOR boxes get the index whose LUT colour is darkest."""
        arr = _random((1, 10, 10), "uint8", 0, 255)
        arr[arr == 37] = 38
        lut = Dataset()
        _palette(lut, darkest=37)
        ds = _make(arr, "PALETTE COLOR", **{k: lut[k].value for k in lut.dir()})
        assert redact(ds, {0: [Box(0, 0, 3, 2)]}, margin=0) == 6
        assert (decode_frames(ds)[0, 0:2, 0:3] == 37).all()

    def test_bundled_palette(self):
        """The bundled palette image is blacked out with its own darkest entry."""
        ds = _bundled("examples_palette.dcm")
        colours = apply_color_lut(np.arange(256, dtype="uint8"), ds).astype(float)
        darkest = int(np.argmin(colours @ np.array(pixels.LUMA_WEIGHTS)))
        redact(ds, {0: [Box(100, 100, 140, 120)]}, margin=0)
        assert (decode_frames(ds)[0, 100:120, 100:140] == darkest).all()

    @pytest.mark.parametrize(
        "name, syntax",
        [
            ("MR_small_bigendian.dcm", ExplicitVRBigEndian),
            ("MR_small_implicit.dcm", ImplicitVRLittleEndian),
            ("image_dfl.dcm", DeflatedExplicitVRLittleEndian),
            ("CT_small.dcm", ExplicitVRLittleEndian),
            ("rtdose.dcm", ImplicitVRLittleEndian),
            ("rtdose_expb.dcm", ExplicitVRBigEndian),
        ],
    )
    def test_bundled_keep_syntax(self, name, syntax):
        """Native bundled files keep their transfer syntax and survive a file round trip."""
        ds = _bundled(name)
        before = decode_frames(ds)
        last = frame_count(ds) - 1
        assert redact(ds, {last: [Box(1, 5, 6, 9)]}, margin=0) > 0
        assert ds.file_meta.TransferSyntaxUID == syntax
        after = decode_frames(_roundtrip(ds))
        black = before[last].min()
        assert (after[last, 5:9, 1:6] == black).all()
        mask = _mask(before.shape, last, slice(5, 9), slice(1, 6))
        np.testing.assert_array_equal(after[~mask], before[~mask])

    def test_big_endian_8_bit_ow(self):
        """8-bit values in an OW value of Explicit VR Big Endian lie swapped pairwise (OBXXXX1A_expb)."""
        arr = _random((2, 6, 10), "uint8", 20, 255)
        logical = arr.tobytes()
        stored = np.frombuffer(logical, np.uint8).reshape(-1, 2)[:, ::-1].tobytes()
        ds = _make(arr, "MONOCHROME2", syntax=ExplicitVRBigEndian, pixel_bytes=stored)
        ds["PixelData"].VR = "OW"
        ds = _roundtrip(ds)
        np.testing.assert_array_equal(decode_frames(ds), arr)  # as pydicom reads it
        assert redact(ds, {1: [Box(3, 1, 6, 4)]}, margin=0) == 9
        after = decode_frames(_roundtrip(ds))
        mask = _mask(arr.shape, 1, slice(1, 4), slice(3, 6))
        assert (after[mask] == arr[1].min()).all()
        np.testing.assert_array_equal(after[~mask], arr[~mask])
        assert ds.file_meta.TransferSyntaxUID == ExplicitVRBigEndian

    def test_odd_length_padding_kept(self):
        """An odd-length native PixelData keeps its length and padding byte."""
        ds = _bundled("SC_rgb_small_odd.dcm")
        before = ds.PixelData
        assert redact(ds, {0: [Box(0, 0, 1, 1)]}, margin=0) == 1
        assert len(ds.PixelData) == len(before) and ds.PixelData[-1:] == before[-1:]
        assert ds.PixelData[3:] == before[3:]


class TestRedactRle:
    def test_rgb_rle_stays_rle(self):
        """RLE Lossless input is re-encoded as RLE Lossless, exact outside the box."""
        ds = _bundled("SC_rgb_rle.dcm")
        before = decode_frames(ds)
        assert redact(ds, {0: [Box(20, 30, 50, 40)]}, margin=0) > 0
        ds = _roundtrip(ds)
        assert ds.file_meta.TransferSyntaxUID == RLELossless
        after = decode_frames(ds)
        mask = _mask(before.shape, 0, slice(30, 40), slice(20, 50))
        assert (after[mask] == 0).all()
        np.testing.assert_array_equal(after[~mask], before[~mask])

    def test_signed_rle(self):
        """Signed 16-bit RLE gets the frame minimum and stays RLE."""
        ds = _bundled("MR_small_RLE.dcm")
        before = decode_frames(ds)
        redact(ds, {0: [Box(0, 0, 64, 8)]}, margin=0)
        assert ds.file_meta.TransferSyntaxUID == RLELossless
        after = decode_frames(_roundtrip(ds))
        assert (after[0, :8] == before.min()).all()
        np.testing.assert_array_equal(after[0, 8:], before[0, 8:])

    def test_multi_frame_keeps_other_fragments(self):
        """A box on frame 2 re-encodes frame 2 only; frame 1's fragment is byte-identical."""
        ds = _bundled("SC_rgb_rle_2frame.dcm")
        before = decode_frames(ds)
        fragments = list(generate_frames(ds.PixelData, number_of_frames=2))
        redact(ds, {1: [Box(0, 0, 10, 10)]}, margin=0)
        ds = _roundtrip(ds)
        after_fragments = list(generate_frames(ds.PixelData, number_of_frames=2))
        assert after_fragments[0] == fragments[0]
        assert after_fragments[1] != fragments[1]
        after = decode_frames(ds)
        np.testing.assert_array_equal(after[0], before[0])
        assert (after[1, :10, :10] == 0).all()
        np.testing.assert_array_equal(after[1, 10:], before[1, 10:])

    def test_ybr_full_rle_stays_ybr(self):
        """YBR_FULL RLE stays YBR_FULL with stored black Y 0, Cb and Cr 128."""
        rgb = _random((1, 8, 8, 3), "uint8", 30, 255)
        ds = _make(convert_color_space(rgb, "RGB", "YBR_FULL"), "YBR_FULL")
        ds.compress(RLELossless, encoding_plugin="pydicom", generate_instance_uid=False)
        ds = _roundtrip(ds)
        redact(ds, {0: [Box(0, 0, 4, 4)]}, margin=0)
        ds = _roundtrip(ds)
        assert ds.file_meta.TransferSyntaxUID == RLELossless
        assert ds.PhotometricInterpretation == "YBR_FULL"
        assert (pixel_array(ds, as_rgb=False)[:4, :4] == (0, 128, 128)).all()
        assert (decode_frames(ds)[0, :4, :4] == 0).all()

    def test_32_bit_rle_written_uncompressed(self):
        """RLE that pydicom cannot encode (32-bit) is written Explicit VR Little Endian."""
        ds = _bundled("rtdose_rle.dcm")
        before = decode_frames(ds)
        redact(ds, {14: [Box(0, 0, 3, 3)]}, margin=0)
        ds = _roundtrip(ds)
        assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
        assert ds.NumberOfFrames == 15 and "LossyImageCompression" not in ds
        after = decode_frames(ds)
        assert (after[14, :3, :3] == before[14].min()).all()
        mask = _mask(before.shape, 14, slice(0, 3), slice(0, 3))
        np.testing.assert_array_equal(after[~mask], before[~mask])


# Input syntax -> output syntax of a redacted encapsulated image (docs/burned-in.md).
REENCODED = [
    # name, source syntax, output syntax, output photometric, lossy source
    ("SC_rgb_dcmtk_+eb+cy+np.dcm", JPEGBaseline8Bit, JPEG2000Lossless, "YBR_RCT", True),  # YBR_FULL_422
    ("SC_rgb_jpeg_dcmtk.dcm", JPEGBaseline8Bit, JPEG2000Lossless, "YBR_RCT", True),  # YBR_FULL
    ("SC_jpeg_no_color_transform.dcm", JPEGBaseline8Bit, JPEG2000Lossless, "YBR_RCT", True),  # RGB
    ("JPGExtended.dcm", JPEGExtended12Bit, JPEG2000Lossless, "MONOCHROME2", True),
    ("SC_rgb_jpeg_gdcm.dcm", JPEGLosslessSV1, JPEG2000Lossless, "YBR_RCT", False),
    ("JPEG-LL.dcm", JPEGLosslessSV1, JPEG2000Lossless, "MONOCHROME2", False),
    ("MR_small_jp2klossless.dcm", JPEG2000Lossless, JPEG2000Lossless, "MONOCHROME2", False),
    ("US1_J2KR.dcm", JPEG2000Lossless, JPEG2000Lossless, "YBR_RCT", False),  # pydicom-data
    ("RG1_J2KR.dcm", JPEG2000Lossless, JPEG2000Lossless, "MONOCHROME1", False),  # pydicom-data, 15 bits
    ("JPEG2000.dcm", JPEG2000, JPEG2000Lossless, "MONOCHROME2", True),  # signed
    ("US1_J2KI.dcm", JPEG2000, JPEG2000Lossless, "YBR_RCT", True),  # YBR_ICT, pydicom-data
    ("MR_small_jpeg_ls_lossless.dcm", JPEGLSLossless, JPEGLSLossless, "MONOCHROME2", False),
    ("JPEGLSNearLossless_16.dcm", JPEGLSNearLossless, JPEGLSLossless, "MONOCHROME2", True),
    ("SC_rgb_jls_lossy_line.dcm", JPEGLSNearLossless, JPEGLSLossless, "RGB", True),
    ("SC_rgb_small_odd_jpeg.dcm", JPEGBaseline8Bit, ExplicitVRLittleEndian, "RGB", True),  # 3 x 3: too small for openjpeg
]


class TestRedactCompressed:
    @pytest.mark.parametrize(
        "name, syntax, output, photometric, lossy",
        [pytest.param(*case, marks=_needs(case[1]), id=case[0]) for case in REENCODED],
    )
    def test_output_syntax_and_exact_pixels(self, name, syntax, output, photometric, lossy):
        """Each encapsulated syntax is written in its documented output syntax; the written image decodes
        exactly to the redacted one (box black, every other value as decoded before); a lossy source says
        LossyImageCompression 01 with its ratio and method kept, a lossless one keeps what it declared."""
        ds = _bundled(name)
        assert ds.file_meta.TransferSyntaxUID == syntax
        history = {k: ds.get(k) for k in ("LossyImageCompression", "LossyImageCompressionRatio",
                                         "LossyImageCompressionMethod")}
        before = decode_frames(ds)
        rows, columns = before.shape[1:3]
        box = Box(columns // 4, rows // 4, columns // 2 + 1, rows // 2 + 1)
        assert redact(ds, {0: [box]}, margin=0) > 0
        ds = _roundtrip(ds)
        assert ds.file_meta.TransferSyntaxUID == output
        assert ds.PhotometricInterpretation == photometric
        assert ds["PixelData"].is_undefined_length == (output != ExplicitVRLittleEndian)
        assert ds.get("LossyImageCompression") == ("01" if lossy else history["LossyImageCompression"])
        for keyword in ("LossyImageCompressionRatio", "LossyImageCompressionMethod"):
            assert ds.get(keyword) == history[keyword]
        if before.ndim == 4:
            assert ds.PlanarConfiguration == 0
        after = decode_frames(ds)
        assert after.dtype == before.dtype and after.shape == before.shape
        black = 0 if before.ndim == 4 else (before[0].max() if photometric == "MONOCHROME1" else before[0].min())
        mask = _mask(before.shape, 0, slice(rows // 4, rows // 2 + 1), slice(columns // 4, columns // 2 + 1))
        assert (after[mask] == black).all()
        np.testing.assert_array_equal(after[~mask], before[~mask])

    def test_multi_frame_lossless_keeps_unchanged_fragments(self):
        """A box on frame 3 of a 10-frame JPEG 2000 Lossless image re-encodes frame 3 only."""
        ds = _bundled("emri_small_jpeg_2k_lossless.dcm")
        fragments = list(generate_frames(ds.PixelData, number_of_frames=10))
        before = decode_frames(ds)
        redact(ds, {3: [Box(0, 0, 20, 10)]}, margin=0)
        ds = _roundtrip(ds)
        assert ds.file_meta.TransferSyntaxUID == JPEG2000Lossless
        after_fragments = list(generate_frames(ds.PixelData, number_of_frames=10))
        assert [a == b for a, b in zip(fragments, after_fragments)] == [i != 3 for i in range(10)]
        after = decode_frames(ds)
        mask = _mask(before.shape, 3, slice(0, 10), slice(0, 20))
        assert (after[mask] == before[3].min()).all()
        np.testing.assert_array_equal(after[~mask], before[~mask])

    def test_multi_frame_jpeg(self):
        """A box on frame 2 of a 30-frame YBR_FULL_422 JPEG: every frame re-encoded as JPEG 2000
        Lossless, only frame 2 differs from the decoded source."""
        ds = _bundled("examples_ybr_color.dcm")
        before = decode_frames(ds)
        redact(ds, {1: [Box(0, 0, 50, 20)]}, margin=0)
        assert ds.NumberOfFrames == 30
        assert ds.PhotometricInterpretation == "YBR_RCT"
        assert ds.file_meta.TransferSyntaxUID == JPEG2000Lossless
        after = decode_frames(ds)
        mask = _mask(before.shape, 1, slice(0, 20), slice(0, 50))
        assert (after[mask] == 0).all()
        np.testing.assert_array_equal(after[~mask], before[~mask])

    @pytest.mark.parametrize(
        "syntax, dtype, bits, side, fits, plugins, expected",
        [
            (JPEGLSLossless, "uint16", 12, 64, True, None, JPEGLSLossless),
            (JPEGLSLossless, "uint16", 12, 64, True, (), JPEG2000Lossless),  # no pyjpegls
            (JPEG2000, "uint16", 16, 64, False, None, ExplicitVRLittleEndian),  # a value outside BitsStored
            (JPEG2000, "uint32", 32, 64, True, None, ExplicitVRLittleEndian),  # openjpeg: 24 bits at most
            (JPEG2000, "uint16", 16, 31, True, None, ExplicitVRLittleEndian),  # openjpeg: 32 px at least
            (JPEGLSNearLossless, "uint8", 1, 64, True, None, JPEG2000Lossless),  # JPEG-LS: 2 bits at least
        ],
    )
    def test_fallbacks(self, syntax, dtype, bits, side, fits, plugins, expected, monkeypatch):
        """The output syntax falls back to JPEG 2000 Lossless, then Explicit VR Little Endian, when an
        encoder is missing or does not take the image."""
        if plugins is not None:
            monkeypatch.setattr(get_encoder(JPEGLSLossless), "_available", {})
        ds = _make(np.zeros((1, side, 64), dtype), "MONOCHROME2")
        ds.BitsStored = bits
        plan = pixels.reencoding(ds, UID(syntax), np.dtype(dtype), "MONOCHROME2", False, fits)
        assert plan.syntax == expected
        assert plan.keeps_fragments == (expected == syntax)

    def test_deterministic(self):
        """Re-encoding the same redaction twice gives the same bytes (reruns write the same files)."""
        out = []
        for _ in range(2):
            ds = _bundled("US1_J2KI.dcm")
            redact(ds, {0: [Box(10, 10, 60, 40)]})
            out.append(ds.PixelData)
        assert out[0] == out[1]

    def test_already_black_leaves_compressed_data(self):
        """Boxes over pixels that are already black change nothing, not even the syntax."""
        ds = _bundled("SC_rgb_jpeg_dcmtk.dcm")
        frame = decode_frames(ds)[0]
        ys, xs = np.nonzero((frame == 0).all(axis=-1))
        before = ds.PixelData
        assert redact(ds, {0: [Box(int(xs[0]), int(ys[0]), int(xs[0]) + 1, int(ys[0]) + 1)]},
                      margin=0) == 0
        assert ds.PixelData == before and ds.file_meta.TransferSyntaxUID == JPEGBaseline8Bit


class TestNothingToRedact:
    @pytest.mark.parametrize("name", ["CT_small.dcm", "SC_rgb_rle.dcm", "SC_rgb_jpeg_dcmtk.dcm"])
    @pytest.mark.parametrize("boxes", [{}, {0: []}, {0: [], 5: []}])
    def test_pixel_data_untouched(self, name, boxes):
        """No box means PixelData and the transfer syntax stay byte-identical."""
        ds = _bundled(name)
        before, syntax = ds.PixelData, ds.file_meta.TransferSyntaxUID
        assert redact(ds, boxes) == 0
        assert ds.PixelData is before
        assert ds.file_meta.TransferSyntaxUID == syntax


class TestRedactErrors:
    def test_frame_out_of_range(self):
        """A frame index past NumberOfFrames is a caller error."""
        with pytest.raises(ValueError, match="frame index"):
            redact(_bundled("CT_small.dcm"), {1: [Box(0, 0, 1, 1)]})

    def test_negative_margin(self):
        """A negative margin is refused."""
        with pytest.raises(ValueError, match="margin"):
            redact(_bundled("CT_small.dcm"), {0: [Box(0, 0, 1, 1)]}, margin=-1)

    @pytest.mark.parametrize("syntax", [PRIVATE_SYNTAX, JPEGLSLossless])
    def test_undecodable_raises_without_values(self, syntax, monkeypatch):
        """An undecodable transfer syntax raises PixelDataError; the instance is untouched."""
        if syntax == JPEGLSLossless:
            # Simulate a worker without a JPEG-LS plugin.
            decoder = get_decoder(JPEGLSLossless)
            monkeypatch.setattr(decoder, "_available", {})
        arr = np.full((1, 4, 4), 23456, dtype="uint16")
        ds = _make(arr, "MONOCHROME2")
        ds.file_meta.TransferSyntaxUID = syntax
        before = ds.PixelData
        with pytest.raises(PixelDataError) as info:
            redact(ds, {0: [Box(0, 0, 2, 2)]})
        message = str(info.value)
        assert str(syntax) in message and "23456" not in message
        assert ds.PixelData is before and ds.file_meta.TransferSyntaxUID == syntax

    @pytest.mark.parametrize(
        "name", ["CT_small.dcm", "SC_rgb_rle.dcm", "SC_rgb_jpeg_dcmtk.dcm", "rtdose_rle.dcm"]
    )
    def test_failed_write_restores(self, name, monkeypatch):
        """When the rewritten data do not check out, the instance is left exactly as it was."""
        ds = _bundled(name)
        kept = {k: ds[k].value for k in ("PixelData", "PhotometricInterpretation")}
        syntax = ds.file_meta.TransferSyntaxUID
        lossy = ds.get("LossyImageCompression")

        def fail(*args: object, **kwargs: object) -> None:
            raise PixelDataError("the rewritten PixelData does not decode to the redacted image")

        monkeypatch.setattr(pixels, "_verify", fail)
        with pytest.raises(PixelDataError, match="rewritten"):
            redact(ds, {0: [Box(0, 0, 8, 8)]}, margin=0)
        assert ds.PixelData == kept["PixelData"]
        assert ds.PhotometricInterpretation == kept["PhotometricInterpretation"]
        assert ds.file_meta.TransferSyntaxUID == syntax
        assert ds.get("LossyImageCompression") == lossy

    def test_unsupported_photometric(self):
        """A photometric interpretation redaction cannot black out raises PixelDataError."""
        arr = _random((1, 4, 4, 3), "uint8", 1, 255)
        ds = _make(arr, "RGB")
        ds.PhotometricInterpretation = "YBR_PARTIAL_422"
        with pytest.raises(PixelDataError):
            redact(ds, {0: [Box(0, 0, 2, 2)]})


# --- ink_views: print hidden in a picture as bright as its pen ---------------------------------


def _pen_over_picture(pen: int, organ: int, noise: float = 60.0) -> tuple[np.ndarray, np.ndarray]:
    """A 12-bit frame: a noisy organ with a line of print drawn at one pen value; and the print's mask."""
    from tests.factories import burn_text

    rng = np.random.default_rng(RNG_SEED)
    rows = columns = 256
    picture = np.full((rows, columns), 900.0)
    picture[60:180, 20:236] = organ
    picture = np.clip(picture + rng.normal(0, noise, picture.shape), 0, 4095)
    mask = burn_text((rows, columns), ["QUENNEVILLE 48151623"], origin=(30, 100), size=18)
    frame = np.round(picture * (1 - mask) + pen * mask).astype(np.uint16)
    return frame, mask


def _view(frame: np.ndarray) -> np.ndarray:
    return np.round(frame.astype(np.float64) / 4095 * 255).astype(np.uint8)


def test_ink_view_shows_print_as_bright_as_the_picture_under_it():
    """A pen 50 of 4096 levels above the organ (3 grey levels in the view): one ink view over the
    print's rows, the print white in it and the organ around it dark."""
    frame, mask = _pen_over_picture(pen=3650, organ=3600)
    found = pixels.ink_views(frame, _view(frame))
    assert found, "the hidden pen was not found"
    rows = np.flatnonzero(mask.max(axis=1) > 0.5)
    for ink, (x0, y0, x1, y1), pen in found:
        assert pen.dtype == bool and pen[mask == 1].all()
        assert ink.dtype == np.uint8 and ink.shape == frame.shape
        assert (x0, x1) == (0, frame.shape[1]) and y0 <= rows[0] and y1 > rows[-1]
    best = max(float(ink[mask == 1].mean()) - float(ink[60:90, 20:236].mean()) for ink, _, _ in found)
    assert best > 100


def test_ink_view_not_made_for_print_the_rendering_shows():
    """White print over a dark picture, a picture without print, and colour frames: no ink view."""
    frame, _ = _pen_over_picture(pen=4095, organ=600)
    assert pixels.ink_views(frame, _view(frame)) == []
    rng = np.random.default_rng(RNG_SEED)
    plain = np.clip(rng.normal(2000, 300, (256, 256)), 0, 4095).astype(np.uint16)
    assert pixels.ink_views(plain, _view(plain)) == []
    colour = rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)
    assert pixels.ink_views(colour, colour[..., 0]) == []


def test_ink_view_skips_bitmaps_and_32_bit_ranges():
    """Two-value frames and 32-bit value ranges are not searched for a pen (no histogram is built)."""
    frame, _ = _pen_over_picture(pen=3650, organ=3600)
    wide = frame.astype(np.int64) * 100_000
    assert pixels.ink_views(wide, _view(frame)) == []
    bitmap = (frame > 2000).astype(np.uint16)
    assert pixels.ink_views(bitmap, _view(frame)) == []


def test_native_ybr_full_422_is_a_whole_instance():
    """Native YBR_FULL_422 holds two values per pixel (Y Y Cb Cr per pair), not three: such a
    file is complete (it was refused as truncated), one byte less is not."""
    from transforms.dicom import codec
    from transforms.errors import TruncatedInstanceError

    with open(get_testdata_file("SC_ybr_full_422_uncompressed.dcm"), "rb") as f:
        data = f.read()
    ds = codec.parse(data)
    assert codec.native_pixel_bits(ds) == ds.Rows * ds.Columns * 2 * 8 == len(ds.PixelData) * 8
    short = dcmread(io.BytesIO(data))
    short.PixelData = short.PixelData[:-2]
    buf = io.BytesIO()
    short.save_as(buf, enforce_file_format=True)
    with pytest.raises(TruncatedInstanceError):
        codec.parse(buf.getvalue())
