"""Output names are safe on every platform, inside the output folder, and unique."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.output.paths import UnsafePathError, check_inside
from docgen.pack.naming import (
    PathAssigner,
    assign_paths,
    document_filename,
    safe_identifier,
    slug,
)

# ---------------------------------------------------------------------------
# Windows rules, written from Microsoft's "Naming Files, Paths, and Namespaces",
# independently of the implementation.

WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{d}{n}" for d in ("COM", "LPT") for n in "0123456789¹²³"
}


def windows_problems(rel: str) -> list[str]:
    problems = []
    if len(rel) > 200:
        problems.append("too long")
    if rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"):
        problems.append("absolute")
    for part in rel.split("/"):
        if part in {"", ".", ".."}:
            problems.append(f"bad component {part!r}")
            continue
        if set(part) & WINDOWS_FORBIDDEN:
            problems.append(f"forbidden character in {part!r}")
        if part.endswith((".", " ")):
            problems.append(f"trailing dot or space in {part!r}")
        if part.split(".")[0].rstrip(" ").upper() in WINDOWS_DEVICES:
            problems.append(f"device name {part!r}")
        if len(part.encode("utf-16-le")) // 2 > 255:
            problems.append("component too long")
    return problems


def assert_safe(rel: str, root: Path) -> None:
    assert windows_problems(rel) == [], rel
    assert unicodedata.is_normalized("NFC", rel)
    assert rel.isprintable()
    target = check_inside(root, rel)
    assert target.resolve().is_relative_to(root.resolve())
    assert target != root.resolve()


HOSTILE_NAMES = [
    "../../x",
    "..",
    ".",
    "/abs",
    "/etc/passwd",
    "C:\\x",
    "\\\\server\\share",
    "CON",
    "con",
    "con.docx",
    "COM1",
    "LPT9",
    "nul.txt",
    "AUX ",
    "trailing.",
    "trailing ",
    "x\x00y",
    "\x01\x02\x1f\x7f",
    "evil\u202egnp.exe",
    "a\u200b\u200c\u200d\ufeffb",
    "\u2066isolate\u2069",
    "😀👩🏽‍⚕️",
    "x" * 300,
    "",
    "   ",
    '<>:"|?*',
    "ＣＯＮ",
    "Søren",
    "Soren",
    "SØREN",
    "So\u0308ren",
]


# ---------------------------------------------------------------------------
# slug and file names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Søren Østergaard", "soeren-oestergaard"),
        ("Åse Ærbøl", "aase-aerboel"),
        ("ÆBLE ØKO ÅEN", "aeble-oeko-aaen"),
        ("Ærø", "aeroe"),
        ("José Müller", "jose-muller"),
        ("Zoë Ñúñez-Çelik", "zoe-nunez-celik"),
        ("Se\u0301bastien", "sebastien"),  # NFD
        ("A\u030ase", "aase"),  # NFD å
        ("Anne-Marie  O'Brien", "anne-marie-o-brien"),
        ("--x--", "x"),
        ("", "ukendt"),
        ("😀", "ukendt"),
        ("Алексей", "ukendt"),
        ("CON", "con_"),
        ("lpt1", "lpt1_"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_slug_caps_length_without_trailing_dash() -> None:
    assert len(slug("x" * 300)) == 60
    long = slug("ab " * 100, max_len=20)
    assert len(long) <= 20
    assert not long.endswith("-")
    assert slug("Søren", max_len=6) == "soeren"


def test_document_filename() -> None:
    assert document_filename("A07", "Søren Østergaard", "docx") == "A07_soeren-oestergaard.docx"
    assert document_filename("P1", "Hanne Holm", ".XLSX") == "P1_hanne-holm.xlsx"
    assert document_filename("../A07", "x", "pdf") == "A07_x.pdf"
    with pytest.raises(ValueError, match="extension"):
        document_filename("A07", "x", "docx/../../x")


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [("A07", "A07"), ("../../A07", "A07"), ("", "x"), ("CON", "CON"), ("a b/c", "a-b-c")],
)
def test_identifier_is_sanitised(identifier: str, expected: str) -> None:
    assert safe_identifier(identifier) == expected


# ---------------------------------------------------------------------------
# paths


def test_names_differing_by_case_or_accent_get_distinct_paths() -> None:
    paths = assign_paths(
        [
            ("afslag", "A07", "Søren"),
            ("afslag", "A07", "Soren"),
            ("afslag", "A07", "SØREN"),
            ("afslag", "a07", "søren"),
            ("afslag", "A07", "So\u0308ren"),
            ("afslag", "A08", "Søren"),
        ],
        "docx",
    )
    assert paths == [
        "afslag/A07_soeren.docx",
        "afslag/A07_soren.docx",
        "afslag/A07_soeren-2.docx",
        "afslag/a07_soeren-3.docx",
        "afslag/A07_soren-2.docx",
        "afslag/A08_soeren.docx",
    ]
    assert len({p.casefold() for p in paths}) == len(paths)


def test_same_folder_in_different_case_counts_as_the_same() -> None:
    assigner = PathAssigner()
    assert assigner.assign("Afslag", "A1", "x", "docx") == "afslag/A1_x.docx"
    assert assigner.assign("afslag", "A1", "X", "docx") == "afslag/A1_x-2.docx"


def test_uniqueness_ignores_the_extension() -> None:
    assigner = PathAssigner()
    first = assigner.assign("afslag", "A1", "Bo", "docx")
    second = assigner.assign("afslag", "A1", "Bo", "xlsx")
    assert first == "afslag/A1_bo.docx"
    assert second == "afslag/A1_bo-2.xlsx"


def test_reserved_paths_are_not_handed_out() -> None:
    assigner = PathAssigner()
    assigner.reserve("afslag/A1_bo.docx")
    assert assigner.assign("afslag", "A1", "Bo", "docx") == "afslag/A1_bo-2.docx"


def test_paths_are_deterministic() -> None:
    items = [("afslag", "A1", n) for n in HOSTILE_NAMES]
    assert assign_paths(items, "docx") == assign_paths(items, "docx")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_stay_inside(name: str, tmp_path: Path) -> None:
    for folder, ident in [("afslag", "A07"), (name, name), ("", name)]:
        rel = assign_paths([(folder, ident, name)], "docx")[0]
        assert_safe(rel, tmp_path)


def test_folder_nested_too_deep_is_refused() -> None:
    with pytest.raises(UnsafePathError, match="too long"):
        assign_paths([("/".join(["mappe"] * 40), "A1", "x")], "docx")


# ---------------------------------------------------------------------------
# check_inside


@pytest.mark.parametrize(
    "rel",
    [
        "",
        "..",
        "../x",
        "a/../../x",
        "a/./b",
        "/etc/passwd",
        "C:/x",
        "C:x",
        "a\\..\\x",
        "a//b",
        "x\x00y",
        ".",
    ],
)
def test_check_inside_refuses(rel: str, tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError):
        check_inside(tmp_path, rel)


def test_check_inside_refuses_symlinks_out(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(UnsafePathError):
        check_inside(root, "link/secret.docx")


def test_check_inside_accepts(tmp_path: Path) -> None:
    assert check_inside(tmp_path, "afslag/A07_x.docx") == tmp_path.resolve() / "afslag/A07_x.docx"


# ---------------------------------------------------------------------------
# properties

ANY_TEXT = st.one_of(
    st.text(),
    st.text().map(lambda s: unicodedata.normalize("NFD", s)),
    st.text(alphabet=st.sampled_from(list("./\\:.. \x00\u202e\u200bÆØÅæøåCONLPT1é"))),
    st.sampled_from(HOSTILE_NAMES),
    st.builds(lambda a, b: f"{a}../{b}", st.text(max_size=5), st.text(max_size=5)),
)
FOLDERS = st.one_of(st.sampled_from(["afslag", "scoreark", "", "Afslag", "AFSLAG"]), ANY_TEXT)


@settings(max_examples=300, deadline=None)
@given(items=st.lists(st.tuples(FOLDERS, ANY_TEXT, ANY_TEXT), max_size=25))
def test_every_path_is_safe_and_unique(items: list[tuple[str, str, str]]) -> None:
    root = Path.cwd() / "docgen-naming-property" / "out"  # only compared, never written
    paths = assign_paths(items, "docx")
    assert len(paths) == len(items)
    for rel in paths:
        assert_safe(rel, root)
        assert rel.endswith(".docx")
    assert len({p.casefold() for p in paths}) == len(paths)
    assert assign_paths(items, "docx") == paths


@given(name=ANY_TEXT, max_len=st.integers(min_value=6, max_value=80))
def test_slug_properties(name: str, max_len: int) -> None:
    result = slug(name, max_len)
    assert result
    assert len(result) <= max_len
    assert result == result.lower()
    assert result.isascii()
    assert windows_problems(result) == []
    assert not result.startswith("-")
    assert not result.endswith("-")
    assert slug(unicodedata.normalize("NFD", name), max_len) == slug(
        unicodedata.normalize("NFC", name), max_len
    )
