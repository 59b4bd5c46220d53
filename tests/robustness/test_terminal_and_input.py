"""What a document or a question could do to the user's terminal or to the server: control sequences in a
document's text, lone surrogates in a question."""

from __future__ import annotations

import pytest

from indexer.build import build_index
from runtime.settings import Settings
from ui.cli import main

HOSTILE = ("KẾ HOẠCH\nPhát triển giáo dục\nI. MỤC TIÊU\nTăng cường kỷ luật \x1b[2J\x1b]0;pwned\x07 tài chính "
           "cho các trường học \x9b31m đỏ.\n")


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory, embedder) -> Settings:
    folder = tmp_path_factory.mktemp("hostile-text")
    (folder / "ke-hoach.txt").write_text(HOSTILE, encoding="utf-8")
    settings = Settings(index_dir=tmp_path_factory.mktemp("hostile-text-index"))
    build_index(folder, settings, show_progress=False, embedder=embedder)
    return settings


@pytest.mark.parametrize("command", [["ask", "kỷ luật tài chính trường học"], ["topics", "kỷ luật tài chính"],
                                     ["search", "kỷ luật tài chính"], ["status"]])
def test_control_sequences_in_a_document_never_reach_the_terminal(hostile_index, capsys, command):
    assert main([*command, "--index-dir", str(hostile_index.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "kỷ luật" in out or command == ["status"]
    assert not any(c in out for c in "\x1b\x07\x9b"), repr(out[:300])


@pytest.mark.parametrize("question", ["học sinh \udc80 giáo dục", "\ud800", "tỷ lệ \udfff\ud800 tốt nghiệp"])
def test_a_lone_surrogate_in_a_question_is_answered_not_a_crash(engine, sample_settings, capsys, question):
    from search.answer import answer

    assert isinstance(answer(engine, question).passages, list)
    assert main(["ask", question, "--index-dir", str(sample_settings.index_dir)]) == 0
    assert main(["search", question, "--json", "--index-dir", str(sample_settings.index_dir)]) == 0
