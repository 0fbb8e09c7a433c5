"""Measured values in a query ("CK 25000", "Na 125", "HC -3 SD", "BP 180/110") read as the findings they name."""

from __future__ import annotations

import time

import pytest

from app.understanding.measurements import ANTIBODIES, Measurements


@pytest.fixture(scope="module")
def measurements() -> Measurements:
    return Measurements()


def labels(measurements: Measurements, text: str) -> list[str]:
    return [r.label for r in measurements.read(text)]


@pytest.mark.parametrize("text, expected", [
    ("CK 25000", ["Elevated circulating creatine kinase concentration"]),  # the level annotations use
    ("CK 25,000 U/L", ["Elevated circulating creatine kinase concentration"]),
    ("CPK of 1500 IU/L", ["Elevated circulating creatine kinase concentration"]),
    ("creatine kinase (CK) 60x ULN", ["Elevated circulating creatine kinase concentration"]),
    ("Na 125, K+ 6.2 mmol/L", ["Hyponatremia", "Hyperkalemia"]),
    ("Hb 6.5", ["Anemia"]), ("Hb 70 g/L", ["Anemia"]),  # g/dL and g/L alike
    ("platelets 20", ["Thrombocytopenia"]), ("platelets 20,000/uL", ["Thrombocytopenia"]),
    ("glucose 1.8 mmol/L", ["Hypoglycemia"]), ("glucose 40 mg/dL", ["Hypoglycemia"]),
    ("ALP 12", ["Low alkaline phosphatase"]), ("ammonia 350", ["Hyperammonemia"]),
    # plasma amino acids
    ("Plasma tyrosine ~1100 umol/L", ["Hypertyrosinemia"]), ("Phe 1200 umol/L", ["Hyperphenylalaninemia"]),
    ("Phe 20 mg/dL", ["Hyperphenylalaninemia"]), ("leucine 1800", ["Hyperleucinemia"]),
    ("citrulline 2500 umol/L", ["Elevated plasma citrulline"]), ("homocysteine 150 umol/L", ["Hyperhomocystinemia"]),
    ("temp 102 F", ["Fever"]), ("T 39.5", ["Fever"]), ("BP 180/110", ["Hypertension"]),
    ("height -3 SD", ["Short stature"]), ("OFC <3rd centile", ["Microcephaly"]),
    ("head circumference above the 98th percentile", ["Macrocephaly"]),
    ("HbA1c 9.5%", ["Elevated hemoglobin A1c"]),  # not a haemoglobin of 9.5
    ("TSH <0.01", ["Decreased thyroid-stimulating hormone level"]),
    ("TSH 48 mU/L", ["Elevated circulating thyroid-stimulating hormone concentration"]),
    ("OFC 42 cm (-3 SD)", ["Microcephaly"]), ("weight 9 kg, <3rd centile", ["Decreased body weight"]),
    ("height 2.5 SD below the mean", ["Short stature"]), ("HC –3 SD", ["Microcephaly"]),  # words and an en dash
    ("ANC 200", ["Neutropenia"]),  # cells per µL: in ×10⁹/L it could not be
    ("CSF glucose 30 mg/dL", ["Hypoglycorrhachia"]),  # not Hypoglycemia
    ("CSF protein 160 mg/dL", ["Increased CSF protein concentration"]),
    ("QTc 520 ms", ["Prolonged QTc interval"]), ("LVEF 25%", ["Reduced left ventricular ejection fraction"]),
    ("IOP 32 mmHg", ["Ocular hypertension"]), ("aPTT 82 s", ["Prolonged partial thromboplastin time"]),
    ("PT 35 s", ["Prolonged prothrombin time"]), ("INR 3.1", ["Prolonged prothrombin time"]),
    ("PTH 310 pg/mL", ["Elevated circulating parathyroid hormone level"]),
    ("PTH 3 pg/mL", ["Decreased circulating parathyroid hormone level"]),
    ("ACTH 650 pg/mL", ["Increased circulating ACTH level"]), ("homocysteine 220", ["Hyperhomocystinemia"]),
    ("GGT 620 U/L", ["Elevated gamma-glutamyltransferase level"]),
    ("conjugated bilirubin 5.8 mg/dL", ["Conjugated hyperbilirubinemia"]),
    ("IgG 90 mg/dL, IgM 310 mg/dL", ["Decreased circulating IgG concentration", "Increased circulating IgM level"]),
    ("LDL-C 265 mg/dL", ["Increased LDL cholesterol concentration"]), ("Cl 82", ["Hypochloremia"]),
    ("anion gap 28", ["Elevated serum anion gap"]), ("retic 14%", ["Reticulocytosis"]),
    ("plt 48k", ["Thrombocytopenia"]), ("creatinine peak 4.1 mg/dL", ["Elevated circulating creatinine concentration"]),
    ("plt 105k", ["Thrombocytopenia"]), ("platelets 140 x10^9/L", ["Thrombocytopenia"]),
    ("CK peaked at 25000", ["Elevated circulating creatine kinase concentration"]),
    ("TG 450", ["Hypertriglyceridemia"]), ("APTT 80 s", ["Prolonged partial thromboplastin time"]),
    ("born at 31 wk", ["Premature birth"]), ("34 wk preterm", ["Premature birth"]),
    ("ex-28 weeker", ["Premature birth"]), ("GA 33+2 weeks", ["Premature birth"]),
])
def test_an_abnormal_value_names_its_finding(measurements, text, expected):
    assert labels(measurements, text) == expected


