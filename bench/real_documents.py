"""Coverage and metadata on a folder of real documents, file by file.

    python bench/real_documents.py ../shared/samples-legal            # compares with its expected.jsonl
    python bench/real_documents.py ../shared/samples-pdf --show-lost  # what was lost, file by file

Each file's type, number, date and title are printed as read. Coverage is the share of a file's body characters (whitespace not counted, named boilerplate removed) that
lies in a passage or a heading above one. Where the folder has `expected.jsonl` ({"file", "type", "number",
"date", "title"} per line), each field is compared: type, number and date exactly (after Unicode and tone
normalization), the title when its subject (without the leading "<type> số <number>", and cut at a run of
underscores that the publisher's page left in it) matches ours at a similarity ratio of at least 0.9
(difflib), case and tone placement aside, or is the start of ours (the publisher cuts long titles).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

from indexer.extract import SUPPORTED_SUFFIXES
from indexer.ingest import ParsedDocument, parse_file
from vietnamese.normalize import normalize_tone

TITLE_RATIO = 0.9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--show-lost", action="store_true", help="print the lost text of each file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    expected = _expected(args.folder / "expected.jsonl")
    rows = []
    for path in _documents(args.folder):
        parsed = parse_file(path, path.name)
        rows.append(_row(parsed, expected.get(path.name)))
        if args.show_lost:
            _print_lost(parsed)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    _print_table(rows)
    return 0


def _documents(folder: Path) -> list[Path]:
    """The folder's documents: files of a type the product reads, its README (what the folder holds) aside."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in SUPPORTED_SUFFIXES and p.stem.lower() != "readme")


def _expected(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {item["file"]: item for item in items}


def _row(parsed: ParsedDocument, expected: dict | None) -> dict:
    meta, coverage = parsed.meta, parsed.coverage
    row = {"file": parsed.doc, "coverage": round(coverage.ratio, 4), "lost": coverage.lost,
           "removed": coverage.removed, "chunks": len(parsed.chunks), "type": meta.doc_type,
           "number": meta.number, "date": meta.date, "title": meta.title}
    if expected:
        row["match"] = {
            "type": _same(meta.doc_type, expected["type"]),
            "number": _same(meta.number, expected["number"]),
            "date": meta.date == expected["date"],
            "title": title_matches(meta.title, expected["title"], expected["type"], expected["number"]),
        }
        row["expected"] = expected
    return row


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", normalize_tone(text or "").lower()).strip()


def _same(found: str | None, wanted: str) -> bool:
    return _norm(found) == _norm(wanted)


def title_matches(found: str | None, wanted: str, doc_type: str, number: str) -> bool:
    """Does the title read match the published title, whose form is `<type> số <number> <subject>`?"""
    subject = _norm(re.split(r"_{3,}", wanted)[0])
    for prefix in (_norm(f"{doc_type} số {number}"), _norm(doc_type)):
        if subject.startswith(prefix):
            subject = subject[len(prefix):].strip()
            break
    ours = _norm(found)
    lead = _norm(doc_type)
    ours = ours[len(lead):].strip() if ours.startswith(lead) else ours
    if not ours or not subject:
        return False
    return ours.startswith(subject) or difflib.SequenceMatcher(None, ours, subject).ratio() >= TITLE_RATIO


def _print_lost(parsed: ParsedDocument) -> None:
    print(f"== {parsed.doc}: {parsed.coverage.ratio:.1%}, lost {parsed.coverage.lost}", file=sys.stderr)
    for sample in parsed.coverage.lost_samples:
        print(f"   {sample!r}", file=sys.stderr)


def _print_table(rows: list[dict]) -> None:
    """One line per file: coverage, whether each field agrees with expected.jsonl (`-` without one), and the
    fields as read."""
    print(f"{'file':<48} {'cover':>6} {'lost':>6}  {'type number date title':<14} read: type | number | date | title")
    for row in rows:
        match = row.get("match", {})
        marks = " ".join(("ok" if match[k] else "NO") if k in match else "-" for k in ("type", "number", "date", "title"))
        read = " | ".join(str(row[k] or "-") for k in ("type", "number", "date", "title"))
        print(f"{row['file'][:48]:<48} {row['coverage']:>6.1%} {row['lost']:>6}  {marks:<14} {read}")
    n = len(rows)
    print(f"\n{n} files; coverage min {min(r['coverage'] for r in rows):.1%}, "
          f"files >= 98%: {sum(r['coverage'] >= 0.98 for r in rows)}/{n}, "
          f"lost characters: {sum(r['lost'] for r in rows):,}")
    compared = [r for r in rows if "match" in r]
    if compared:
        for field in ("type", "number", "date", "title"):
            hits = sum(r["match"][field] for r in compared)
            print(f"{field:<7} {hits}/{len(compared)} = {hits / len(compared):.1%}")


if __name__ == "__main__":
    sys.exit(main())
