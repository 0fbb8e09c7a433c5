"""A relative's findings are not the patient's: "father had an MI at 42" is family history, no finding of the patient."""

from __future__ import annotations

import pytest

from app.understanding.experiencer import relatives_spans
from app.understanding.recognizer import load_recognizer


@pytest.fixture(scope="module")
def recognizer():
    return load_recognizer()


def scoped(text: str) -> list[str]:
    return [text[a:b] for a, b in relatives_spans(text)]


@pytest.mark.parametrize("text, expected", [
    ("34 yo M with xanthomas; father had MI at 42. Not diabetic.", ["father had MI at 42"]),
    ("38 yo F with diabetes. Mother also diabetic and deaf.", ["Mother also diabetic and deaf"]),
    ("I pass kidney stones. My sister has had stones too.", ["sister has had stones too"]),
    ("no family history of seizures", ["family history of seizures"]),
    ("FHx: sudden death in uncle", ["FHx: sudden death in uncle"]),
    # a relative who observes, a possessive, the patient's parents, the patient as a son
    ("Mother noticed he stopped walking", []),
    ("parents report frequent falls", []),
    ("mother's pregnancy complicated by polyhydramnios", []),
    ("son of consanguineous parents, with seizures", []),
    # parents named for their kinship or health: the findings after them are the patient's
    ("Day 3 term F, consanguineous parents, poor feeding then lethargy.", []),
    ("A boy; parents are first cousins, seizures", []),
    ("A girl, healthy non-consanguineous parents, seizures; mother deaf", ["mother deaf"]),
    ("A boy. Consanguineous parents, both with hearing loss.", [", both with hearing loss"]),  # theirs
    ("Boy with ataxia. Parents are consanguineous and both have cataracts.", [" and both have cataracts"]),
    ("A boy; parents are 1st cousins, seizures", []),
    # parents named for their origin
    ("8 mo F, Ashkenazi Jewish parents, massive hepatosplenomegaly from 3 mo", []),
    ("Girl, parents from Turkey, seizures", []), ("Boy, parents of Pakistani origin, hypotonia", []),
    ("Boy with ataxia. Both parents deaf.", ["parents deaf"]),
    ("Seizures. Affected parents with seizures.", ["parents with seizures"]),  # no origin: a sentence's first word
    ("Boy, deaf. Parents from Turkey, both deaf.", [", both deaf"]),
    ("Girl with seizures. Her brother is not sitting and has hypotonia.", ["brother is not sitting and has hypotonia"]),
    ("my son has big calves", []),
    ("38 yo M with ataxia; his 14 yo son has seizures", ["his 14 yo son has seizures"]),  # the patient's child
    ("Her daughter has the same rash.", ["Her daughter has the same rash"]), ("his son noticed he falls", []),
    ("relative macrocephaly, relative indifference to pain", []),  # "relative" the adjective
    ("skin lighter than his parents, recurrent skin infections", []),  # a comparison
    ("fair hair vs siblings, seizures", []),
    # a text that opens on a relative is about that relative: they are the patient
    ("Dad gets pounding headaches. His mother had the same.", ["mother had the same"]),
    ("My grandpa can't hear the TV and feels the room spinning.", []),
    # "his" or "her" relative names the patient's: the text is about the patient
    ("His mother had acute fatty liver of pregnancy; hypoglycaemia at 2 days", ["mother had acute fatty liver of "
                                                                              "pregnancy"]),
    ("Her brother is deaf. She has seizures.", ["brother is deaf"]),
    # a relative who reports with the writer, or observes after an aside, states no finding of theirs
    ("His dad and I are worried because he falls a lot and has big calves.", []),
    ("His mother, who is a nurse, noticed he walks on his toes.", []),
    ("His mother, who has epilepsy, is well.", ["mother, who has epilepsy, is well"]),
    # "none of", "one of", "both of" a relative are relatives ("of" alone is no "son of … parents")
    ("None of her siblings have seizures.", ["siblings have seizures"]),
    ("One of his brothers has seizures.", ["brothers has seizures"]),
    ("Both of his parents are deaf.", ["parents are deaf"]),
    # a nephew, a niece and a relative's child are relatives
    ("My sister's son has autism and my nephew also has seizures.", ["sister's son has autism and my nephew also has "
                                                                    "seizures"]),
    # a note's family line opens the text, or the text names the patient apart: the line is family history
    ("Mother: hypermobile, easy bruising. Pt: skin hyperextensible.", ["Mother: hypermobile, easy bruising"]),
    ("Brother w/ HCM s/p ICD; pt echo nl.", ["Brother w/ HCM s/p ICD"]),
    # the patient with a relative: the findings are the patient's too
    ("Pt and his brother both have ptosis.", []),
])
def test_a_relatives_scope_runs_from_the_cue_to_the_end_of_its_sentence(text, expected):
    assert scoped(text) == expected


def test_a_relatives_findings_are_family_history_not_the_patients(recognizer):
    rec = recognizer.recognize("Tall boy with lens dislocation. Father had aortic dissection at 40; "
                               "his brother has seizures. Mother noticed he walks on his toes.")
    names = {m.name: m.relative for m in rec.mentions}
    assert names == {"Ectopia lentis": False, "Aortic dissection": True, "Seizure": True,
                     "Tip-toe gait": False}  # the mother observes: his toe walking is his
    assert [recognizer.term_name(h) for h in rec.observed] == ["Ectopia lentis", "Tip-toe gait"]
    assert [recognizer.term_name(h) for h in rec.family] == ["Aortic dissection", "Seizure"]
    assert rec.excluded == []
    # the same words said of the patient are read
    assert [m.name for m in recognizer.recognize("aortic dissection at 40; seizures").mentions] == [
        "Aortic dissection", "Seizure"]


def test_findings_denied_of_all_relatives_say_nothing_of_the_patient(recognizer):
    """"None of her siblings have seizures" is no seizure of the patient's, nor an affected sibling's."""
    assert recognizer.recognize("Ataxia since 3. None of her siblings have seizures.").mentions[1:] == []
    assert [m.name for m in recognizer.recognize("Ataxia since 3. Her siblings have seizures.").mentions
            if m.relative] == ["Seizure"]