@pytest.mark.parametrize("text", [
    "CK 150", "Na 140", "Hb 13.5 g/dL", "platelets 250", "platelets 150", "HR 120",  # within the limits
    "phosphate 2.0",  # high in mmol/L, low in mg/dL: no unit, no reading
    "CK < 500",  # an upper bound says nothing abnormal
    "T 38 weeks", "height 98 cm", "height at the 50th centile", "height 150 cm (50th centile)",  # a duration, centimetres, a normal centile
    "lymphocytes 60%",  # a share of the white cells is no count
    "urine pH 7.8", "vitamin K 10 mg", "K 6.1/5.9 ratio",
    "height 2.5 SD",  # which side is not said
    "ANC 50", "platelets 2,000",  # low per µL, high in ×10⁹/L: no unit, no reading
    "eosinophils 3", "lymphocytes 25",  # a cell's name with a bare number may be its share of the white cells
    "pH 7,35", "K 3,5",  # decimal commas are not cut
    "newborn, BP 60/35",  # a low pressure is not read (normal for a newborn)
    "CSF glucose 60 mg/dL", "urine glucose 500 mg/dL",  # no blood glucose: CSF and urine are read apart
    "direct bilirubin 0.3 mg/dL",  # no total bilirubin of 0.3
    "CSF protein 0.9 g/L",  # within a newborn's limits
    "GGT 180 U/L", "QTc 440 ms", "EF 55%",
    "PT 3 times a week", "PT 20",  # physiotherapy: a prothrombin time needs its unit
    "stool Cl 140 mmol/L", "urine Cl 10",  # no blood chloride
    "IgG 800 mg/dL", "born at 39 weeks", "8 weeks old",
])
def test_a_value_within_its_limits_or_unreadable_names_nothing(measurements, text):
    assert labels(measurements, text) == []


@pytest.mark.parametrize("text", [
    "higher than normal ALT and CK", "twice normal ALT", "3 times normal ALT", "3x normal ALT",
    "above normal uric acid with gout", "higher-than-normal serum ammonia", "not normal calcium",
    "free T4 high with inappropriately normal TSH",
])
def test_normal_as_a_measure_of_how_far_from_it_rules_nothing_out(measurements, text):
    assert [r for r in measurements.read(text) if r.normal] == []


