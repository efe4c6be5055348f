"""What a word is: a name word, a common English word, a technical or clinical term.

The name rules of the detector need to know which capitalised words are evidence of a name and
which are not; the layout rules of burned-in text (``layout="header"``) need to know which words
are known technical terms (everything else there is treated as sensitive). Lists:

* census names: the 1990 US Census first names (``names`` package, 5,494) and surnames (88,799),
  the surnames minus common English words (``BROWN``, ``HALL``, ``LONG``: they stay names only
  in a name's shape, after a given name or a title);
* common English words: SCOWL via Debian ``wamerican`` (63,849 lower-case entries, generated
  into ``data/english_words.txt.gz`` by ``_generate_english.py``);
* rare English words: the words of SCOWL size 70 (Debian ``wamerican-large``) beyond size 50
  (``GLENOID``, ``LABRUM``, ``GYRUS``; 51,313, ``data/english_rare_words.txt.gz``): too often
  names (``HAMZA``, ``NAIRA``, ``SILVA``) to be ordinary words by themselves, used only for two
  dictionary words that stand together;
* clinical words: the words the DICOM code dictionary pydicom ships writes in lower case
  (``pallidus``, ``fossa``, ``contracta``; 551 beyond English, from the half of its meanings the
  evaluation does not hold out: ``data/clinical_words.txt.gz``, ``_generate_clinical.py``);
* clinical English: the common English words the same meanings write in lower case (``line``,
  ``point``, ``notch``: ``data/clinical_english.txt.gz``), the nouns that follow an eponym;
* ``TECHNICAL``: device, imaging and clinical terms and abbreviations that burned-in text and
  DICOM descriptions use (modalities, views, sequences, ultrasound presets and parameters, units,
  manufacturers and models), plus the word shapes of drugs and clinical terms
  (``-pril``, ``-olol``, ``-ectomy``, ``-itis``, ...).

Everything is loaded on first use and cached per process.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"

# Device, imaging and clinical words and abbreviations (upper case). A word here is never
# evidence of a name, and a header line made of them is not sensitive.
TECHNICAL = frozenset(
    """
    CT MR MRI US XR PET SPECT NM CR DX MG RF XA CTA MRA PT OT SC IO PX ES DR DX XC ECG EKG ECHO EEG
    AP PA LAT LL RL LAO RAO LPO RPO OBL AX AXI AXIAL COR CORONAL SAG SAGITTAL TRA TRANS TRV TRANSVERSE
    LONG LON LNG OBLIQUE LATERAL FRONTAL MEDIAL PROX PROXIMAL DIST DISTAL MID UPPER LOWER ANT POST SUP INF
    RT LT R L BIL BILAT BILATERAL LEFT RIGHT SUPINE PRONE ERECT UPRIGHT DECUB PORTABLE PORT
    HEAD BRAIN NECK CHEST ABD ABDOMEN PELVIS SPINE CSPINE TSPINE LSPINE KNEE HIP LUNG LUNGS LIVER HEART
    RENAL KIDNEY KIDNEYS GB CBD IVC SMA SMV CFA SFA ICA ECA CCA VA MCA ACA PCA LAD LCX RCA LV RV LA RA
    AO AORTA MV TV AV PV LVOT RVOT TAPSE EF FS IVS LVPW LVIDD LVIDS EDV ESV SV CO CI BSA HR BPM
    BPD HC AC FL HL EFW GA CRL NT AFI MVP FHR EDD LMP GS YS OB GYN OBGYN TVUS TV EV EC TAUS
    THYROID ISTHMUS BREAST AXILLA PAROTID TESTIS TESTES SCROTUM UTERUS OVARY OVARIES ENDOMETRIUM
    CERVIX BLADDER PROSTATE SPLEEN PANCREAS GALLBLADDER APPENDIX BOWEL COLON DUODENUM STOMACH
    VASC VASCULAR CAROTID CAROTIDS VENOUS ARTERIAL ARTERY VEIN DVT LE UE LEV LEA UEV UEA MSK TCD
    SMALL PARTS PARTS GEN GENERAL STD STANDARD SOFT TISSUE BONE LUNG MEDIASTINUM WINDOW LEVEL
    WW WL W C WIN LEV CENTER WIDTH ZOOM PAN MAG MAGNIFICATION
    T1 T2 PD FLAIR STIR DWI ADC SWI TOF PC GRE SE FSE TSE EPI HASTE VIBE TRUFI FIESTA SPACE CUBE
    MPRAGE SPGR BRAVO DIXON IDEAL MRCP MRV MRS DTI BOLD PWI DSC DCE ASL FATSAT FS GAD POSTGAD PRE
    CE NC NCCT CECT WO WWO W/O W/ CONTRAST IV PO ORAL
    MIP MPR MINIP VR SSD VRT CPR RECON REFORMAT THIN THICK SLAB SLICE SL ST THK
    KV KVP MA MAS MS SEC S MSEC MIN MM CM M KM IN DEG HZ KHZ MHZ DB MGY MSV GY CTDI CTDIVOL DLP
    SCOUT LOCALIZER TOPOGRAM SURVIEW SCANOGRAM HELICAL SPIRAL AXIAL SEQ SEQUENTIAL FOV DFOV SFOV
    PITCH TILT GANTRY TABLE KERNEL FILTER SHARP SMOOTH BONEPLUS DETAIL EDGE LUNGS B30F B70F B31S
    IMA IMG IM SE SER SERIES STUDY EXAM ACQ ACQUISITION IMAGE IMAGES FRAME FRAMES VIEW VIEWS
    FR MI TI TIS TIB TIC GN GAIN DR DYN RANGE AO PWR POWER PRF WF FILT FREQ FREQUENCY DEPTH FOCUS
    HARM HARMONIC THI HAR HPEN HGEN HRES RES PEN GEN SONOCT XRES CRI SRI MB MBE PERSIST PERSISTENCE
    CF PW CW CFM PDI PD DOPPLER COLOR COLOUR MODE MMODE BMODE B M 2D 3D 4D ANGLE SCALE BASELINE
    VEL VELOCITY PSV EDV RI PI SD ACCEL TAMAX VTI MAXPG MEANPG CINE LOOP FREEZE STORE LIVE
    ELASTO ELASTOGRAPHY SWE STRAIN CEUS CONTRAST SONO SONOGRAPHY ULTRASOUND RADIOGRAPH XRAY
    PROBE TRANSDUCER PRESET LINEAR CONVEX SECTOR PHASED CURVED ENDOCAVITY
    ABDOMINAL PELVIC OBSTETRIC FETAL FETUS NEONATAL PEDIATRIC PEDS ADULT CARDIAC CARDIO NEURO
    MSK MUSCULOSKELETAL NERVE TENDON MUSCLE JOINT SHOULDER ELBOW WRIST HAND FINGER ANKLE FOOT TOE
    FEMUR TIBIA FIBULA HUMERUS RADIUS ULNA CLAVICLE SCAPULA RIB RIBS SKULL SINUS SINUSES ORBIT ORBITS
    FACE JAW MANDIBLE MAXILLA IAC TMJ CERVICAL THORACIC LUMBAR SACRUM SACRAL COCCYX
    SUPERFICIAL DEEP SAPHENOUS FEMORAL POPLITEAL TIBIAL PERONEAL ILIAC SUBCLAVIAN JUGULAR IJ
    PORTAL HEPATIC SPLENIC MESENTERIC CELIAC RENAL ADRENAL
    NORMAL ABNORMAL ROUTINE PROTOCOL DEFAULT CUSTOM USER SETUP TEST QA QC PHANTOM CAL CALIBRATION
    ORIGINAL PRIMARY SECONDARY DERIVED OTHER SUMMARY REPORT DOSE INFO PAGE OF TOTAL
    MALE FEMALE SEX AGE YRS YR YO Y D W MO WKS WK DAYS
    NAME ID DOB DATE TIME ACC ACCESSION MRN PID PAT PATIENT REF REFERRING PHYS PHYSICIAN OPERATOR
    TECH TECHNOLOGIST SONOGRAPHER RAD RADIOLOGIST HOSP INST INSTITUTION DEPT DEPARTMENT
    GE SIEMENS PHILIPS TOSHIBA CANON HITACHI ALOKA SAMSUNG MEDISON MINDRAY ESAOTE FUJI FUJIFILM AGFA
    MLO CC ML LM XCCL SIO FB LMO RCC LCC RMLO LMLO TOMO CVIEW C-VIEW SPOT
    KODAK CARESTREAM KONICA MINOLTA HOLOGIC SONOSITE ZONARE SUPERSONIC BK ATL ACUSON HEALTHCARE
    HEALTHINEERS MEDICAL SYSTEMS LOGIQ VOLUSON VIVID VENUE EPIQ AFFINITI IU22 IE33 HD11 HD15 CX50
    SEQUOIA ANTARES JUVENIA APLIO XARIO VIAMO ARIETTA PROSOUND ALPHA RS80 HS70 WS80 ACCUVIX
    RESONA NUEWA EDGE SONOSITE MYLAB TOUCH INNOVA OPTIMA REVOLUTION DISCOVERY LIGHTSPEED BRILLIANCE
    INGENUITY ICT SOMATOM DEFINITION FORCE DRIVE EMOTION SENSATION AQUILION PRIME ONE
    SIGNA AVANTO SKYRA PRISMA VERIO TRIO ESPREE AERA VIDA ACHIEVA INGENIA
    VANTAGE ORIAN TITAN CELESIO ECHELON OVAL SEMPRA
    UTZ TAS TVS WORKLIST MWL MPPS
    ON OFF AUTO MAN MANUAL HIGH LOW MED MEDIUM FAST SLOW FINE COARSE MAX MIN AVG MEAN SUM
    ROI MEAS MEASURE DIST AREA VOL VOLUME CIRC PERIM DIAM DIAMETER LENGTH
    LMP EDC EDD PREG PREGNANCY TWIN TWINS SINGLE
    PRE POST PREVOID POSTVOID VOID NONE NA N/A YES NO OK UNKNOWN ANON ANONYMOUS
    AM PM HRS
    """.split()
)

# Nouns that follow an eponym (``Agatston Score``, ``Barrett Toric``, ``Tofts Model``, ``Jones
# fracture``): capitalised words right before one of them name a method, a sign or a disease
# after a person, not a person.
EPONYM_NOUNS = frozenset(
    """
    SCORE SCORES SIGN SYNDROME DISEASE FRACTURE METHOD INDEX CLASSIFICATION CRITERIA SCALE MODEL
    FORMULA PROCEDURE OPERATION SHUNT STAIN TORIC LENS FACTOR ALGORITHM TEST MANEUVER MANOEUVRE
    PROJECTION EQUATION CYST DIVERTICULUM TUMOR TUMOUR SARCOMA LYMPHOMA CATHETER TECHNIQUE
    CIRCUIT LESION POUCH STAGING RATIO REFLEX PHENOMENON EFFECT NOMOGRAM CURVE THRESHOLD INCISION
    ANASTOMOSIS FUNDOPLICATION PALSY ANOMALY MALFORMATION DEFORMITY ULCER CORPUSCLE CELLS NODULE
    HERNIA CLASSIFICATION GRADING TRIAD MURMUR TYPE CRITERION QUESTIONNAIRE PROTOCOL
    RING CAVE TEAR TEARS NODE NODES LIGAMENT FOLD FOLDS ESOPHAGUS KYPHOSIS SPACE CANAL DUCT GLAND
    TRIANGLE VALVE ARCH POINT
    """.split()
)

# Word endings of drugs, procedures and findings: never evidence of a name.
_CLINICAL_SHAPE = re.compile(
    r"(?i)^[a-z]{3,}(?:pril|sartan|olol|alol|statin|formin|gliptin|glitazone|azole|prazole|cillin|mycin|"
    r"micin|oxacin|cycline|tidine|dipine|afil|lukast|parin|xaban|gatran|triptan|setron|ciclovir|[aeiou]vir|mab|"
    r"nib|caine|azepam|zolam|pam|done|phine|profen|fenac|semide|thiazide|olone|sone|asone|olide|"
    r"oxetine|aline|triptyline|pramine|peridol|apine|idone|etine|amine|ectomy|otomy|ostomy|plasty|scopy|"
    r"graphy|gram|tion|sion|itant|osis|emia|algia|opathy|pathy|plegia|trophy|megaly|lysis|genic|ology|ologic|"
    r"ological|iasis|ectasis|cele|rrhage|rrhea|sclerosis|stenosis|plasia|thorax|uria|ism|ase|(?<!e)ide|(?<!g)ate|"
    r"ious|eous|ular|ary|ive|ical|ial|ularis|llaris|acea|aceus|orum|arum|ium|"
    # seventh round: tumours, contractures and dehiscences (NEUROMA, CONTRACTURE, DEHISCENCE)
    r"oma|ture|scence|racetam)s?$"
    # contrast agents (Iohexol, Iopamidol, Gadobutrol)
    r"|^io[a-z]{2,}(?:ol|ate|amide)$|^gado[a-z]{3,}$"
    # intraductal, intercostal, ventral, neointimal (7+ letters; not Rosendal, Groenendaal, Marechal)
    r"|^[a-z]{4,}[ieunrtsm]al$"
)


def _load(path: Path) -> frozenset[str]:
    with gzip.open(path, "rt", encoding="ascii") as handle:
        return frozenset(line.strip() for line in handle if line.strip() and not line.startswith("#"))


@cache
def english() -> frozenset[str]:
    """Common English words (upper case): SCOWL's lower-case entries."""
    return _load(_DATA / "english_words.txt.gz")


