"""What a query says of how the condition runs in the family, and what the ontology ranker makes of it: with
"consanguineous parents" a recessive disease comes before a dominant one that matches the findings as well."""

from __future__ import annotations

import pytest

from app.understanding.heredity import AD, AR, MT, XLR, read_heredity
from app.understanding.recognizer import load_recognizer
from app.understanding.similarity import AnnotationFact, PhenotypeSimilarity, SimilarityConfig


@pytest.fixture(scope="module")
def recognizer():
    return load_recognizer()


def cues(recognizer, text: str) -> list[str]:
    return recognizer.recognize(text).heredity.names


@pytest.mark.parametrize("text, expected", [
    ("Day 3 term F, consanguineous parents, poor feeding then lethargy.", ["parents related"]),
    ("A boy; parents are first cousins, seizures", ["parents related"]),
    ("A girl, non-consanguineous parents, seizures", []), ("no consanguinity; seizures", []),
    ("Tall boy with lens dislocation. Father had aortic dissection at 40.", ["affected father"]),  # a finding of his
    ("Migraine with aura and strokes. Her mother has the same.", ["affected mother"]),  # "the same"
    ("Seizures since infancy. Mother is healthy.", []), ("Ichthyosis. Brother has the same skin.", ["affected sibling"]),
    ("6 yo M, severe EBV infection. Maternal uncle died of glandular fever aged 5.",
     ["affected maternal male relative"]),
    ("Night blindness. My mum's brother has the same problem.", ["affected maternal male relative"]),
    ("Ataxia in three generations, with male-to-male transmission.", ["male-to-male transmission",
                                                                      "several generations"]),
    ("Foot drop. Mother has pes cavus; no male-to-male transmission.", ["no male-to-male transmission",
                                                                        "affected mother"]),
    ("Deafness, autosomal recessive pattern.", ["autosomal recessive"]),
    ("8 mo F, Ashkenazi Jewish parents, massive hepatosplenomegaly.", []),  # parents named for their origin
    ("Short stature, no family history.", []), ("Seizures. No family history of similar problems.", []),
    ("Seizures. Family history of similar seizures in father.", ["affected father"]),  # the kin named in it
    ("Ataxia. His father and grandfather were similarly affected.", ["affected father", "affected relative",
                                                                     "several generations"]),
    ("FHx: sudden death in maternal uncle", ["affected maternal male relative"]),
    # denied, in the clause before or after
    ("Seizures. Parents are non consanguineous.", []), ("No known consanguinity.", []), ("Consanguinity denied.", []),
    ("Consanguinity: none.", []), ("?consanguinity", []), ("Absence of male-to-male transmission.",
                                                            ["no male-to-male transmission"]),
    ("Male-to-male transmission excluded.", ["no male-to-male transmission"]), ("Nothing runs in the family.", []),
    ("Unaffected in three generations.", []), ("Three generations live in the same house.", []),
    ("Seizures. Family history of seizures: none.", []), ("Seizures. Negative family history of seizures.", []),
    # a mode only where it is named as one, not denied; alternatives fit alike
    ("Not autosomal recessive inheritance.", []), ("AD inheritance unlikely.", []),
    ("Negative autosomal recessive panel.", []), ("Autosomal recessive polycystic kidney disease in a cousin.", []),
    ("Hemizygous variant, maternally inherited.", []),
    ("Autosomal dominant or recessive inheritance.", ["autosomal dominant or autosomal recessive"]),
    # or after the word for inheritance ("AR" alone is aortic regurgitation)
    ("Deafness; inheritance could be AD or AR.", ["autosomal dominant or autosomal recessive"]),
    ("Inheritance: X-linked.", ["X-linked"]), ("Mild AR on echo, inheritance unknown.", []),
    ("MRI pattern consistent with AD.", []), ("Muscle biopsy pattern suggests mitochondrial myopathy.", []),
    # relative by relative, clause by clause
    ("Seizures. Mother is healthy, father has seizures.", ["affected father"]),
    ("Seizures. Father has the same, mother is healthy.", ["affected father"]),
    ("Seizures. Brother affected, sister unaffected.", ["affected sibling"]),
    ("Seizures. His brother has it as well.", ["affected sibling"]),
    ("Seizures. His brother and a maternal uncle have the same.", ["affected sibling",
                                                                   "affected maternal male relative"]),
    ("Night blindness. My mum and her brother have the same problem.", ["affected mother",
                                                                        "affected maternal male relative"]),
    ("Myopathy. Maternal grandfather and uncle had the same, mother is an obligate carrier.",
     ["affected relative", "affected maternal male relative"]),  # the grandfather up the line, the uncle beside it
    ("I get blisters. My mum and my son get the same thing.", ["affected mother", "affected child"]),  # the patient
    ("My 3-year-old son has scaly skin. My brother has the same skin.", ["affected relative"]),  # a parent writing
    # no cue: bare "also", a carrier, no blood relative; a parent's brother is the patient's uncle
    ("Seizures. Mother is also a nurse.", []), ("Seizures. Sister was also tested.", []),
    ("Seizures. Mother is also a carrier.", []), ("Seizures. Step-father has seizures.", []),
    ("Seizures. His adoptive mother has epilepsy.", []), ("Seizures. Dad died in a car accident.", []),
    ("Our son has big calves. My brother had the same and died at 18.", ["affected relative"]),
])
def test_the_cues_a_query_gives(recognizer, text, expected):
    assert cues(recognizer, text) == expected