@pytest.mark.parametrize("text, ruled_out", [
    ("NH3 normal", ["Hyperammonemia"]),
    ("PT and platelets normal", ["Prolonged prothrombin time", "Thrombocytopenia", "Thrombocytosis"]),
    ("Ca/phos normal", ["Hypocalcemia", "Hypercalcemia", "Hypophosphatemia", "Hyperphosphatemia"]),
    ("creatinine within normal limits", ["Elevated circulating creatinine concentration"]),
    ("the platelet count is normal", ["Thrombocytopenia", "Thrombocytosis"]),
    ("GGT blood test is normal", ["Elevated gamma-glutamyltransferase level"]),
    ("BP normal", ["Hypertension"]),
    ("normal blood pressure", ["Hypertension"]),
    ("milestones normal", ["Global developmental delay"]), ("normal intellect", ["Intellectual disability"]),
    ("passed newborn hearing screen", ["Hearing impairment"]), ("echo normal", ["Abnormal heart morphology"]),
    ("nl BP", ["Hypertension"]),
    ("APTT was normal", ["Prolonged partial thromboplastin time"]),
    ("my potassium has always been normal", ["Hypokalemia", "Hyperkalemia"]),
    ("cortisol came back normal", ["Decreased circulating cortisol level", "Increased circulating cortisol level"]),
    ("TSH normal", ["Decreased thyroid-stimulating hormone level",
                    "Elevated circulating thyroid-stimulating hormone concentration"]),
    ("normal uric acid", ["Hypouricemia", "Hyperuricemia"]), ("normal serum ammonia", ["Hyperammonemia"]),
])
def test_an_analyte_written_as_normal_rules_out_its_findings(measurements, text, ruled_out):
    readings = measurements.read(text)
    assert [r.label for r in readings] == ruled_out and all(r.normal for r in readings)


def test_a_value_and_a_normal_analyte_in_one_text(measurements):
    readings = measurements.read("K 2.7, Mg normal, hearing normal, normal saline")
    assert [(r.label, r.normal) for r in readings] == [("Hypokalemia", False), ("Hypomagnesemia", True),
                                                      ("Hypermagnesemia", True), ("Hearing impairment", True)]


def test_a_reading_spans_the_words_that_say_it_and_says_how_it_was_read(measurements):
    text = "4yo M, calf pseudohypertrophy, CK 25000 U/L, Gowers sign"
    [reading] = measurements.read(text)
    assert text[reading.start:reading.end] == "CK 25000 U/L"
    assert reading.reading == "CK 25000 U/L: above 300 U/L"  # the limit in its reference unit


def test_values_pasted_with_tabs_and_runs_of_spaces_are_read_with_spans_in_the_text(measurements):
    text = "CK\t\t25000 and OFC   42 cm   (-3 SD),\n\nNa  125"
    readings = measurements.read(text)
    assert [text[r.start:r.end] for r in readings] == ["CK\t\t25000", "OFC   42 cm   (-3 SD)", "Na  125"]
    assert [r.label for r in readings] == ["Elevated circulating creatine kinase concentration", "Microcephaly",
                                           "Hyponatremia"]
    assert readings[1].reading == "OFC 42 cm (-3 SD): ≤ -2 SD"