@cache
def rare_english() -> frozenset[str]:
    """English words of a larger SCOWL list than ``english()`` (upper case), not in it."""
    return _load(_DATA / "english_rare_words.txt.gz")


@cache
def french() -> frozenset[str]:
    """French words (upper case, accents folded) of the Dicollecte Hunspell dictionary, MPL-2.0
    (``_generate_french.py``): report text in French is no name (``COMPTE RENDU``)."""
    return _load(_DATA / "french_words.txt.gz")


@cache
def _prefixes() -> frozenset[str]:
    words = english() | rare_english() | clinical()
    return frozenset(w[:n] for w in words for n in range(3, min(len(w), 8)))


def abbreviation(upper: str) -> bool:
    """True for a word of 3-7 letters that begins a longer dictionary word, as clinical
    shorthand does (``ORTHO``, ``NEPHRO``, ``CARDS``, ``RECS``)."""
    return upper in _prefixes() or (upper.endswith("S") and upper[:-1] in _prefixes())


@cache
def clinical() -> frozenset[str]:
    """Clinical words that are not common English words (upper case): the words the DICOM code
    dictionary writes in lower case (``PALLIDUS``, ``CONTRACTA``, ``FOSSA``), from the half of
    its meanings the evaluation does not hold out (``_generate_clinical.py``)."""
    return _load(_DATA / "clinical_words.txt.gz")


