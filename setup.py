"""dicom-deid: a Beam pipeline that de-identifies DICOM archives (and, with fhir-deid, FHIR R4)."""

from setuptools import find_packages, setup

setup(
    name="dicom-deid",
    version="0.1.0",
    description="Apache Beam pipelines that de-identify DICOM instances and FHIR R4 resources "
    "(Cloud Healthcare API DeidentifyConfig semantics)",
    packages=find_packages(include=["pipeline", "pipeline.*", "transforms", "transforms.*"]),
    # The text detector's common-English word list (transforms/text/_generate_english.py).
    package_data={"transforms.text": ["data/*.txt.gz"]},
    python_requires=">=3.10",
    install_requires=[
        "apache-beam[gcp]>=2.77,<3",
        "pydicom>=3.0,<4",
        "numpy",
        "google-cloud-storage",
        "google-cloud-bigquery",
        "pytesseract",
        # Free-text detection: phone numbers (Google's libphonenumber rules beat our own regexes),
        # checksummed identifiers such as SSNs, and the 1990 US Census first-name and surname lists.
        "phonenumbers",
        "python-stdnum",
        "names",
        # pydicom's decoder plugins for JPEG-LS, JPEG Lossless and JPEG 2000: pixel redaction
        # must decode every compressed syntax it meets (Pillow covers only part of them).
        "pylibjpeg",
        "pylibjpeg-libjpeg",
        # (pylibjpeg-openjpeg also encodes JPEG 2000 Lossless: redacted JPEG 2000 and JPEG images
        # are written in it, docs/burned-in.md.)
        "pylibjpeg-openjpeg",
        # pydicom's JPEG-LS encoder (CharLS; MIT): a redacted JPEG-LS image stays JPEG-LS Lossless
        # instead of growing 2-10x uncompressed. Its decoder is used too (pydicom tries it first).
        "pyjpegls",
        # RLE Lossless re-encoding of redacted frames: the same bytes as pydicom's own
        # encoder, 10-15x faster.
        "pylibjpeg-rle",
        # Tesseract's C++ API in-process: 54 ms against 194 ms per 512x512 frame for pytesseract's
        # subprocess + PNG round trip (pytesseract stays the fallback).
        "tesserocr",
        # DICOMweb: STOW-RS bodies streamed from readers with a known Content-Length, WADO-RS
        # multipart answers split without touching the part bytes (requests and google-auth
        # come with apache-beam[gcp]).
        "requests",
        "requests-toolbelt",
        "google-auth",
        # --runner DaskRunner (SLURM/PBS clusters via dask-jobqueue, or dask-scheduler/dask-worker):
        # the packages of Beam's [dask] extra.
        "dask[distributed]",
        # Burned-in text detection and recognition: PP-OCRv4 (DBNet detector, SVTR recogniser) ONNX
        # models ship inside the rapidocr-onnxruntime wheel, run on onnxruntime (CPU); nothing is
        # downloaded at run time. On bench/burnedin_cases.py (seed 7) REDACT_ALL_TEXT left 56 of 90
        # readable identifiers readable with the former Tesseract detection, 1 with PP-OCR.
        "rapidocr-onnxruntime==1.4.4",
        "onnxruntime",
        "opencv-python",
    ],
    entry_points={"console_scripts": ["dicom-deid=pipeline.dicom.run:main", "fhir-deid=pipeline.fhir.run:main"]},
)
