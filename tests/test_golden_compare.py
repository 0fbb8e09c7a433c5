"""The golden-ranking comparison itself: it lets through what two CPUs or two builds change (float
noise, the order of equal scores, one disease at the fused list's cut) and nothing else."""

import copy

from tests.golden_rankings import differences

GOLDEN = {"q:1": {
    "lexical": [["A", 12.5], ["B", 11.0], ["C", 11.0]], "lexical total": 294,
    "fused": [["A", 29.54279, {"lexical": 12.5, "neural": -7.129673}], ["D", 5.794952, {"neural": -6.354613}]],
    "fused total": 397,
}}


def changed(edit) -> list[str]:
    got = copy.deepcopy(GOLDEN)
    edit(got["q:1"])
    return differences(GOLDEN, got)


def test_float_noise_of_another_cpu_and_ties_in_either_order_pass():
    assert changed(lambda q: None) == []
    assert changed(lambda q: q["fused"][1].__setitem__(1, 5.794885)) == []  # 1.2e-5 apart: measured on two CPUs
    assert changed(lambda q: q["fused"][1][2].__setitem__("neural", -6.354619)) == []
    assert changed(lambda q: q.__setitem__("lexical", [["A", 12.5], ["C", 11.0], ["B", 11.0]])) == []  # a tie
    assert changed(lambda q: q.__setitem__("fused total", 396)) == []  # one disease at the cut


def test_every_real_change_is_caught():
    assert changed(lambda q: q["fused"][1].__setitem__(1, 5.80)) == ["q:1: fused changed"]
    assert changed(lambda q: q["fused"][0].__setitem__(0, "E")) == ["q:1: fused changed"]  # not a tie: E is new
    assert changed(lambda q: q["fused"][1][2].__setitem__("neural", -6.36)) == ["q:1: fused changed"]
    assert changed(lambda q: q["fused"][1][2].__setitem__("ontology", 1.0)) == ["q:1: fused changed"]
    assert changed(lambda q: q["lexical"][0].__setitem__(1, 12.51)) == ["q:1: lexical changed"]
    assert changed(lambda q: q.__setitem__("lexical", [["B", 11.0], ["A", 12.5], ["C", 11.0]])) == ["q:1: lexical changed"]
    assert changed(lambda q: q.__setitem__("lexical total", 293)) == ["q:1: lexical total changed"]
    assert changed(lambda q: q.__setitem__("fused total", 390)) == ["q:1: fused total changed"]