@pytest.mark.parametrize("text, expected", [
    ("urate raised", [("Hyperuricemia", "urate raised")]),
    ("FT4 low, TSH normal", [("Decreased circulating free T4 concentration", "FT4 low")]),
    ("PTH inappropriately low, phosphate high", [("Decreased circulating parathyroid hormone level",
                                                  "PTH inappropriately low"), ("Hyperphosphatemia", "phosphate high")]),
    ("raised serum urate", [("Hyperuricemia", "raised serum urate")]),
    ("IgA undetectable", [("Decreased circulating IgA concentration", "IgA undetectable")]),
    ("aPTT prolonged", [("Prolonged partial thromboplastin time", "aPTT prolonged")]),
    ("urate  \t raised", [("Hyperuricemia", "urate  \t raised")]),
    ("low IgG, IgA, IgM", [("Decreased circulating IgG concentration", "low IgG"),
                           ("Decreased circulating IgA concentration", "IgA"), ("Decreased circulating total IgM", "IgM")]),
    ("urate raised, IgA normal", [("Hyperuricemia", "urate raised")]),  # a list runs on after the word only
    ("Low Na, K 4.2", [("Hyponatremia", "Low Na")]), ("raised CK, ALT normal",
                                                     [("Elevated circulating creatine kinase concentration", "raised CK")]),
    ("low sodium diet, high glucose infusion rates, IgA low normal", []),
    ("IQ low\nsodium 139", [("Intellectual disability", "IQ low")]),  # the line's word is the IQ's
    # a word for high or low next to no analyte, or a level without a low finding, names nothing
    ("low-set ears, high arches", []), ("low T", []), ("low AFP", []), ("creatinine now rising", []),
    # amino acids and other metabolites
    ("Plasma glutamine high, citrulline very low", [("Hyperglutaminemia", "Plasma glutamine high"),
                                                    ("Low plasma citrulline", "citrulline very low")]),
    ("raised isoleucine, valine high", [("Hyperisoleucinemia", "raised isoleucine"),
                                        ("Hypervalinemia", "valine high")]),
    ("newborn screen flagged high galactose", [("Hypergalactosemia", "high galactose")]),
    # names listed before the one the word follows share it; one with a word of its own does not
    ("plasma renin and aldosterone both suppressed", [("Decreased circulating renin concentration", "plasma renin"),
                                                      ("Decreased circulating aldosterone concentration",
                                                       "aldosterone both suppressed")]),
    ("sodium and potassium both low", [("Hyponatremia", "sodium"), ("Hypokalemia", "potassium both low")]),
    ("IgG, IgA and IgM low", [("Decreased circulating IgG concentration", "IgG"),
                              ("Decreased circulating IgA concentration", "IgA"),
                              ("Decreased circulating total IgM", "IgM low")]),
    ("raised calcium and phosphate low", [("Hypercalcemia", "raised calcium"), ("Hypophosphatemia", "phosphate low")]),
    ("high calcium, phosphate low", [("Hypercalcemia", "high calcium"), ("Hypophosphatemia", "phosphate low")]),
    ("urine albumin:creatinine ratio raised", [("Albuminuria", "urine albumin:creatinine ratio raised")]),
    ("UPCR high", [("Proteinuria", "UPCR high")]),
    ("TSH and free T4 both low", [("Decreased thyroid-stimulating hormone level", "TSH"),
                                  ("Decreased circulating free T4 concentration", "free T4 both low")]),
    ("ferritin, iron and B12 low", [("Decreased circulating ferritin concentration", "ferritin"),
                                    ("Decreased circulating iron concentration", "iron"),
                                    ("Decreased circulating vitamin B12 concentration", "B12 low")]),
    ("TIBC high", [("Increased total iron binding capacity", "TIBC high")]), ("low iron diet", []),
    ("alanine aminotransferase raised", [("Elevated circulating alanine aminotransferase concentration",
                                          "alanine aminotransferase raised")]),  # no alanine
])
def test_an_analyte_written_as_high_or_low(measurements, text, expected):
    assert [(r.label, text[r.start:r.end]) for r in measurements.worded(text)] == expected


def test_a_phrase_of_the_release_wins_over_a_worded_analyte():
    from app.understanding.recognizer import load_recognizer
    recognizer = load_recognizer()
    mention = recognizer.recognize("low calcium").mentions[0]
    assert (mention.name, mention.measured) == ("Hypocalcemia", False)  # the release's phrase, as before
    mention = recognizer.recognize("urate raised").mentions[0]
    assert (mention.name, mention.measured, mention.matched) == ("Hyperuricemia", True,
                                                                 "urate raised: written as high")


