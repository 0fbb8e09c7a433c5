"""The query-set format: every line validated, errors naming the line."""

import json

import pytest

from evaluation.queryset import EXAMPLE, EvalQuery, QuerySetError, decode, parse_items, parse_jsonl, read_queries, write_queries

GOOD = '{"query": "long fingers, dislocated lens", "gold": ["OMIM:154700"]}'


def _error(lines: list[str]) -> str:
    with pytest.raises(QuerySetError) as exc:
        parse_jsonl(lines)
    return str(exc.value)


def test_good_lines_with_blank_lines_and_meta():
    rows = parse_jsonl([GOOD, "", '{"query": " fever ", "gold": ["ORPHA:558", "OMIM:1"], "meta": {"seed": 1}}'])
    assert [r.query for r in rows] == ["long fingers, dislocated lens", "fever"]
    assert rows[1].gold == ["ORPHA:558", "OMIM:1"] and rows[1].meta == {"seed": 1}


@pytest.mark.parametrize("line, message", [
    ("{not json", "line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)"),
    ('{"query": "fever"}', "line 2: gold is required"),
    ('{"query": "fever", "gold": []}', "line 2: gold is empty; give at least one disease or article id such as "
                                       "OMIM:154700"),
    ('{"query": "fever", "gold": ["marfan"]}', "line 2: gold[0] is 'marfan'; ids look like OMIM:154700 or ORPHA:558"),
    ('{"query": "fever", "gold": "OMIM:1"}', "line 2: gold is 'OMIM:1'; input should be a valid list"),
    ('{"query": "", "gold": ["OMIM:1"]}', "line 2: query is empty"),
    ('{"query": "' + "x" * 2001 + '", "gold": ["OMIM:1"]}', "line 2: query has 2,001 characters; the limit is 2,000"),
    ('{"query": "fever", "gold": ["OMIM:1"], "golden": 1}',
     "line 2: golden is not a known field; a line holds query, gold and optionally meta"),
    ('["fever"]', f"line 2: expected a JSON object like {EXAMPLE}"),
])
def test_bad_line_is_named(line, message):
    assert _error([GOOD, line]) == message


def test_size_limits():
    assert _error([]) == f"the query set holds no queries; give one JSON object per line like {EXAMPLE}"
    assert _error([GOOD] * 5_001 + [""]) == ("the query set holds 5,001 queries; the limit is 5,000. "
                                             "Split it into several runs")
    assert len(parse_jsonl([GOOD] * 5_000)) == 5_000


def test_json_list_items_are_numbered():
    assert len(parse_items([json.loads(GOOD)])) == 1
    with pytest.raises(QuerySetError, match=r"^item 2: gold is required$"):
        parse_items([json.loads(GOOD), {"query": "fever"}])
    with pytest.raises(QuerySetError, match="^expected a JSON list of objects like"):
        parse_items({"query": "fever"})


def test_upload_bytes_and_files(tmp_path):
    assert decode(("\ufeff" + GOOD + "\r\n").encode()) == [EvalQuery.model_validate_json(GOOD)]
    with pytest.raises(QuerySetError, match=r"^the file is not UTF-8 text \(byte 0\); save it as UTF-8 JSONL$"):
        decode(b"\xff\xfe")
    path = tmp_path / "q.jsonl"
    assert write_queries(path, [EvalQuery.model_validate_json(GOOD)]) == 1
    assert read_queries(path)[0].gold == ["OMIM:154700"]
    with pytest.raises(QuerySetError, match="missing.jsonl does not exist or is not a file"):
        read_queries(tmp_path / "missing.jsonl")
    path.write_text(GOOD + "\n{}\n")
    with pytest.raises(QuerySetError, match=r"q.jsonl: line 2: query is required; gold is required$"):
        read_queries(path)