@cache
def clinical_english() -> frozenset[str]:
    """Common English words that the same code meanings write in lower case (``LINE``, ``POINT``,
    ``NOTCH``, ``FOLD``): the nouns that follow an eponym (``_generate_clinical.py``)."""
    return _load(_DATA / "clinical_english.txt.gz")


@cache
def _lower_case_words() -> frozenset[str]:
    return clinical_english() | clinical()


def clinical_noun(upper: str) -> bool:
    """True for a word (or its plural) that the code dictionary writes in lower case."""
    words = _lower_case_words()
    return upper in words or (upper.endswith("S") and upper[:-1] in words)


# A product name's inner capitals (``RADspeed``, ``NeuViz``, ``ProMax``, ``eFilm``); not the
# prefixes of family names (``McBurney``, ``MacLeod``, ``DeShawn``, ``LaToya``, ``VanDyke``).
_INTERCAP = re.compile(
    r"^(?!(?:Mc|Mac|De|Di|Da|Du|Le|La|Lo|Ja|Van|Von|Der|Del|Des|St|Fitz|Ap|Ab|Al|El|Ben|Bin)[A-Z][a-z])"
    r"(?:[A-Za-z]*[a-z][A-Z]|[A-Z]{2,}[a-z]{2,}|[a-z]+[A-Z])"
)
# A grade or class in roman numerals, with a letter after it (``IIB``, ``IIIA``, ``IVb``).
_ROMAN_GRADE = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX)[A-Fa-f]?$")