@pytest.mark.parametrize("text", [
    "OFC 42 cm" + " " * 1990 + "x",  # took 7 s at 200 spaces and 106 s at 400 before runs of spaces were squeezed
    "height -2" + " " * 1990 + "x", "CK 1" + " " * 1995, "BP 120" + " " * 1990 + "/80", "HC <" + " " * 1990 + "3rd",
    ("OFC 4 cm ( " + " " * 20) * 60, "OFC 42 cm\t\t\t" * 150, "low " * 500, ("urate " + " " * 30 + "low ") * 50,
])
def test_a_query_at_the_length_limit_is_read_in_moments_whatever_its_spacing(measurements, text):
    text = text[:2000]  # the API's query limit
    start = time.perf_counter()
    measurements.read(text)
    measurements.worded(text)
    assert time.perf_counter() - start < 2.0  # milliseconds now; minutes to days before


@pytest.mark.parametrize("spaced, other", [
    ("creatine kinase 25000", "creatine\u00a0kinase 25000"), ("ionized calcium 1.5", "ionized\tcalcium 1.5"),
    ("ionized calcium 1.5", "ionized\t\tcalcium 1.5"), ("urine pH 8.0", "urine\u00a0pH 8.0"),
    ("CK 25000", "CK\n25000"),
])
def test_a_tab_newline_or_non_breaking_space_reads_as_a_space(measurements, spaced, other):
    assert labels(measurements, other) == labels(measurements, spaced)
    assert [r.reading for r in measurements.read(other)] == [r.reading for r in measurements.read(spaced)]


def test_a_reading_does_not_end_on_the_spaces_after_it(measurements):
    text = "HC z-score -3    and more"
    [reading] = measurements.read(text)
    assert text[reading.start:reading.end] == "HC z-score -3"


@pytest.mark.parametrize("text, expected", [
    ("ANA and RF positive", [("Antinuclear antibody positivity", "ANA", False),
                             ("Rheumatoid factor positive", "RF positive", False)]),
    ("ANA, RF negative", [("Antinuclear antibody positivity", "ANA", True),
                          ("Rheumatoid factor positive", "RF negative", True)]),
    ("anti-CCP positive, RF was negative",
     [("Anti-cyclic citrullinated peptide antibody positivity", "anti-CCP positive", False),
      ("Rheumatoid factor positive", "RF was negative", True)]),
    ("negative for ANA and dsDNA", [("Antinuclear antibody positivity", "negative for ANA", True),
                                    ("Anti-dsDNA antibody positivity", "dsDNA", True)]),
    ("ANA RF negative", [("Antinuclear antibody positivity", "ANA", True),
                         ("Rheumatoid factor positive", "RF negative", True)]),
    ("ANA/dsDNA negative", [("Antinuclear antibody positivity", "ANA", True),
                            ("Anti-dsDNA antibody positivity", "dsDNA negative", True)]),
    ("ASO titre raised", [("Antistreptolysin O antibody positivity", "ASO titre raised", False)]),
    ("ANA weakly positive", [("Antinuclear antibody positivity", "ANA weakly positive", False)]),  # no weakness
    # a result of its own after the names wins over a word before them
    ("DAT negative ANA positive", [("Antinuclear antibody positivity", "ANA positive", False)]),
    ("negative ANA dsDNA positive", [("Antinuclear antibody positivity", "negative ANA", True),
                                     ("Anti-dsDNA antibody positivity", "dsDNA positive", False)]),
    # RF (also rheumatic fever, renal or respiratory failure) only beside its result
    ("h/o RF, ASO raised", [("Antistreptolysin O antibody positivity", "ASO raised", False)]),
    # abbreviations only in capitals; "c-ANCA" is a test of its own (a phrase of the recognizer); no result, no reading
    ("rf negative", []), ("c-ANCA positive", []), ("ANA pending, RF sent", []), ("TSH high", []),
])
def test_antibodies_written_positive_or_negative(measurements, text, expected):
    assert [(r.label, text[r.start:r.end], r.normal) for r in measurements.read(text)
            if r.label.endswith(("positivity", "positive"))] == expected