def test_each_cue_weighs_the_modes_of_inheritance():
    related = read_heredity("consanguineous parents")
    assert related.fit(AR) == 1.0 and related.fit(AD) < 0.5
    uncle = read_heredity("his maternal uncle had the same")
    assert uncle.fit(XLR) == 1.0 and uncle.fit(AR) < uncle.fit(AD) < 1.0
    mother = read_heredity("Deaf. Her mother has the same.")
    assert mother.fit(AD) == mother.fit(MT) == 1.0 > mother.fit(AR)
    both = read_heredity("consanguineous parents; her sister has the same")  # cues multiply
    assert both.fit(AR) == 1.0 and both.fit(AD) == pytest.approx(0.3 * 0.6)
    assert read_heredity("seizures").fit(AD) == 1.0  # nothing said: every mode fits
    assert related.fit_of(["Autosomal dominant inheritance", "Autosomal recessive inheritance"]) == 1.0
    assert related.fit_of(["Typified by incomplete penetrance"]) is None  # no mode: unknown


R, A, A1, B = "HP:0000118", "HP:0000100", "HP:0000101", "HP:0000200"


def test_the_ontology_ranker_puts_the_diseases_whose_inheritance_fits_first():
    """Three diseases annotated alike; with consanguineous parents the recessive one leads, the dominant one and
    the one with no mode annotated fall behind it; without a cue the three tie."""
    facts = [AnnotationFact(d, A1, "", False) for d in ("OMIM:1", "OMIM:2", "OMIM:3")] + [
        AnnotationFact("OMIM:4", B, "", False)]
    sim = PhenotypeSimilarity({R: [], A: [R], A1: [A], B: [R]}, facts, config=SimilarityConfig(background_weight=0.0),
                              inheritance={"OMIM:1": ["Autosomal dominant inheritance"],
                                           "OMIM:2": ["Autosomal recessive inheritance"]})
    plain = sim.rank([A1])
    assert len({s for _, s in plain}) == 1
    cued = sim.rank([A1], heredity=read_heredity("consanguineous parents"))
    assert cued[0] == pytest.approx(("OMIM:2", plain[0][1]))
    weight = sim.config.heredity_weight
    shift = {d: s - plain[0][1] for d, s in cued}
    # a disease with no mode annotated fits as an average disease: half of these are recessive (1), half dominant (0.3)
    assert shift == pytest.approx({"OMIM:2": 0.0, "OMIM:1": weight * (0.3 - 1), "OMIM:3": weight * (0.65 - 1)})


def test_a_cue_resting_on_a_relatives_finding_counts_where_a_likely_disease_shows_it():
    """"His father has asthma" beside a muscular dystrophy's findings says nothing of the inheritance: a cue that
    rests only on a relative's finding is kept where one of the diseases the patient's findings rank highest shows
    that finding; a cue said in words ("has the same") is always kept."""
    facts = [AnnotationFact("OMIM:1", A1, "", False), AnnotationFact("OMIM:1", B, "", False),
             AnnotationFact("OMIM:2", A1, "", False), AnnotationFact("OMIM:3", B, "", False),
             AnnotationFact("OMIM:4", B, "", False)]
    sim = PhenotypeSimilarity({R: [], A: [R], A1: [A], B: [R]}, facts, config=SimilarityConfig(background_weight=0.0))
    assert sim.shown_by_top([A1], [], [], {B, "HP:9999999"}, n=1) == {B}  # OMIM:1 leads and shows B
    assert sim.shown_by_top([A1], [], [], {B}, n=4) == {B}
    heredity = read_heredity("Seizures. His father has asthma. Mother has the same.", [(20, 26, "HP:0002099")])
    assert heredity.names == ["affected father", "affected mother"]
    assert heredity.keeping(set()).names == ["affected mother"]
    assert heredity.keeping({"HP:0002099"}).names == ["affected father", "affected mother"]