def product_or_grade(word: str) -> bool:
    """True for a word shaped like a product name (inner capitals) or a roman-numeral grade."""
    return _INTERCAP.match(word) is not None or _ROMAN_GRADE.match(word) is not None


@cache
def ordinary() -> frozenset[str]:
    """Common English words and clinical words: by themselves no evidence of a name."""
    return english() | clinical()


@cache
def _census(key: str) -> frozenset[str]:
    import names as _names  # on first use: a tag-only job never loads the lists

    with open(_names.FILES[key], encoding="ascii") as handle:
        return frozenset(line.split(maxsplit=1)[0] for line in handle if line.strip())


@cache
def census_first() -> frozenset[str]:
    """1990 US Census first names (upper case, 3+ letters), common words included."""
    return frozenset(n for n in _census("first:male") | _census("first:female") if len(n) >= 3)


@cache
def surnames() -> frozenset[str]:
    """1990 US Census surnames (3+ letters) that are not common English or technical words."""
    return frozenset(n for n in _census("last") if len(n) >= 3) - ordinary() - TECHNICAL


@cache
def common_surnames() -> frozenset[str]:
    """The 5,000 most frequent census surnames (``BROWN``, ``HALL``, ``PORTER`` included)."""
    import names as _names

    with open(_names.FILES["last"], encoding="ascii") as handle:
        return frozenset(line.split(maxsplit=1)[0] for _, line in zip(range(5000), handle))