@pytest.mark.parametrize("text, expected", [
    ("ALT 2x ULN", ["Elevated circulating alanine aminotransferase concentration"]),  # twice the limit, at any age
    ("ALP 3x ULN", ["Elevated circulating alkaline phosphatase concentration"]),
    ("GGT 10 times normal", ["Elevated gamma-glutamyltransferase level"]),
    # less than twice the limit, an upper bound, or an analyte not written so: nothing abnormal said
    ("ALT 1.5x ULN", []), ("ALT < 2x ULN", []), ("ALT up to 3x ULN", []), ("sodium 2x normal", []),
])
def test_a_multiple_of_the_upper_limit_of_normal(measurements, text, expected):
    assert labels(measurements, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("undetectable ADH", [("Decreased circulating antidiuretic hormone concentration", "undetectable ADH")]),
    ("low serum osm", [("Low serum osmolality", "low serum osm")]),
    ("urine osmolality high", [("Hyperosthenuria", "urine osmolality high")]),
    ("vasopressin reduced overnight", []), ("sodium rising slowly", []),  # a drug weaned; a trend is no level
])
def test_more_levels_written_as_high_or_low(measurements, text, expected):
    assert [(r.label, text[r.start:r.end]) for r in measurements.worded(text)] == expected


def test_a_level_normal_once_rules_nothing_out(measurements):
    assert [r for r in measurements.read("initially normal ALT, previously normal development") if r.normal] == []


@pytest.mark.parametrize("text, adult_reads", [
    ("K 5.6", ["Hyperkalemia"]), ("K 3.3", ["Hypokalemia"]), ("Na 133", ["Hyponatremia"]),
    ("ALT 110", ["Elevated circulating alanine aminotransferase concentration"]),
    ("GGT 95 U/L", ["Elevated gamma-glutamyltransferase level"]), ("PT 19 s", ["Prolonged prothrombin time"]),
    ("aPTT 55 s", ["Prolonged partial thromboplastin time"]),
    ("IgG 3.1 g/L", ["Decreased circulating IgG concentration"]),
    ("HR 48", ["Bradycardia"]), ("MCV 104", ["Increased mean corpuscular volume"]), ("Hb 11.2", ["Anemia"]),
    ("creatinine 1.6 mg/dL", ["Elevated circulating creatinine concentration"]), ("Cl 113", ["Hyperchloremia"]),
    ("ALP 480 U/L", ["Elevated circulating alkaline phosphatase concentration"]),
    ("lymphocytes 0.9 x10^9/L", ["Lymphopenia"]),
])
def test_an_adults_value_past_an_adults_limit_names_its_finding_and_a_childs_does_not(measurements, text, adult_reads):
    assert [r.label for r in measurements.read(text, adult=True)] == adult_reads
    assert labels(measurements, text) == []  # a child's potassium, ALP or clotting times may run that far
    (reading,) = measurements.read(text, adult=True)
    assert reading.reading.endswith("(an adult's limit)")


def test_an_adults_value_within_an_adults_limits_names_nothing_and_any_age_limits_still_hold(measurements):
    assert [r.label for r in measurements.read("K 4.8, ALT 35, PT 12 s, Hb 13.5, GGT 28 (normal)", adult=True)] == []
    (reading,) = measurements.read("K 7.1", adult=True)  # past the any-age limit too: read as the adult's
    assert reading.label == "Hyperkalemia"
    assert measurements.read("K 7.1")[0].reading == "K 7.1: above 5.8 mmol/L"



