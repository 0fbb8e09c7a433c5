import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indexer.importer import ImportRejected, import_jsonl
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import ArticleRow, make_engine

GOOD = [
    {"article_id": "CLINIC:1", "title": "Zebrafin dysplasia", "text": "Striped fingernails and glowing freckles.",
     "source": "CLINIC", "genes": ["ZBR1"]},
    {"article_id": "CLINIC:2", "title": "Marfan syndrome, clinic notes", "text": "Tall stature, flat feet.",
     "source": "CLINIC", "disease_id": "OMIM:154700", "url": "https://clinic.example/2"},
]


def _write(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def _state(settings):
    engine = make_engine(settings.sql_url)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(ArticleRow))
    index = TantivyIndex(settings.tantivy_dir)
    return n, index.count(), (settings.tantivy_dir / "CURRENT").read_text()


def test_import_adds_searchable_articles_and_joins_diseases(settings, tmp_path):
    engine, index = make_engine(settings.sql_url), TantivyIndex(settings.tantivy_dir)
    assert import_jsonl(engine, index, _write(tmp_path / "a.jsonl", GOOD)) == 2
    hits = index.search("striped fingernails glowing freckles", 5)
    assert hits[0].article_id == "CLINIC:1" and hits[0].disease_id == "CLINIC:1"
    assert [h.disease_id for h in index.search("clinic notes flat feet", 3) if h.article_id == "CLINIC:2"] \
        == ["OMIM:154700"]
    assert _state(settings)[:2] == (55, 55)


@pytest.mark.parametrize("bad_line, message", [
    ('{"article_id": "CLINIC:3", "title": "x"', "line 2: not valid JSON (Expecting ',' delimiter at column 40)"),
    (json.dumps({"article_id": "CLINIC:3", "title": "T", "source": "CLINIC"}), "line 2: text: Field required"),
    (json.dumps({"article_id": "no-colon", "title": "T", "text": "t", "source": "CLINIC"}),
     "line 2: article_id: String should match pattern"),
    (json.dumps({"article_id": "CLINIC:3", "title": "T", "text": "t", "source": "CLINIC", "colour": "red"}),
     "line 2: colour: Extra inputs are not permitted"),
    (json.dumps(GOOD[0]), "line 2: article_id 'CLINIC:1' repeats line 1"),
])
def test_bad_line_aborts_whole_import(settings, tmp_path, bad_line, message):
    before = _state(settings)
    path = _write(tmp_path / "bad.jsonl", [GOOD[0], bad_line, GOOD[1]])
    with pytest.raises(ImportRejected) as exc:
        import_jsonl(make_engine(settings.sql_url), TantivyIndex(settings.tantivy_dir), path)
    assert str(exc.value).startswith(message)
    assert _state(settings) == before  # nothing written, index not switched


def test_existing_article_id_is_refused(settings, tmp_path):
    before = _state(settings)
    row = dict(GOOD[0], article_id="OMIM:154700")
    with pytest.raises(ImportRejected, match=r"line 1: article_id 'OMIM:154700' already exists in the store"):
        import_jsonl(make_engine(settings.sql_url), TantivyIndex(settings.tantivy_dir), _write(tmp_path / "c.jsonl", [row]))
    assert _state(settings) == before


def test_index_failure_leaves_store_untouched(settings, tmp_path, monkeypatch):
    before = _state(settings)
    index = TantivyIndex(settings.tantivy_dir)

    def broken(*_):
        raise OSError("disk full")
    monkeypatch.setattr(index, "_write", broken)
    with pytest.raises(OSError, match="disk full"):
        import_jsonl(make_engine(settings.sql_url), index, _write(tmp_path / "d.jsonl", GOOD))
    assert _state(settings) == before
    assert len(list(settings.tantivy_dir.glob("v*"))) == 1


def test_non_utf8_file_is_refused_naming_the_line_and_line_separators_stay_inside_text(tmp_path):
    from indexer.importer import read_jsonl

    good = json.dumps({"article_id": "X:1", "title": "T", "text": "a\u2028b", "source": "X"}, ensure_ascii=False)
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(good.encode() + b"\n" + "caf\u00e9".encode("latin-1") + b"\n")
    with pytest.raises(ImportRejected, match=r"line 2: the file is not UTF-8 text \(byte [\d,]+ is not valid UTF-8\)"):
        read_jsonl(path)
    path.write_bytes(b"\xef\xbb\xbf" + good.encode() + b"\r\n")  # a BOM and Windows line ends are fine
    [(line, article)] = read_jsonl(path)
    assert line == 1 and article.text == "a\u2028b"
