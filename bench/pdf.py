"""Benchmark: the build's PDF stage against one LibreOffice process per file.

    python bench/pdf.py [--repeat 3] [--naive N] [--case samples/region-vest.yaml]

Builds the case in this process with and without PDFs, round after round; the PDF
stage's time is the difference (everything else is the same work), per PDF made. Then
converts the build's documents the naive way, one ``soffice`` with a fresh profile per
file (the first N documents; all by default), each checked as docgen checks its PDFs. The
last line prints the ratio of the times per document.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.pack.pipeline import PdfOptions, build  # noqa: E402
from docgen.pdf.soffice import find_soffice  # noqa: E402
from docgen.pdf.verify import verify_pdf  # noqa: E402


def per_file(sources: list[tuple[Path, list[str]]], soffice: Path, scratch: Path) -> float:
    """The naive script: one process with a fresh profile per file, then the same check."""
    start = time.perf_counter()
    for i, (source, expected) in enumerate(sources):
        profile, out = scratch / f"profile{i}", scratch / f"out{i}"
        subprocess.run(
            [str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out),
             str(source)],
            check=False, capture_output=True, timeout=300,
        )
        problem = verify_pdf(out / (source.stem + ".pdf"), expected)
        if problem:
            raise SystemExit(f"per-file: {source.name}: {problem}")
        shutil.rmtree(profile, ignore_errors=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--naive", type=int, default=0,
                        help="documents converted one by one (default 0: all)")
    parser.add_argument("--case", type=Path, default=ROOT / "samples" / "region-vest.yaml")
    args = parser.parse_args()
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-pdf-") as tmp:
        scratch = Path(tmp)
        build(args.case, scratch / "warm")  # untimed: imports and disk caches
        stage: list[float] = []
        pdfs = 0
        for i in range(args.repeat):
            start = time.perf_counter()
            build(args.case, scratch / f"plain{i}")
            plain = time.perf_counter() - start
            start = time.perf_counter()
            build(args.case, scratch / f"pdf{i}", pdf=PdfOptions(enabled=True))
            stage.append(time.perf_counter() - start - plain)
            manifest = json.loads((scratch / f"pdf{i}" / "manifest.json").read_text("utf-8"))
            pdfs = sum(1 for d in manifest["documents"] if d["path"].endswith(".pdf"))
            print(f"round {i + 1}: build {plain:.2f} s, PDF stage {stage[-1]:.2f} s "
                  f"for {pdfs} PDFs", flush=True)
        made = statistics.median(stage) / pdfs
        manifest = json.loads((scratch / "warm" / "manifest.json").read_text("utf-8"))
        names = _names(args.case)
        sources = [(scratch / "warm" / d["path"],
                    [names[d["recipient"]]] if d.get("recipient") in names else [])
                   for d in manifest["documents"]]
        if args.naive:
            sources = sources[: args.naive]
        naive = per_file(sources, soffice, scratch / "naive") / len(sources)
        print(f"one soffice per file: {naive * len(sources):.1f} s for {len(sources)} documents")
    print(f"speedup: {naive / made:.1f}x (build's PDF stage {made:.3f} s/doc, "
          f"per-file {naive:.2f} s/doc)")


def _names(case: Path) -> dict[str, str]:
    """Recipients' names by id, to check the naive PDFs as docgen checks its own."""
    from docgen.case.model import Case  # noqa: PLC0415
    from docgen.loading import load_model  # noqa: PLC0415

    model, _, _ = load_model(case, Case, display_name=str(case))
    if model is None:
        raise SystemExit(f"{case}: not a valid case")
    people: list[Any] = [*getattr(model, "applicants", []), *getattr(model, "panel", [])]
    return {p.id: p.name for p in people}


if __name__ == "__main__":
    main()