@pytest.mark.parametrize("text", [
    "K 5.6 (haemolysed)", "K 7.1, hemolyzed sample", "K 6.5 sample haemolysed",  # the sample's value, not the patient's
    "CMV IgG 150", "Mycoplasma IgG 300 U/mL",  # an antibody to a microbe is no total IgG: an adult's limit needs a unit
    "HR peaked at 165", "HR 130",  # an adult's fast rate is often exertion or fever: only the any-age limit
])
def test_an_adults_limits_leave_alone_what_they_cannot_judge(measurements, text):
    assert measurements.read(text, adult=True) == []


def test_a_sample_called_sound_or_another_analytes_note_leaves_a_value_read(measurements):
    assert [r.label for r in measurements.read("K 6.2, non-haemolysed", adult=True)] == ["Hyperkalemia"]
    assert [r.label for r in measurements.read("K 5.9, Na 150 hemolysed", adult=True)] == ["Hyperkalemia"]


@pytest.mark.parametrize("text, expected", [
    ("K 5.6, repeat 4.2", []), ("Na 128; repeat normal", []), ("CK 25000, rpt 150", []),  # not confirmed
    ("K 5.6, repeat 6.1", ["Hyperkalemia"]), ("CK 25000, repeated 18000", ["Elevated circulating creatine kinase "
                                                                            "concentration"]),  # confirmed
    ("K 5.6, Na 140", ["Hyperkalemia"]),  # another analyte's value is no repeat
])
def test_a_value_its_repeat_does_not_confirm_names_nothing(measurements, text, expected):
    assert [r.label for r in measurements.read(text, adult=True)] == expected


@pytest.mark.parametrize("text, expected", [
    ("on warfarin, INR 3.1", []), ("heparin-induced thrombocytopenia, aPTT 80 s", []),  # the drug's effect
    ("DVT on apixaban, PT 19 s", []), ("marathon runner, HR 38", []), ("athlete, resting pulse 40 bpm", []),
    ("INR 3.1", ["Prolonged prothrombin time"]), ("HR 38", ["Bradycardia"]),
    ("lupus anticoagulant positive, aPTT 80 s", ["Prolonged partial thromboplastin time"]),  # a finding, no drug
    ("not on anticoagulants, PT 25 s", ["Prolonged prothrombin time"]),
    ("on warfarin, Hb 6.5", ["Anemia"]),  # only clotting times are the drug's
])
def test_what_a_treatment_or_training_explains_is_no_finding(measurements, text, expected):
    assert [r.label for r in measurements.read(text)] == expected


def test_an_adults_reticulocytes_are_read_against_an_adults_limit(measurements):
    assert [r.label for r in measurements.read("retics 4%", adult=True)] == ["Reticulocytosis"]
    assert measurements.read("retics 4%") == []  # a newborn's run up to about 7%


@pytest.mark.parametrize("text, expected", [
    ("VA 6/36 OU", ["Reduced visual acuity"]), ("BCVA 20/200 OD", ["Reduced visual acuity"]),
    ("visual acuity 6/120", ["Severely reduced visual acuity"]),
    ("VA R 6/18, L 6/60", ["Reduced visual acuity"]),  # the better eye's
    ("VA right 6/9, left 6/60", []), ("VA 6/6", []), ("visual acuity 20/40", []),  # the better eye 6/12 or better
    ("blurred vision 6/12", []),  # "6/12" may be six months: only after the acuity's name
])
def test_visual_acuity_as_a_snellen_fraction(measurements, text, expected):
    assert labels(measurements, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("BMI 14", ["Decreased body mass index"]), ("BMI of 32 kg/m2", ["Obesity"]), ("BMI 24", []),
    ("BMI 97th centile", ["Increased body mass index"]),  # a centile is read as a centile
    ("BMI 30%", []),
])
def test_an_adults_body_mass_index_as_a_number(measurements, text, expected):
    assert [r.label for r in measurements.read(text, adult=True)] == expected
    assert all(r.label != "Decreased body mass index" for r in measurements.read(text))  # a child's runs with age