@cache
def name_words() -> frozenset[str]:
    """Every census first name and surname (upper case), common words included."""
    return census_first() | _census("last")


def clinical_shape(word: str) -> bool:
    """True for a word shaped like a drug, procedure or finding (``Lisinopril``, ``Cholecystectomy``)
    that begins as English and clinical words begin: a romanised name whose first two letters
    begin no such word (``Nmperumal``, ``Bhttacary``, as anyascii writes Indic names) is not
    clinically shaped, whatever its ending."""
    return _CLINICAL_SHAPE.match(word) is not None and word[:2].upper() in _onsets()


@cache
def _onsets() -> frozenset[str]:
    """The first two letters of at least two English or clinical words of 4+ letters."""
    counts: dict[str, int] = {}
    for word in ordinary():
        if len(word) >= 4:
            counts[word[:2]] = counts.get(word[:2], 0) + 1
    return frozenset(k for k, n in counts.items() if n >= 2)


# Prefixes that make an English word of another English word (``NONSPECIFIC``, ``PERIHILAR``).
_PREFIXES = ("NON", "ANTI", "PRE", "POST", "SUB", "INTER", "INTRA", "HYPER", "HYPO", "PERI", "TRANS", "MULTI",
             "SEMI", "PSEUDO", "EXTRA", "INFRA", "SUPRA", "RETRO", "MICRO", "MACRO", "POLY", "MONO", "UN")


def _prefixed(upper: str) -> bool:
    """A prefix and an English or clinical word of 5+ letters (``NONSPECIFIC``), no census name."""
    return any(
        upper.startswith(p) and len(upper) - len(p) >= 5 and upper[len(p):] in ordinary() for p in _PREFIXES
    ) and upper not in name_words()


def known(upper: str) -> bool:
    """True when the upper-case ASCII word is not, by itself, evidence of a name.

    Common English words, technical terms and clinically shaped words are known; so are
    words with a digit. A census surname that is also an English word (``BROWN``) is known here:
    it is a name only in a name's shape.
    """
    return (
        upper in ordinary()
        or upper in TECHNICAL
        or any(c.isdigit() for c in upper)
        or (upper not in name_words() and clinical_shape(upper))
        or _inflamed(upper)
        or _prefixed(upper)
    )


def _inflamed(upper: str) -> bool:
    """An English or clinical word of 6+ letters and ``-itis`` (``THYROIDITIS``; ``ARTERITIS``,
    ``BURSITIS``: the organ's word ends in ``-y`` or ``-a``); not the family names that end so
    (``PRIEDITIS``, ``MARGARITIS``, ``ADOMAITIS``)."""
    if not upper.endswith("ITIS") or len(upper) < 9:
        return False
    stem = upper[:-4]
    return (len(stem) >= 6 and stem in ordinary()) or any(len(stem) >= 5 and stem + end in ordinary() for end in ("Y", "A"))


def technical(upper: str) -> bool:
    """True when the upper-case ASCII word is a known technical term (the header-block test).

    Technical terms, clinically shaped words, and common English words that are not census
    names (``No``, ``acute``, ``findings``; not ``BROWN`` or ``MARK``).
    """
    if upper in TECHNICAL:
        return True
    if upper in name_words():
        return False
    return upper in ordinary() or clinical_shape(upper)