@pytest.mark.parametrize("text, positive, negative", [
    ("ANA+ RF-", ["Antinuclear antibody positivity"], ["Rheumatoid factor positive"]),  # a sign joined to the name
    ("ANA+, anti-dsDNA+", ["Antinuclear antibody positivity", "Anti-dsDNA antibody positivity"], []),
    ("RF +, C4 low", ["Rheumatoid factor positive"], []), ("RF-ve", [], ["Rheumatoid factor positive"]),
    ("K+ 6.3", [], []),  # a name's plus, not a result
])
def test_an_antibody_with_its_sign_as_the_result(measurements, text, positive, negative):
    readings = [r for r in measurements.read(text) if r.label in {label for _, label in ANTIBODIES}]
    assert [r.label for r in readings if not r.normal] == positive
    assert [r.label for r in readings if r.normal] == negative


@pytest.mark.parametrize("text, expected", [
    ("ANA 1:640", ["Antinuclear antibody positivity"]),
    ("ASMA titer of 1:320", ["Anti-smooth muscle antibody positivity"]),
    ("ANA titre 1:80", []),  # below 1:160: a low titre many healthy people show
    ("Anti-Scl-70 positive", ["Anti-topoisomerase I antibody positivity"]),
])
def test_an_antibodys_titre_and_scl_70(measurements, text, expected):
    assert [r.label for r in measurements.read(text) if not r.normal] == expected


@pytest.mark.parametrize("text, expected", [
    ("retics 0.2%", ["Reticulocytopenia"]), ("RVSP 75 mmHg", ["Elevated pulmonary artery pressure"]), ("RVSP 30", []),
    ("K now 6.2", ["Hyperkalemia"]),
])
def test_reticulocytes_low_a_right_heart_pressure_and_a_value_now(measurements, text, expected):
    assert labels(measurements, text) == expected


@pytest.mark.parametrize("text, adult, expected", [
    # what a second reading found: a stroke's date, a date, eyes joined by a space, an uncorrected acuity
    ("h/o CVA 6/2019", True, []), ("Seen at VA 6/20/2023", True, []), ("VA 6/60 6/6", False, []),
    ("UCVA 6/60, BCVA 6/6", False, []), ("VA 6/24 unaided, 6/6 with glasses", False, []),
    ("ANA - positive", False, []), ("ANA +/-", False, []),  # a dash, an equivocal result
    ("CK 25000, repeat 3 months later 18000", False, ["Elevated circulating creatine kinase concentration"]),
    ("Na 125, rpt 2 h 127", False, ["Hyponatremia"]),  # the repeat's value, not its time
    ("not anticoagulated, PT 30 s", False, ["Prolonged prothrombin time"]),
    ("No history of anticoagulant use; INR 2.5", False, ["Prolonged prothrombin time"]),
    ("INR 2.6 prior to starting warfarin", False, ["Prolonged prothrombin time"]),
    ("recurrent DVT despite anticoagulation, aPTT 90 s", False, []),
    ("HR 40, not an athlete", True, ["Bradycardia"]), ("athlete's foot; HR 38", True, ["Bradycardia"]),
    ("retic 45 x10^9/L", True, []), ("PASP 50% of systemic", False, []),  # a count or share, not the unit read
    ("BMI 2.5 SDS", True, []), ("BMI 98", True, []), ("K is now 6.1", True, ["Hyperkalemia"]),
    ("SCL-70 positive", False, ["Anti-topoisomerase I antibody positivity"]),
    ("ANA 1/640", False, ["Antinuclear antibody positivity"]),
])
def test_what_a_second_reading_of_the_new_limits_found(measurements, text, adult, expected):
    assert [r.label for r in measurements.read(text, adult=adult) if not r.normal] == expected
