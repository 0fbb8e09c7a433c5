"""Measured values in clinical free text: "CK 25000", "Na 125 mmol/L", "Hb 6.5", "platelets 20,000",
"HC -3 SD", "height < 3rd centile", "BP 180/110", "T 39.5" → the HPO finding the value names.

Owns the analytes (the names clinicians write for them), their units, and the limits past which a value is
abnormal at any age. The limits are wide on purpose: a value is read as a finding only where it is abnormal
for children and adults alike, and a value within them names nothing. Asked for an adult's reading (`read(…,
adult=True)`: the caller knows the patient is 18 or older), the common analytes are also read against an adult's
reference interval. A value written without its unit is read in every unit it is plausible in, and only where
they all agree ("glucose 1.8" is low in mmol/L and impossible in mg/dL; "phosphate 2.0" is high in mmol/L and low
in mg/dL, so it names nothing). Knows nothing of phrases, negation or ranking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import islice

from app.understanding.tokens import ITEM_ENDS

_NUMBER = r"[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!,\d)"  # "pH 7,35" is no pH 7
# a value followed by one of these is an age or a duration ("T 38 weeks"), not a measurement
_NOT_A_VALUE = (r"(?!\s*(?:-?\s*(?:years?|yrs?|yo|y|months?|mo|weeks?|wks?|days?|d|hours?|hrs?|h|min|minutes"
                r"|times|episodes?|cm|mm|kg)\b"
                r"|(?i:i?u|units?|mg|mcg|[uµμ]g)\s*/\s*(?i:kg)\b"  # "factor VIII 25 IU/kg" is a dose
                # a share or a count in a unit the analyte is not written in ("PASP 50% of systemic", "retic 45
                # x10^9/L" is no percentage)
                r"|%|(?:x|×)\s*10(?!\d)))")
_BELOW, _ABOVE = frozenset({"<", "<=", "≤", "below", "under"}), frozenset({">", ">=", "≥", "over", "above"})
_ULN = r"\s*(?:x|×|times)\s*(?:the\s+)?(?:ULN|upper limit(?: of normal)?|normal|N)\b"
_JOIN = (r"\s*\+?\s*(?:(?:levels?|concentrations?|counts?|values?|activity|peak|peaked|max|maximum)\s+)?"
         r"(?:(?i:(?:is|was|are|were)\s+)?(?i:now|currently|still)\s+)?(?:(?:of|was|is|were|at|=|:|-)"
         r"\s*)?(?P<cmp>(?:<=|>=|<|>|≤|≥|~|about|approximately|up to|over|above|below|under)\s*)?")


@dataclass(frozen=True)
class Unit:
    written: str  # regex (case-insensitive) of the unit as written; "" for no unit written
    factor: float  # multiply by it to get the analyte's reference unit
    plausible: tuple[float, float] | None  # values read in this unit when none is written (None: only when written)
    offset: float = 0.0  # subtracted before the factor (degrees Fahrenheit)


@dataclass(frozen=True)
class Analyte:
    names: str  # regex alternatives, case-insensitive
    symbols: str  # regex alternatives matched only as written (K, Na, Hb, CK)
    units: tuple[Unit, ...]
    limits: tuple[tuple[str, float, str], ...]  # (">" or "<", limit in the reference unit, HPO label); first wins
    by_uln: bool = False  # also written as a multiple of the upper limit of normal ("CK 50x ULN", "ALT 3x ULN")
    unit: str = ""  # the reference unit the limits are in, as shown to the user
    normal: tuple[str, ...] = ()  # what the name written as normal rules out, when not every finding of `limits`
    # An adult's limits (the patient 18 or older), tried before `limits`: just past the usual adult reference
    # interval, where a child's values may run higher or lower ("K 5.6", "ALT 110", "PT 19 s", "IgG 3.1 g/L")
    adult: tuple[tuple[str, float, str], ...] = ()
    adult_needs_unit: bool = False  # an adult's limits only with the unit written ("CMV IgG 150" is no total IgG)


def _u(written: str, factor: float = 1.0, plausible: tuple[float, float] | None = None, offset: float = 0.0) -> Unit:
    return Unit(written, factor, plausible, offset)


_MMOL, _MGDL, _UMOL = r"mmol/l|mmol|mm", r"mg/dl|mg%", r"[uµμ]mol/l|[uµμ]mol|[uµμ]m"
_UL = r"u/l|iu/l|units?/l|iu|u"
_PER_UL = r"/[uµμ]l|/mm3|/mm\^3|per [uµμ]l|/cmm"
_E9 = r"(?:x|×)\s*10\^?9\s*/\s*l|(?:x|×)\s*10⁹\s*/\s*l|g/l|k/[uµμ]l|(?:x|×)\s*10\^?3\s*/\s*[uµμ]l"
_IQ = r"full[- ]scale IQ|FSIQ|intelligence quotient"  # measured (by its bands) and written low alike
_PERCENT = _u(r"%", 0.0)  # a share of the white cells says nothing alone: never read
# "T" is a temperature, but not in "T cells", "T-cell numbers", "T waves" or "T, B and NK cells"
TEMPERATURE_SYMBOL = r"T(?![- ]?(?:cells?|lymphocytes?|waves?)\b)(?!\s*(?:,|/|and|&)\s*B\b)"

ANALYTES: tuple[Analyte, ...] = (
    Analyte(r"creatine kinase|creatine phosphokinase", r"CK|CPK", (_u(_UL), _u("", 1, (1, 500_000))),
            # every size reads as the term the annotations use: of the 410 diseases annotated with a raised CK,
            # 3 say "Extremely elevated creatine kinase", and naming it lifted those 3 above Duchenne
            ((">", 300, "Elevated circulating creatine kinase concentration"),), by_uln=True, unit="U/L"),
    Analyte(r"sodium", r"Na", (_u(_MMOL + r"|meq/l"), _u("", 1, (90, 200))),
            (("<", 132, "Hyponatremia"), (">", 148, "Hypernatremia")), unit="mmol/L",
            adult=(("<", 135, "Hyponatremia"), (">", 145, "Hypernatremia"))),
    Analyte(r"potassium", r"K", (_u(_MMOL + r"|meq/l"), _u("", 1, (1, 10))),
            (("<", 3.2, "Hypokalemia"), (">", 5.8, "Hyperkalemia")), unit="mmol/L",
            adult=(("<", 3.5, "Hypokalemia"), (">", 5.5, "Hyperkalemia"))),
    Analyte(r"(?<!ionized )(?<!ionised )(?:serum |total )?calcium", r"Ca",
            (_u(_MMOL), _u(_MGDL, 0.25), _u("", 1, (0.8, 5)), _u("", 0.25, (3.5, 20))),
            (("<", 1.95, "Hypocalcemia"), (">", 2.75, "Hypercalcemia")), unit="mmol/L",
            adult=(("<", 2.1, "Hypocalcemia"), (">", 2.6, "Hypercalcemia"))),
    Analyte(r"phosphate|phosphorus|phos", r"PO4",
            (_u(_MMOL), _u(_MGDL, 0.3229), _u("", 1, (0.1, 5)), _u("", 0.3229, (0.5, 20))),
            (("<", 0.7, "Hypophosphatemia"), (">", 2.4, "Hyperphosphatemia")), unit="mmol/L"),
    Analyte(r"magnesium", r"Mg",
            (_u(_MMOL), _u(_MGDL, 0.4114), _u("", 1, (0.1, 4)), _u("", 0.4114, (0.3, 10))),
            (("<", 0.6, "Hypomagnesemia"), (">", 1.5, "Hypermagnesemia")), unit="mmol/L"),
    Analyte(r"(?<!CSF )(?<!cerebrospinal fluid )(?<!urine )(?<!urinary )(?:blood |plasma |serum )?glucose|blood sugar",
            r"BG|BSL|BGL",
            (_u(_MMOL), _u(_MGDL, 1 / 18.016), _u("", 1, (0.3, 35)), _u("", 1 / 18.016, (5, 1500))),
            (("<", 3.0, "Hypoglycemia"), (">", 11.1, "Hyperglycemia")), unit="mmol/L"),
    Analyte(r"ha?emoglobin", r"Hb|Hgb|HGB",
            (_u(r"g/dl"), _u(r"g/l", 0.1), _u(r"mmol/l", 1.611), _u("", 1, (2, 25)), _u("", 0.1, (30, 250))),
            (("<", 10.0, "Anemia"), (">", 20.0, "Increased circulating hemoglobin concentration")), unit="g/dL",
            adult=(("<", 12.0, "Anemia"),)),
    Analyte(r"mean corpuscular volume|mean cell volume", r"MCV", (_u(r"fl"), _u("", 1, (40, 150))),
            (("<", 72, "Decreased mean corpuscular volume"), (">", 108, "Increased mean corpuscular volume")),
            unit="fL",
            adult=(("<", 80, "Decreased mean corpuscular volume"), (">", 100, "Increased mean corpuscular volume"))),
    Analyte(r"platelets?(?: count)?|thrombocytes|plts?", r"PLTs?|Plts?",
            (_u(_E9), _u(_PER_UL, 0.001), _u("", 1, (1, 2500)), _u("", 0.001, (1000, 3_000_000))),
            # below 150 is low at every age (the reference range is 150-450 from infancy on)
            (("<", 150, "Thrombocytopenia"), (">", 700, "Thrombocytosis")), unit="×10⁹/L"),
    Analyte(r"white (?:blood )?cells?(?: count)?|white count|leukocytes?|leucocytes?", r"WBC|WCC",
            (_u(_E9), _u(_PER_UL, 0.001), _PERCENT, _u("", 1, (0.1, 99)), _u("", 0.001, (500, 900_000))),
            (("<", 3.0, "Leukopenia"), (">", 20.0, "Leukocytosis")), unit="×10⁹/L",
            adult=(("<", 4.0, "Leukopenia"), (">", 11.0, "Leukocytosis"))),
    Analyte(r"absolute neutrophil count", r"ANC",
            (_u(_E9), _u(_PER_UL, 0.001), _PERCENT, _u("", 1, (0.01, 60)), _u("", 0.001, (10, 90_000))),
            (("<", 1.0, "Neutropenia"), (">", 15.0, "Neutrophilia")), unit="×10⁹/L",
            adult=(("<", 1.5, "Neutropenia"), (">", 8.0, "Neutrophilia"))),
    Analyte(r"absolute lymphocyte count", r"ALC",
            (_u(_E9), _u(_PER_UL, 0.001), _PERCENT, _u("", 1, (0.01, 60)), _u("", 0.001, (10, 90_000))),
            (("<", 0.8, "Lymphopenia"), (">", 15.0, "Lymphocytosis")), unit="×10⁹/L",
            adult=(("<", 1.0, "Lymphopenia"), (">", 5.0, "Lymphocytosis"))),
    Analyte(r"absolute eosinophil count", r"AEC",
            (_u(_E9), _u(_PER_UL, 0.001), _PERCENT, _u("", 1, (0.01, 50)), _u("", 0.001, (10, 60_000))),
            ((">", 1.5, "Eosinophilia"),), unit="×10⁹/L"),
    # the cells by name: a bare number may be their share of the white cells ("lymphocytes 25"), so a unit is needed
    Analyte(r"neutrophils?(?: count)?", r"", (_u(_E9), _u(_PER_UL, 0.001), _PERCENT),
            (("<", 1.0, "Neutropenia"), (">", 15.0, "Neutrophilia")), unit="×10⁹/L",
            adult=(("<", 1.5, "Neutropenia"), (">", 8.0, "Neutrophilia"))),
    Analyte(r"lymphocytes?(?: count)?", r"", (_u(_E9), _u(_PER_UL, 0.001), _PERCENT),
            (("<", 0.8, "Lymphopenia"), (">", 15.0, "Lymphocytosis")), unit="×10⁹/L",
            adult=(("<", 1.0, "Lymphopenia"), (">", 5.0, "Lymphocytosis"))),
    Analyte(r"eosinophils?(?: count)?", r"Eos", (_u(_E9), _u(_PER_UL, 0.001), _PERCENT),
            ((">", 1.5, "Eosinophilia"),), unit="×10⁹/L"),
    Analyte(r"ferritin", r"", (_u(r"ng/ml|[uµμ]g/l"), _u("", 1, (1, 200_000))),
            (("<", 10, "Decreased circulating ferritin concentration"),
             (">", 1000, "Increased circulating ferritin concentration")), unit="ng/mL"),
    Analyte(r"(?<!CSF )(?<!cerebrospinal fluid )(?:lactate|lactic acid)", r"",
            (_u(_MMOL), _u(_MGDL, 0.111), _u("", 1, (0.2, 30))),
            ((">", 3.0, "Increased circulating lactate concentration"),), unit="mmol/L"),
    Analyte(r"ammonia", r"NH3", (_u(_UMOL), _u("", 1, (5, 5000))),
            ((">", 100, "Hyperammonemia"),), unit="µmol/L"),
    # plasma amino acids, above what any age shows (newborn screening's cut-offs or higher)
    Analyte(r"(?:plasma |blood )?phenylalanine", r"(?<![Dd]elta )(?<!p\.)Phe",
            (_u(_UMOL), _u(_MGDL, 60.54), _u("", 1, (5, 6000))),
            ((">", 150, "Hyperphenylalaninemia"),), unit="µmol/L"),
    Analyte(r"(?:plasma |blood )?tyrosine", r"Tyr", (_u(_UMOL), _u(_MGDL, 55.19), _u("", 1, (5, 6000))),
            ((">", 250, "Hypertyrosinemia"),), unit="µmol/L"),
    Analyte(r"(?:plasma |blood )?citrulline", r"Cit", (_u(_UMOL), _u("", 1, (1, 6000))),
            (("<", 5, "Low plasma citrulline"), (">", 60, "Elevated plasma citrulline")), unit="µmol/L"),
    Analyte(r"(?:plasma |blood )?glutamine", r"Gln", (_u(_UMOL), _u("", 1, (50, 8000))),
            ((">", 1000, "Hyperglutaminemia"),), unit="µmol/L"),
    Analyte(r"(?<!CSF )(?:plasma |blood )?glycine", r"Gly", (_u(_UMOL), _u("", 1, (20, 8000))),
            ((">", 600, "Hyperglycinemia"),), unit="µmol/L"),
    Analyte(r"(?:plasma |blood )?methionine", r"", (_u(_UMOL), _u("", 1, (2, 6000))),
            ((">", 80, "Hypermethioninemia"),), unit="µmol/L"),
    Analyte(r"(?<!iso)(?<!iso-)(?:plasma |blood )?leucine", r"Leu", (_u(_UMOL), _u("", 1, (10, 8000))),
            ((">", 350, "Hyperleucinemia"),), unit="µmol/L"),
    Analyte(r"(?:plasma |blood )?ornithine", r"Orn", (_u(_UMOL), _u("", 1, (5, 6000))),
            ((">", 300, "Hyperornithinemia"),), unit="µmol/L"),
    Analyte(r"(?:total |plasma )?homocysteine", r"t?Hcy", (_u(_UMOL), _u("", 1, (1, 1000))),
            ((">", 20, "Hyperhomocystinemia"),), unit="µmol/L"),
    Analyte(r"alanine aminotransferase|alanine transaminase", r"ALT|SGPT", (_u(_UL), _u("", 1, (1, 30_000))),
            ((">", 150, "Elevated circulating alanine aminotransferase concentration"),), by_uln=True, unit="U/L",
            adult=((">", 60, "Elevated circulating alanine aminotransferase concentration"),)),
    Analyte(r"aspartate aminotransferase|aspartate transaminase", r"AST|SGOT", (_u(_UL), _u("", 1, (1, 30_000))),
            ((">", 150, "Elevated circulating aspartate aminotransferase concentration"),), by_uln=True, unit="U/L",
            adult=((">", 60, "Elevated circulating aspartate aminotransferase concentration"),)),
    Analyte(r"transaminases|liver enzymes", r"LFTs", (_u(_UL), _u("", 1, (1, 30_000))),
            ((">", 150, "Elevated circulating hepatic transaminase concentration"),), by_uln=True, unit="U/L",
            adult=((">", 60, "Elevated circulating hepatic transaminase concentration"),)),
    Analyte(r"(?<!conjugated )(?<!direct )(?:total )?bili(?:rubin)?", r"",
            (_u(_UMOL), _u(_MGDL, 17.1), _u("", 1, (3, 1000)), _u("", 17.1, (0.1, 50))),
            ((">", 40, "Hyperbilirubinemia"),), unit="µmol/L"),
    Analyte(r"(?:unconjugated|indirect) bili(?:rubin)?", r"",
            (_u(_UMOL), _u(_MGDL, 17.1), _u("", 1, (3, 1000)), _u("", 17.1, (0.1, 50))),
            ((">", 40, "Unconjugated hyperbilirubinemia"),), unit="µmol/L"),
    # below 60 at any age past infancy (not read of a newborn: `recognizer`); "EGFR" is a gene
    Analyte(r"(?:estimated )?glomerular filtration rate", r"eGFR|GFR",
            (_u(r"ml/min(?:\s*/\s*1\.73\s*m(?:2|²|\^2))?"), _u("", 1, (2, 200))),
            (("<", 60, "Decreased glomerular filtration rate"),), unit="mL/min/1.73 m²"),
    Analyte(r"creatinine|creat", r"Cr|Creat",
            (_u(_UMOL), _u(_MGDL, 88.4), _u("", 1, (10, 3000)), _u("", 88.4, (0.05, 25))),
            ((">", 160, "Elevated circulating creatinine concentration"),), unit="µmol/L",
            adult=((">", 120, "Elevated circulating creatinine concentration"),)),
    Analyte(r"thyroid[- ]stimulating hormone|thyrotropin", r"TSH", (_u(r"m[iu]u/l|[uµμ]iu/ml|mu/l"),
                                                                   _u("", 1, (0.001, 1000))),
            (("<", 0.05, "Decreased thyroid-stimulating hormone level"),  # suppressed at any age
             (">", 10, "Elevated circulating thyroid-stimulating hormone concentration")), unit="mIU/L"),
    Analyte(r"alkaline phosphatase|alk phos", r"ALP|AlkP", (_u(_UL), _u("", 1, (1, 20_000))),
            (("<", 30, "Low alkaline phosphatase"),
             (">", 700, "Elevated circulating alkaline phosphatase concentration")), by_uln=True, unit="U/L",
            adult=((">", 150, "Elevated circulating alkaline phosphatase concentration"),)),
    Analyte(r"uric acid|urate", r"",
            (_u(_UMOL), _u(_MGDL, 59.48), _u("", 1, (30, 2000)), _u("", 59.48, (0.3, 25))),
            (("<", 90, "Hypouricemia"), (">", 500, "Hyperuricemia")), unit="µmol/L"),
    Analyte(r"(?<!HDL )(?<!LDL )(?<!HDL-)(?<!LDL-)(?:total )?chol(?:esterol)?", r"",
            (_u(_MMOL), _u(_MGDL, 1 / 38.67), _u("", 1, (0.3, 30)), _u("", 1 / 38.67, (31, 1500))),
            (("<", 2.3, "Hypocholesterolemia"), (">", 8.0, "Hypercholesterolemia")), unit="mmol/L"),
    Analyte(r"triglycerides?", r"TGs?",
            (_u(_MMOL), _u(_MGDL, 1 / 88.57), _u("", 1, (0.1, 20)), _u("", 1 / 88.57, (21, 20_000))),
            ((">", 2.95, "Hypertriglyceridemia"),), unit="mmol/L"),  # fasting ≥ 3.0 (265 mg/dL) is high at any age
    Analyte(r"(?<!urine )(?<!urinary )(?:arterial |venous |blood )?pH", r"",
            (_u("", 1, (6.5, 8.0)),), (("<", 7.30, "Acidosis"), (">", 7.50, "Alkalosis"))),
    Analyte(r"bicarbonate|bicarb", r"HCO3-?", (_u(_MMOL + r"|meq/l"), _u("", 1, (1, 60))),
            (("<", 16, "Decreased serum bicarbonate concentration"),), unit="mmol/L",
            adult=(("<", 20, "Decreased serum bicarbonate concentration"),)),
    Analyte(r"(?:total |serum )?IgE", r"", (_u(r"k?iu/ml|ku/l|iu/l"), _u("", 1, (0.1, 200_000))),
            ((">", 1000, "Increased circulating IgE concentration"),), unit="IU/mL"),
    Analyte(r"sweat chloride|sweat test(?:\s+(?:showed|shows|result|results|was))?\s+(?:a\s+)?chloride", r"",
            (_u(_MMOL), _u("", 1, (1, 200))),
            ((">", 60, "Elevated sweat chloride"),), unit="mmol/L"),
    Analyte(r"c[- ]reactive protein", r"CRP", (_u(r"mg/l"), _u(r"mg/dl", 10), _u("", 1, (0.1, 700))),
            ((">", 30, "Elevated circulating C-reactive protein concentration"),), unit="mg/L"),
    Analyte(r"(?:erythrocyte )?sedimentation rate", r"ESR", (_u(r"mm/h(?:r|our)?|mm"), _u("", 1, (1, 160))),
            ((">", 50, "Elevated erythrocyte sedimentation rate"),), unit="mm/h"),
    Analyte(r"h(?:a)?emoglobin a1c|glycated ha?emoglobin", r"HbA1c|A1c",
            (_u(r"%"), _u(r"mmol/mol", 1 / 10.93, None), _u("", 1, (3, 20))),
            ((">", 6.5, "Elevated hemoglobin A1c"),), unit="%"),
    Analyte(r"albumin", r"Alb", (_u(r"g/l"), _u(r"g/dl", 10), _u("", 1, (8, 70)), _u("", 10, (0.8, 7))),
            (("<", 28, "Hypoalbuminemia"),), unit="g/L"),
    Analyte(r"(?:conjugated|conj\.?|direct) bili(?:rubin)?", r"D-?Bil",
            (_u(_UMOL), _u(_MGDL, 17.1), _u("", 1, (1, 1000)), _u("", 17.1, (0.05, 50))),
            ((">", 34, "Conjugated hyperbilirubinemia"),), unit="µmol/L"),
    Analyte(r"gamma[- ]?glutamyl ?transferase|gamma[- ]?glutamyl ?transpeptidase|gamma[- ]?GT", r"GGT|γ-?GT",
            (_u(_UL), _u("", 1, (1, 10_000))),
            # a newborn's GGT runs up to about 250 U/L
            ((">", 300, "Elevated gamma-glutamyltransferase level"),), by_uln=True, unit="U/L",
            adult=((">", 80, "Elevated gamma-glutamyltransferase level"),)),
    Analyte(r"parathyroid hormone|parathormone", r"i?PTH",
            (_u(r"pg/ml|ng/l"), _u(r"pmol/l", 9.43), _u("", 1, (0.5, 5000))),
            (("<", 8, "Decreased circulating parathyroid hormone level"),
             (">", 120, "Elevated circulating parathyroid hormone level")), unit="pg/mL"),
    Analyte(r"adrenocorticotropic hormone|adrenocorticotrophic hormone|corticotropin", r"ACTH",
            # without a unit, a small value may be pmol/L as well ("ACTH 4.2" is normal in pmol/L)
            (_u(r"pg/ml|ng/l"), _u(r"pmol/l", 4.5), _u("", 1, (1, 10_000)), _u("", 4.5, (0.2, 60))),
            (("<", 7, "Decreased circulating ACTH concentration"), (">", 150, "Increased circulating ACTH level")),
            unit="pg/mL"),
    # clotting factors in IU/dL (= %); a newborn's factor IX runs down to about 15
    Analyte(r"von Willebrand factor(?: activity| antigen| ristocetin cofactor)?"
            r"|VWF(?::?\s?(?:Ag|RCo|activity|antigen))?", r"",
            (_u(r"iu/dl|u/dl|%"), _u(r"iu/ml|u/ml", 100), _u("", 1, (1, 400))),
            (("<", 30, "Reduced von Willebrand factor activity"),), unit="IU/dL"),
    Analyte(r"factor VIII(?: activity| level)?|FVIII(?: activity| level)?", r"",
            (_u(r"iu/dl|u/dl|%"), _u(r"iu/ml|u/ml", 100), _u("", 1, (1, 400))),
            (("<", 40, "Reduced factor VIII activity"),), unit="IU/dL"),
    Analyte(r"factor IX(?: activity| level)?", r"FIX",
            (_u(r"iu/dl|u/dl|%"), _u(r"iu/ml|u/ml", 100), _u("", 1, (1, 400))),
            (("<", 10, "Reduced factor IX activity"),), unit="IU/dL"),
    Analyte(r"(?:total |plasma )?homocysteine", r"t?Hcy", (_u(_UMOL), _u("", 1, (1, 700))),
            ((">", 50, "Hyperhomocystinemia"),), unit="µmol/L"),
    Analyte(r"(?:CSF|cerebrospinal fluid) (?:glucose|sugar)", r"",
            (_u(_MMOL), _u(_MGDL, 1 / 18.016), _u("", 1, (0.1, 15)), _u("", 1 / 18.016, (3, 300))),
            (("<", 2.2, "Hypoglycorrhachia"),), unit="mmol/L"),
    # a preterm newborn's CSF protein runs up to about 1.5 g/L, a term newborn's to 1.0
    Analyte(r"(?:CSF|cerebrospinal fluid) protein", r"",
            (_u(r"g/l"), _u(_MGDL, 0.01), _u("", 1, (0.05, 20)), _u("", 0.01, (5, 2000))),
            ((">", 1.5, "Increased CSF protein concentration"),), unit="g/L"),
    Analyte(r"corrected QT(?: interval)?", r"QTc|QTcB|QTcF",
            (_u(r"ms|msec|milliseconds?"), _u("", 1, (250, 800))),
            (("<", 340, "Shortened QT interval"), (">", 480, "Prolonged QTc interval")), unit="ms"),
    # a child's PR and QRS run shorter than an adult's: past an adult's limits they are long at any age; "PR" alone
    # is also a pulse rate, so it is read with its unit only
    Analyte(r"PR interval", r"PR", (_u(r"ms|msec|milliseconds?"),), ((">", 200, "Prolonged PR interval"),), unit="ms"),
    Analyte(r"QRS(?: duration| complex| width)?", r"", (_u(r"ms|msec|milliseconds?"), _u("", 1, (40, 300))),
            ((">", 120, "Prolonged QRS complex"),), unit="ms"),
    Analyte(r"(?:left ventricular |LV )?ejection fraction", r"LVEF|EF",
            (_u(r"%"), _u("", 1, (5, 90))),
            (("<", 40, "Reduced left ventricular ejection fraction"),), unit="%"),
    Analyte(r"intraocular pressures?", r"IOPs?", (_u(r"mm ?hg"), _u("", 1, (3, 80))),
            ((">", 25, "Ocular hypertension"),), unit="mmHg"),
    # a newborn's aPTT runs up to about 55 s
    Analyte(r"(?:activated )?partial thromboplastin time", r"a?PTT|APTT",
            (_u(r"s|secs?|seconds?"), _u("", 1, (10, 300))),
            ((">", 60, "Prolonged partial thromboplastin time"),), unit="s",
            adult=((">", 40, "Prolonged partial thromboplastin time"),)),
    Analyte(r"prothrombin time", r"PT", (_u(r"s|secs?|seconds?"),),  # "PT" alone may be physiotherapy: a unit is needed
            ((">", 20, "Prolonged prothrombin time"),), unit="s",
            adult=((">", 15, "Prolonged prothrombin time"),)),
    Analyte(r"international normali[sz]ed ratio", r"INR", (_u("", 1, (0.5, 20)),),
            ((">", 1.8, "Prolonged prothrombin time"),)),
    Analyte(r"(?:serum |total )?IgG", r"", (_u(r"g/l"), _u(_MGDL.replace("|mg%", ""), 0.01), _u("", 0.01, (10, 8000))),
            # an infant's IgG is lowest at 3 to 6 months, about 2 g/L
            (("<", 1.5, "Decreased circulating IgG concentration"), (">", 25, "Increased circulating IgG concentration")),
            unit="g/L", adult=(("<", 6.0, "Decreased circulating IgG concentration"),
                               (">", 18.0, "Increased circulating IgG concentration")), adult_needs_unit=True),
    Analyte(r"(?:serum |total )?IgM", r"", (_u(r"g/l"), _u(_MGDL.replace("|mg%", ""), 0.01), _u("", 0.01, (1, 5000))),
            ((">", 3.0, "Increased circulating IgM level"),), unit="g/L"),
    Analyte(r"LDL(?:[- ]C| chol(?:esterol)?)?|low[- ]density lipoprotein(?: cholesterol)?", r"",
            (_u(_MMOL), _u(_MGDL, 1 / 38.67), _u("", 1, (0.2, 25)), _u("", 1 / 38.67, (26, 1000))),
            ((">", 4.9, "Increased LDL cholesterol concentration"),), unit="mmol/L"),
    Analyte(r"HDL(?:[- ]C| chol(?:esterol)?)?|high[- ]density lipoprotein(?: cholesterol)?", r"",
            (_u(_MMOL), _u(_MGDL, 1 / 38.67), _u("", 1, (0.01, 5)), _u("", 1 / 38.67, (6, 200))),
            (("<", 0.5, "Decreased HDL cholesterol concentration"),), unit="mmol/L"),
    Analyte(r"fibrinogen", r"", (_u(r"g/l"), _u(_MGDL, 0.01), _u("", 1, (0.1, 15)), _u("", 0.01, (16, 1500))),
            (("<", 1.0, "Hypofibrinogenemia"), (">", 7.0, "Hyperfibrinogenemia")), unit="g/L"),
    Analyte(r"pa?co2|end[- ]tidal co2|etco2", r"", (_u(r"mm ?hg"), _u(r"kpa", 7.50), _u("", 1, (10, 150))),
            ((">", 50, "Hypercapnia"),), unit="mmHg"),
    # not a target ("keep PaO2 > 60"); a number alone may be kPa as well ("PaO2 18 on FiO2 0.4")
    Analyte(r"(?<!target )(?<!goal )(?<!keep )(?<!aim )(?:pao2|arterial (?:oxygen|O2) tension|arterial po2)", r"",
            (_u(r"mm ?hg"), _u(r"kpa", 7.50), _u("", 1, (15, 700)), _u("", 7.50, (2, 30))),
            (("<", 60, "Hypoxemia"),), unit="mmHg"),
    # with its unit only: "calcitonin 200 IU" is a dose
    Analyte(r"(?:serum |plasma )?calcitonin", r"", (_u(r"pg/ml|ng/l"),),
            ((">", 100, "Elevated circulating calcitonin concentration"),), unit="pg/mL"),
    # with its unit only: "CEA 2015" is a carotid endarterectomy; not a pleural fluid's
    Analyte(r"(?<!fluid )(?<!pleural )(?<!ascitic )carcinoembryonic antigen", r"(?<!fluid )(?<!pleural )CEA",
            (_u(r"ng/ml|[uµμ]g/l"),),
            ((">", 10, "Elevated circulating carcinoembryonic antigen concentration"),), unit="ng/mL"),
    # a newborn's LDH runs high in the first days; a pleural or ascitic fluid's is no blood level
    Analyte(r"(?<!fluid )(?<!pleural )(?<!ascitic )(?<!CSF )lactate dehydrogenase",
            r"(?<!fluid )(?<!pleural )(?<!ascitic )(?<!CSF )LDH", (_u(_UL), _u("", 1, (20, 100_000))),
            ((">", 1000, "Increased circulating lactate dehydrogenase concentration"),), unit="U/L",
            normal=("Reduced circulating lactate dehydrogenase concentration",
                    "Increased circulating lactate dehydrogenase concentration")),
    Analyte(r"met-?ha?emoglobin(?: level)?", r"MetHb", (_u(r"%"), _u("", 1, (0.1, 90))),
            ((">", 5, "Methemoglobinemia"),), unit="%"),
    # a pulmonary artery's mean pressure on right-heart catheterisation; a gas transfer in % of predicted
    Analyte(r"mean pulmonary arter(?:y|ial) pressure", r"mPAP|MPAP", (_u(r"mm ?hg"), _u("", 1, (5, 120))),
            ((">", 25, "Pulmonary arterial hypertension"),), unit="mmHg"),
    Analyte(r"diffusing capacity(?: for carbon monoxide)?|gas transfer", r"DLCO|DLco|TLCO",
            (_u(r"%(?:\s*(?:of\s+)?predicted|\s*pred)?"),), (("<", 60, "Decreased DLCO"),), unit="% predicted"),
    Analyte(r"(?<!sweat )(?<!stool )(?<!urine )(?<!urinary )(?<!fecal )(?<!faecal )chloride", r"(?<![Ss]tool )(?<![Uu]rine )(?<![Ss]weat )Cl-?",
            (_u(_MMOL + r"|meq/l"), _u("", 1, (50, 160))),
            (("<", 92, "Hypochloremia"), (">", 118, "Hyperchloremia")), unit="mmol/L",
            adult=(("<", 95, "Hypochloremia"), (">", 110, "Hyperchloremia"))),
    Analyte(r"anion gap", r"", (_u(_MMOL + r"|meq/l"), _u("", 1, (0, 60))),
            ((">", 20, "Elevated serum anion gap"),), unit="mmol/L"),
    # the transferrin saturation below 10% or above 50% at any age (the reference range is 15–45%)
    Analyte(r"transferrin saturation|transferrin sats?|iron saturation", r"TSAT", (_u(r"%"), _u("", 1, (1, 100))),
            (("<", 10, "Decreased transferrin saturation"), (">", 50, "Elevated transferrin saturation")), unit="%"),
    # oxygen saturation on air below 90% at any age
    Analyte(r"(?<!target )(?<!aim )(?<!transferrin )(?<!iron )(?:oxygen |O2 )?saturations?"
            r"|(?<!target )(?<!aim )(?<!transferrin )(?<!iron )sats",
            r"SpO2|SaO2|O2 sats?",
            (_u(r"%"), _u("", 1, (40, 100))),
            (("<", 90, "Hypoxemia"),), unit="%"),
    # a measured IQ below 70, by the bands of intellectual disability
    Analyte(_IQ, r"IQ", (_u("", 1, (10, 200)),),
            (("<", 35, "Intellectual disability, severe"), ("<", 50, "Intellectual disability, moderate"),
             ("<", 70, "Intellectual disability, mild")), normal=("Intellectual disability",)),
    # a newborn's reticulocytes run up to about 7%, an adult's to about 2.5%
    Analyte(r"reticulocytes?(?: count)?|retics?", r"", (_u(r"%"), _u("", 1, (0.1, 60))),
            (("<", 0.5, "Reticulocytopenia"), (">", 8, "Reticulocytosis")), unit="%",
            adult=((">", 2.5, "Reticulocytosis"),)),
    # the right heart's or pulmonary artery's systolic pressure on an echo ("RVSP 75 mmHg"); a mean by catheter
    # ("mPAP 42") is read as pulmonary arterial hypertension by the release's own phrase
    Analyte(r"right ventricular systolic pressure|pulmonary artery systolic pressure", r"RVSP|PASP|sPAP",
            (_u(r"mm\s*hg"), _u("", 1, (10, 150))), ((">", 40, "Elevated pulmonary artery pressure"),), unit="mmHg"),
    Analyte(r"heart rate|pulse(?: rate)?", r"HR", (_u(r"bpm|/min|beats per minute|beats/min"),
                                                   _u("", 1, (15, 300))),
            (("<", 45, "Bradycardia"), (">", 180, "Tachycardia")), unit="/min",
            # an adult's fast rate is often exertion or a fever ("HR peaked at 165"): only the slow one
            adult=(("<", 50, "Bradycardia"),)),
    Analyte(r"temperature|temp", TEMPERATURE_SYMBOL,
            (_u(r"°\s*c|º\s*c|degrees? c(?:elsius)?|c"), _u(r"°\s*f|º\s*f|degrees? f(?:ahrenheit)?|f", 1 / 1.8, None, 32),
             _u("", 1, (30, 45))),
            (("<", 35, "Hypothermia"), (">", 37.9, "Fever")), unit="°C"),
)

# Body measurements given as standard deviations or centiles: (names, case-insensitive; symbols, as written;
# HPO label below -2 SD or the 3rd centile; HPO label above +2 SD or the 97th).
GROWTH: tuple[tuple[str, str, str, str], ...] = (
    (r"height|length|stature", r"HT|Ht", "Short stature", "Tall stature"),
    (r"head circumference|head size", r"OFC|HC|FOC", "Microcephaly", "Macrocephaly"),
    (r"weight", r"Wt|WT", "Decreased body weight", "Increased body weight"),
    (r"body mass index", r"BMI", "", "Increased body mass index"),
)
# the size itself may come first: "OFC 42 cm (-3 SD)", "weight 9 kg, < 3rd centile"
_SIZE = r"(?:\d+(?:\.\d+)?\s*(?:cm|mm|kg|g|m)\b\s*,?\s*)?"
_SD = (
    r"(?P<name>{names})\s*(?:of|at|is|was|were|:|=|,)?\s*" + _SIZE + r"\(?\s*(?:(?P<score>z[- ]?score|SDS)\s*(?:of|:|=)?\s*)?\(?"
    r"(?P<sd>[-−–+]?\d+(?:\.\d+)?)\s*(?P<unit>SDS?|SD|standard deviations?|s\.d\.|z)?\b(?!\s*(?:cm|kg|mm|centile"
    r"|percentile|%|th|st|nd|rd))(?:\s+(?P<dir>below|under|above|over)(?:\s+the)?\s+(?:mean|average|normal))?\)?")
_CENTILE = (
    r"(?P<name>{names})\s*(?:of|at|is|was|were|:|=|,)?\s*" + _SIZE + r"\(?\s*(?P<cmp><=|>=|<|>|≤|≥|below|above|under|over|at|on)?"
    r"\s*(?:the\s+)?(?:(?P<c>\d{{1,2}}(?:\.\d+)?)(?:st|nd|rd|th)?\s*(?:centile|percentile|%ile|pctl|%)|"
    r"P(?P<p>\d{{1,2}}(?:\.\d+)?)\b)\)?")
_DIGITS = re.compile(r"\d+")
# a value the writer calls an artefact of the sample, just after it
# ("K 6.8 (haemolysed)", "K 7.1, hemolyzed sample", "K 6.5 sample haemolysed"; not "non-haemolysed", nor the next
# analyte's note: "K 5.9, Na 140 hemolysed")
_SPURIOUS = re.compile(r"\s*[(,]?\s*(?:(?:sample|specimen)\s+(?:was\s+)?)?(?:ha?emoly[sz]ed|spurious|artefactual"
                       r"|artifactual|clotted)\b", re.I)
# a value the next measurement of it does not confirm ("K 5.6, repeat 4.2", "Na 128; repeat normal"): read only where
# the repeat is past the limits too
_REPEAT = re.compile(r"\s*[(,;]?\s*(?:on\s+|a\s+)?(?:repeat(?:ed)?|rpt|re-?check(?:ed)?|re-?test(?:ed)?)(?:\s+(?:sample"
                     r"|test|value|level|measurement))?"
                     # how long after: "repeat 3 months later 18000", "rpt 2 h 127", "repeat in 2 days: 126"
                     r"(?:\s+(?:in\s+|after\s+)?\d+\s*(?:h|hrs?|hours?|d|days?|wks?|weeks?|mo|mos|months?)"
                     r"(?:\s+later)?)?"
                     r"\s*(?:was|is|:|=|of|showed)?\s*(?:(?P<normal>normal|nl|fine)\b"
                     rf"|(?P<num>{_NUMBER}){_NOT_A_VALUE})", re.I)
# What a treatment or training explains, not a disease: clotting times on an anticoagulant ("on warfarin, INR 3.1",
# "heparin-induced thrombocytopenia, aPTT 80 s", "anticoagulated"), a slow pulse in an athlete ("marathon runner, HR
# 42"); the drug taken now, not "lupus anticoagulant" (a finding), "not on anticoagulants", "no anticoagulant use",
# "INR 2.6 before starting warfarin", "anticoagulation planned"; not a non-athlete or athlete's foot
_CLOTTING = frozenset({"Prolonged prothrombin time", "Prolonged partial thromboplastin time"})
_ANTICOAGULANTS = (r"warfarin|coumadin|acenocoumarol|phenprocoumon|heparin|enoxaparin|dalteparin|tinzaparin|LMWH|UFH"
                   r"|apixaban|rivaroxaban|edoxaban|dabigatran|argatroban|bivalirudin|fondaparinux|DOACs?|NOACs?|VKA"
                   r"|anticoagula(?:tion|nts?)")
_ANTICOAGULATED = re.compile(
    r"(?<!\bnot )(?<!\bnever )(?<!\bno longer )\b(?:on|taking|takes|receiving|treated\s+with|started\s+on"
    r"|commenced\s+on|despite|therapeutic)\s+(?:(?:full|oral|long[- ]term|therapeutic|low[- ]dose|prophylactic|a|an|his"
    rf"|her|the)\s+)*(?:{_ANTICOAGULANTS})\b"
    r"|\b(?:warfarin|coumarin|heparin)[- ]induced\b|(?<!\bnot )(?<!\bnever )(?<!\bnon-)\banticoagulated\b", re.I)
_ATHLETE = re.compile(r"(?<!\bnot an )(?<!\bnot a )(?<!\bnot )(?<!\bnon-)(?<!\bnon)\b(?:athletes?(?!'s\s+foot)\b"
                      r"|athletic|marathon\w*|triathlet\w*|cyclist|runner|rower)\b", re.I)
_SPACES = re.compile(r"\s{2,}|[^\S ]")  # a run of white space, or one tab, newline or other space that is not " "
_REACH = 48  # characters from a name to its value at most ("head circumference above the 98th percentile")
# "NH3 normal", "PT and platelets normal", "Ca/phos within normal limits": each analyte named rules out its findings
_NORMAL = re.compile(r"\s*(?:(?:is|was|were|are|both|all|otherwise|has|have|been|always|remains?|remained|came back"
                     r"|comes? back"
                     r"|seems?|appears?)\s+){0,3}(?:normal|nl|wnl|within normal limits"
                     r"|within normal range|within the normal range)\b", re.I)
_LISTED = r"\s*(?:,|and|&|/|\+)\s*"
_NORMAL_BEFORE = re.compile(r"\b(?:normal|nl)\s+(?:(?:serum|plasma|blood)\s+)?", re.I)  # an analyte's name follows
# "normal" as a measure of how far from it: "higher than normal ALT", "twice normal", "3 x normal", "not normal"; or
# a finding of its own: "inappropriately normal TSH"
_NOT_NORMAL = re.compile(r"(?:\b(?:than|above|below|over|under|times|twice|thrice|not|of|inappropriately|low|high"
                         r"|borderline)|\d\s*[x×]"
                         r"|\bx|[-‐])\s*$", re.I)  # "inappropriately normal TSH" is a finding
# "previously normal development", "initially normal ALT", "lost previously normal speech": normal then, which says
# nothing of now (the recognizer's own "normal …" readings use the same words)
ONCE_WORDS = frozenset({"previously", "initially", "formerly", "originally", "once"})
_ONCE = re.compile(rf"\b(?:{'|'.join(sorted(ONCE_WORDS))})\s+$", re.I)
_BP_NAMED = re.compile(r"(?<![\w/.-])(?:BP|blood pressures?)\s*$", re.I)
_FINE = r"(?:normal|intact|appropriate|age[- ]appropriate|on track|unremarkable|fine)"
# a sense, an organ's check or a blood count said to be fine, as parents and patients say it: "her eyesight and hearing
# are fine", "his eyesight has been checked and it's fine", "heart check-up was normal", "blood counts always come back
# normal" (not "could hear fine": a verb, and the past)
_OK = (r"(?:\s+all)?(?:\s+(?:perfectly|completely|totally|entirely|absolutely|quite))?"
       r"\s+(?:fine|normal|good|ok|okay|perfect|clear|unremarkable)\b")
_CHECKED_OK = (r"(?:\s+(?:has|have|was|were))?(?:\s+(?:both|all))?(?:\s+been)?\s+(?:checked|tested)"
               r"(?:\s+out|\s+and(?:\s+(?:it|they))?(?:'s|’s|\s+(?:is|are|was|were)))" + _OK)
_SAID_OK = (r"(?:(?:\s+(?:is|are|was|were|has|have|been|always|both|came back|comes? back|looked|looks?|seems?)){0,3}"
            + _OK + "|" + _CHECKED_OK + ")")
_CHECK = r"(?:\s+(?:tests?|checks?|check-?ups?|screen(?:ing)?|scans?|assessments?|results?))?"
_SIGHT, _HEARD = r"(?:eyesight|vision)", r"hearing"
_COUNT = (r"\b(?:CBC|FBC|full blood counts?|complete blood counts?|blood counts?)"
          r"(?:\s+(?:and|&)\s+(?:platelets|differential))?")
# what a clinician states as normal and the finding that rules out: "milestones normal", "passed newborn hearing screen"
NORMAL_STATEMENTS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern, re.I), label) for pattern, label in (
    (rf"\b(?:{_SIGHT}(?:\s+(?:and|&)\s+{_HEARD})?|{_HEARD}\s+(?:and|&)\s+{_SIGHT}){_CHECK}{_SAID_OK}",
     "Visual impairment"),
    (rf"\b(?:{_HEARD}(?:\s+(?:and|&)\s+{_SIGHT})?|{_SIGHT}\s+(?:and|&)\s+{_HEARD}){_CHECK}{_SAID_OK}",
     "Hearing impairment"),
    (rf"\b(?:heart|cardiac)(?:\s+(?:and|&)\s+{_HEARD})?\s+(?:tests?|checks?|check-?ups?|scans?|ultrasounds?){_SAID_OK}"
     rf"|\bheart(?:\s+(?:and|&)\s+{_HEARD})?{_CHECKED_OK}", "Abnormal heart morphology"),
    # head or brain imaging said normal: no brain malformation ("CT head normal" is no normal head)
    (r"\b(?:(?:CT|MRI|MR|CT\s+scan|MRI\s+scan)\s+(?:of\s+(?:the\s+)?)?(?:head|brain)|(?:head|brain)\s+(?:CT|MRI|MR|scan"
     r"|imaging))(?:\s+(?:scan|imaging))?(?:\s+(?:is|was|were|came back))?\s+(?:normal|unremarkable|nl|clear)\b",
     "Abnormal brain morphology"),
    (r"\b(?:urine|urinary)\s+organic\s+acids?(?:\s+(?:screen|profile|analysis))?(?:\s+(?:is|was|were|are|came back))?"
     r"\s+(?:normal|unremarkable|negative|nl)\b", "Aciduria"),
    *((rf"{_COUNT}{_SAID_OK}", label) for label in ("Anemia", "Thrombocytopenia", "Neutropenia")),
    # "DAT negative", "Coombs test negative": no antibody on the red cells
    *((r"\b(?:DAT|direct antiglobulin test|(?:direct )?Coombs(?: test)?)(?:\s+(?:was|is|came back))?"
       r"\s+(?:negative|neg)\b", label)
      for label in ("Autoimmune hemolytic anemia", "Positive direct antiglobulin test")),
    *((rf"\b(?:TFTs?|thyroid function(?: tests?)?|thyroid tests?){_SAID_OK}", label)
      for label in ("Hypothyroidism", "Hyperthyroidism")),
    (r"\b(?:(?:is\s+)?doing|does)\s+(?:very\s+|really\s+)?(?:well|fine|great)\s+(?:at|in)\s+school\b",
     "Intellectual disability"),
    (r"\b(?:memory|thinking|mind)(?:\s+(?:and|&)\s+(?:memory|thinking))?(?:\s+(?:is|are))?\s+(?:as\s+)?sharp\b",
     "Cognitive impairment"),
    (rf"\bheart\s+rhythm\s+(?:tests?|checks?|tracings?|recordings?){_SAID_OK}", "Arrhythmia"),
    (r"\b(?:normal|nl)\s+(?:BP|blood pressures?)(?![\w/])", "Hypertension"),  # "normal blood pressure"
    (rf"\b(?:(?:normal|appropriate|age[- ]appropriate)\s+(?:development|milestones)|(?:development|milestones)"
     rf"(?:\s+(?:is|was|were|are|have been|has been))?(?:\s+otherwise)?\s+{_FINE})\b", "Global developmental delay"),
    (rf"(?<!below )(?<!below-)(?<!low )(?<!low-)\b(?:(?:normal|intact)\s+(?:intellect|intelligence|IQ)"
     rf"|(?:intellect|intelligence|IQ)(?:\s+(?:is|was))?\s+{_FINE})\b", "Intellectual disability"),
    (r"(?<!below )(?<!below-)(?<!low )(?<!low-)(?<!of )\b(?:normal|average)\s+"
     r"(?:(?:IQ|intellect|intelligence)\s+and\s+)?(?:height|stature)\b(?!\s+velocity)", "Short stature"),
    (r"\b(?:born|delivered)\s+at\s+(?:full\s+)?term\b", "Premature birth"),
    (rf"\bcognition(?:\s+(?:is|was))?\s+{_FINE}\b", "Cognitive impairment"),
    (r"\b(?:is\s+)?developing\s+(?:normally|well|fine)\b", "Global developmental delay"),
    (r"\b(?:is\s+)?growing\s+(?:normally|well|fine)\b", "Failure to thrive"),  # "normal cognition": the release's
    (r"\bpassed\s+(?:(?:the|his|her|a)\s+)?(?:newborn\s+|neonatal\s+)?hearing\s+(?:screen\w*|tests?)\b",
     "Hearing impairment"),
    (rf"\b(?:(?:normal|unremarkable)\s+(?:echo|echocardiogram|echocardiography)|(?:echo|echocardiogram|echocardiography)"
     rf"(?:\s+(?:and|&)\s+(?:renal|kidney|abdominal|head)\s+(?:US|USS|ultrasound))?(?:\s+(?:is|was|were))?"
     rf"\s+(?:structurally\s+)?(?:normal|unremarkable))\b", "Abnormal heart morphology"),
    # "sweat test normal" is no sweating: the test of its chloride
    (r"\bsweat\s+(?:tests?|chloride(?:\s+tests?)?)(?:\s+(?:is|was|came back))?\s+(?:normal|negative|nl)\b",
     "Elevated sweat chloride"),
    (r"\bsense\s+of\s+smell(?:\s+(?:is|was))?\s+(?:intact|normal|fine)\b", "Anosmia"),
    (r"\bsitus\s+(?:is\s+)?(?:normal|solitus)\b", "Situs inversus totalis"),
    # the bile ducts imaged normal; stools with their colour: no acholic stools
    (r"(?<!initial )(?<!previous )(?<!prior )(?<!earlier )\b(?:MRCP|ERCP)(?:\s+(?:is|was))?\s+(?:normal|unremarkable"
     r"|nl)\b(?!\s+(?:in\s+\d{4}|\d+\s+(?:years?|months?)\s+ago|then|until))", "Abnormal biliary tract morphology"),
    (r"\b(?:stools?|poos?)(?:\s+(?:is|are|was|were))?\s+(?:pigmented|normally\s+colou?red)\b"
     r"|(?<![\w-])(?<!poorly )(?<!less )(?<!intermittently )(?:pigmented|normally\s+colou?red)\s+stools?\b",
     "Acholic stools"),
    # "normal genitalia", "genitalia normal": no ambiguous genitalia, hypospadias or micropenis
    (r"\b(?:(?:normal|nl)\s+(?:external\s+)?genitalia|(?:external\s+)?genitalia(?:\s+(?:is|are|was|were))?"
     r"\s+(?:normal|unremarkable|nl))\b", "Abnormal external genitalia morphology"),
    (r"\b(?:renal|kidney)\s+(?:US|USS|ultrasound|ultrasonography|scan)(?:\s+(?:is|was))?"
     r"\s+(?:normal|unremarkable|nl)\b", "Abnormal renal morphology"),
))
# a word every statement above holds: what says normal, negative, fine or at term
_STATEMENT_WORD = re.compile(r"\b(?:normal|nl|fine|good|ok|okay|perfect|clear|unremarkable|intact|term|passed|negative"
                             r"|neg|sharp|well|great|solitus|appropriate|track|average|normally|pigmented)\b", re.I)
_TESTED = re.compile(r"\s+(?:(?:blood|serum|plasma)\s+)?(?:tests?|levels?|values?|counts?|concentrations?|results?)\s*$",
                     re.I)
# born before 37 weeks: "born at 31 wk", "34 wk preterm", "ex-28 weeker", "GA 33 weeks"
_PRETERM = re.compile(r"(?:\b(?:born|delivered|birth|GA|gestational age|gestation)\s*(?:at|of|:|=)?\s*(?P<a>\d{2})(?:\+\d)?\s*"
                      r"(?:wk|wks|weeks?)\b|\b(?P<b>\d{2})(?:\+\d)?\s*(?:wk|wks|weeks?)(?:['’]\s*)?\s*(?:preterm|premature"
                      r"|gestation|GA)\b|\bex[- ]?(?P<c>\d{2})[- ]?(?:wk|week)(?:er)?s?\b)", re.I)
_BP = re.compile(r"(?:\bBP|\bblood pressure)\s*(?:of|was|is|:|=)?\s*(?P<sys>\d{2,3})\s*/\s*(?P<dia>\d{2,3})\b",
                 re.I)


# a milestone reached late, with its age: "walked at 3 years", "sat unsupported at 11 months", "first words at 2 yrs",
# "not walking at 20 months"; each with the age (months) after which it is late (beyond the range of healthy children)
_MILESTONES = {"walk": ("Delayed ability to walk", 18), "sit": ("Delayed ability to sit", 9),
               "talk": ("Delayed speech and language development", 18)}  # late after these ages (months)
_MILESTONE = re.compile(
    r"\b(?:(?P<walk>walked|(?:started|began|begun)\s+(?:to\s+)?walk(?:ing)?|first\s+steps|(?:not|isn't|wasn't|still"
    r"\s+not)\s+(?:yet\s+)?walking(?:\s+yet)?)|(?P<sit>sat(?:\s+up)?|(?:started|began)\s+(?:to\s+)?sit(?:ting)?"
    r"|(?:not|isn't|wasn't|still\s+not)\s+(?:yet\s+)?sitting(?:\s+up)?(?:\s+yet)?)|(?P<talk>(?:said\s+(?:his|her)\s+)?"
    r"first\s+words?|talked|spoke|(?:started|began)\s+(?:to\s+)?talk(?:ing)?"
    r"|(?:not|isn't|wasn't|still\s+not)\s+(?:yet\s+)?talking"
    r"(?:\s+yet)?))(?:\s+(?:independently|unsupported|unaided|alone|on\s+(?:his|her)\s+own|without\s+support))?"
    r"\s+(?:only\s+|not\s+until\s+)?(?:at|by|around|aged?|at\s+(?:the\s+)?age(?:\s+of)?)\s+(?:age\s+)?"
    r"(?P<n>\d{1,2}(?:\.\d)?)(?:\s*(?P<unit>years?|yrs?|y|months?|mos?|mo|m)\b|(?![\w.:]|\s*(?:[ap]\.?m\b|o'?clock)))",
    re.I)  # "walked at 2 pm" is a time


@dataclass(frozen=True)
class Reading:
    """One measured value read as a finding: the HPO label (resolved to an id by the caller), the span of the
    words that say it, and how it was read ("CK 25000 U/L: above 300")."""

    label: str
    start: int
    end: int
    reading: str
    normal: bool = False  # "platelets normal": the analyte's abnormal findings are ruled out, not named


def _value(written: str) -> float:
    return float(written.replace(",", "").replace("−", "-"))


# a level in the urine is no level in the blood: "urine sodium high", "urinary Mg not increased"
_NOT_IN_URINE = r"(?<!urine )(?<!Urine )(?<!urinary )(?<!Urinary )"


def _name_of(analyte: Analyte | Qualitative) -> str:
    """The analyte's names (any case) or symbols (as written), as one group; not after "urine"."""
    return f"{_NOT_IN_URINE}(?:(?i:{analyte.names})" + (f"|{analyte.symbols})" if analyte.symbols else ")")


def _pattern(analyte: Analyte) -> re.Pattern[str]:
    names = [f"{_NOT_IN_URINE}(?i:{analyte.names})"] + (
        [f"{_NOT_IN_URINE}(?<![Vv]itamin )(?:{analyte.symbols})"] if analyte.symbols else [])
    units = "|".join(f"(?:{u.written})" for u in analyte.units if u.written)
    return re.compile(
        rf"(?<![\w/.-])(?P<name>{'|'.join(names)})(?![\w/])(?:\s*\(\w+\))?{_JOIN}(?P<num>{_NUMBER})"
        rf"(?![\d:])(?![./]\d)(?:(?P<uln>{_ULN})|\s*(?P<unit>(?i:{units}))(?![\w/]))?{_NOT_A_VALUE}")


def _reference(analyte: Analyte, value: float, unit: str | None) -> list[float]:
    """The value in the analyte's reference unit, once for each unit it may be written in (one when the
    unit is written); [] when it cannot be read."""
    if unit is not None:
        for u in analyte.units:
            if u.written and re.fullmatch(u.written, unit, re.I):
                return [(value - u.offset) * u.factor] if u.factor else []
        return []
    return [value * u.factor for u in analyte.units
            if not u.written and u.plausible and u.plausible[0] <= value <= u.plausible[1]]


def _normal_once(text: str, start: int) -> bool:
    """Whether the "normal" statement at `start` follows a word that puts it in the past (`ONCE_WORDS`)."""
    return _ONCE.search(text, max(0, start - 16), start) is not None


def _above_uln(analyte: Analyte, m: re.Match[str], multiple: float) -> Reading | None:
    """A value written as a multiple of the upper limit of normal ("CK 60x ULN", "ALT 3 times normal"), of an analyte
    often written so: at twice the limit or more, its raised finding whatever the patient's age (the writer compared
    it with the right limit); less, or an upper bound ("up to 3x ULN"), says nothing."""
    label = next((label for side, _, label in analyte.limits if side == ">"), None)
    bound = (m.group("cmp") or "").strip().lower() in ("<", "<=", "≤", "below", "under", "up to")
    if not analyte.by_uln or label is None or multiple < 2 or bound:  # twice the limit: raised whoever is measured
        return None
    said = m.string[m.start():m.end("uln")]
    return Reading(label, m.start(), m.end("uln"), f"{said}: above the upper limit of normal")


def _explained(reading: Reading, text: str) -> bool:
    """Whether what `reading` names is what the text's treatment or training explains (`_ANTICOAGULATED`,
    `_ATHLETE`), not a finding."""
    if reading.label in _CLOTTING:
        return bool(_ANTICOAGULATED.search(text))
    return reading.label == "Bradycardia" and bool(_ATHLETE.search(text))


def _finding(analyte: Analyte, values: list[float], cmp: str, adult: bool = False) -> tuple[str, str, float] | None:
    """The label every reading of the value agrees on ((label, ">" or "<", limit)), or None; of an adult, past an
    adult's limits too."""
    limits = analyte.adult + analyte.limits if adult else analyte.limits
    found = set()
    for v in values:
        hit = next(((label, side, limit) for side, limit, label in limits
                    if (v > limit if side == ">" else v < limit)), None)
        found.add(hit)
    if len(found) != 1 or None in found:
        return None
    label, side, limit = found.pop()
    if (side == ">" and cmp in _BELOW) or (side == "<" and cmp in _ABOVE):  # "CK < 500" says no more than that
        return None
    return label, side, limit


@dataclass(frozen=True)
class Qualitative:
    """An analyte clinicians write as high or low without a value ("FT4 low", "raised IgA"), with no limit
    that is abnormal at every age: only the writer's word says it is abnormal."""

    names: str  # regex alternatives, case-insensitive
    symbols: str  # matched only as written
    low: str  # HPO label of a low level ("" for none)
    high: str


# a urine ratio to creatinine measures what is over the creatinine: "albumin:creatinine ratio raised", "albumin-to-
# creatinine ratio", "calcium to creatinine ratio", "protein creatinine ratio"
_TO_CREATININE = r"\s*(?:[:/]|-?\s*to\s*-?|-)?\s*creatinine[- ]ratio"
QUALITATIVE: tuple[Qualitative, ...] = (
    Qualitative(_IQ, r"IQ", "Intellectual disability", ""),  # "low IQ"
    Qualitative(r"free T4|free thyroxine", r"FT4|fT4", "Decreased circulating free T4 concentration",
                "Increased circulating free T4 concentration"),
    Qualitative(r"free T3|free triiodothyronine", r"FT3|fT3", "Decreased circulating free T3",
                "Increased circulating free T3"),
    Qualitative(r"(?:serum )?IgA", r"", "Decreased circulating IgA concentration",
                "Increased circulating IgA concentration"),
    Qualitative(r"complement C3", r"C3", "Decreased circulating complement C3 concentration", ""),
    Qualitative(r"complement C4", r"C4", "Decreased circulating complement C4 concentration", ""),
    Qualitative(r"(?:serum |total )?IgM", r"", "Decreased circulating total IgM", "Increased circulating IgM level"),
    Qualitative(r"cortisol", r"", "Decreased circulating cortisol level", "Increased circulating cortisol level"),
    Qualitative(r"prolactin", r"PRL", "Reduced circulating prolactin concentration",
                "Increased circulating prolactin concentration"),
    Qualitative(r"alpha[- ]?fetoprotein", r"AFP", "", "Elevated circulating alpha-fetoprotein concentration"),
    Qualitative(r"(?:serum )?lipase", r"", "", "Increased circulating pancreatic triacylglycerol lipase level"),
    Qualitative(r"(?:serum )?amylase", r"", "Hypoamylasemia", "Hyperamylasemia"),
    Qualitative(r"haptoglobins?", r"", "Reduced haptoglobin level", "Elevated haptoglobin level"),
    Qualitative(r"(?:serum |fasting )?gastrin", r"", "", "Hypergastrinemia"),
    Qualitative(r"(?:B-type|brain) natriuretic peptide", r"BNP",
                "", "Increased circulating brain natriuretic peptide concentration"),
    Qualitative(r"lactate dehydrogenase", r"LDH", "Reduced circulating lactate dehydrogenase concentration",
                "Increased circulating lactate dehydrogenase concentration"),
    Qualitative(r"troponin[- ]?I", r"TnI", "", "Increased circulating troponin I concentration"),
    Qualitative(r"troponin[- ]?T", r"TnT", "", "Increased circulating troponin T concentration"),
    Qualitative(r"(?:serum )?ceruloplasmin|caeruloplasmin", r"", "Decreased circulating ceruloplasmin concentration", ""),
    Qualitative(r"(?:serum )?copper", r"", "Decreased circulating copper concentration", ""),
    Qualitative(r"total iron[- ]binding capacity", r"TIBC", "Decreased total iron binding capacity",
                "Increased total iron binding capacity"),
    Qualitative(r"(?:serum )?iron", r"", "Decreased circulating iron concentration",
                "Increased circulating iron concentration"),
    Qualitative(r"vitamin B12|cobalamin", r"B12", "Decreased circulating vitamin B12 concentration", ""),
    Qualitative(r"insulin-like growth factor[- ](?:1|I)", r"IGF-?1|IGF-?I", "Decreased serum insulin-like growth factor 1",
                "Increased circulating insulin-like growth factor 1 concentration"),
    Qualitative(r"growth hormone", r"GH", "", "Elevated circulating growth hormone concentration"),
    Qualitative(r"(?:plasma )?renin(?: activity)?", r"PRA", "Decreased circulating renin concentration",
                "Increased circulating renin concentration"),
    Qualitative(r"(?:plasma |serum )?aldosterone", r"", "Decreased circulating aldosterone concentration",
                "Increased circulating aldosterone concentration"),
    Qualitative(r"17-?hydroxyprogesterone|17-?hydroxy-progesterone", r"17-?OHP|17-?OH-?P",
                "Decreased circulating 17-hydroxyprogesterone concentration",
                "Elevated circulating 17-hydroxyprogesterone concentration"),
    Qualitative(r"(?<!urine )(?<!urinary )(?:plasma |serum )?(?:guanidinoacetate|guanidinoacetic acid)", r"",
                "", "Elevated circulating guanidinoacetic acid concentration"),
    Qualitative(r"(?:serum |plasma )?(?:vitamin E|(?:alpha-|α-)?tocopherol)", r"",
                "Decreased circulating vitamin E concentration", "Increased circulating vitamin E concentration"),
    Qualitative(r"propionylcarnitine|C3[- ]carnitine|C3[- ]acylcarnitine", r"", "",
                "Elevated circulating propionylcarnitine concentration"),
    Qualitative(r"reticulocytes?(?: count)?|retic(?:ulocyte)? count|retics", r"", "Reticulocytopenia",
                "Reticulocytosis"),
    # amino acids and other metabolites without a limit above (those with one are analytes)
    Qualitative(r"isoleucine", r"", "Hypoisoleucinemia", "Hyperisoleucinemia"),
    Qualitative(r"valine", r"", "Hypovalinemia", "Hypervalinemia"),
    Qualitative(r"branched[- ]chain amino acids", r"BCAAs?", "",
                "Elevated circulating branched chain amino acid concentration"),
    Qualitative(r"(?<!hydroxy)lysine", r"", "Hypolysinemia", "Hyperlysinemia"),
    Qualitative(r"threonine", r"", "Hypothreoninemia", "Hyperthreoninemia"),
    Qualitative(r"(?<!phospho)serine", r"", "Hyposerinemia", "Hyperserinemia"),
    Qualitative(r"(?<!phenyl)(?<!beta-)(?<!beta )alanine(?!\s+(?:amino|trans))", r"", "", "Hyperalaninemia"),
    Qualitative(r"arginine", r"", "Hypoargininemia", ""),
    Qualitative(r"(?<!hydroxy)proline(?![- ]rich)", r"", "", "Hyperprolinemia"),
    Qualitative(r"histidine", r"", "", "Hyperhistidinemia"),
    Qualitative(r"pyruvate", r"", "", "Increased circulating pyruvate concentration"),
    Qualitative(r"(?:blood |plasma )?galactose", r"", "", "Hypergalactosemia"),
    Qualitative(r"(?:plasma |free |total )?carnitine", r"", "Decreased circulating carnitine concentration", ""),
    Qualitative(r"(?:urine |urinary )?orotic acid", r"", "", "Oroticaciduria"),
    Qualitative(r"(?:urine|urinary) methylmalonic acid", r"", "", "Methylmalonic aciduria"),
    Qualitative(rf"(?:urine |urinary )?albumin{_TO_CREATININE}", r"u?ACR|UACR", "", "Albuminuria"),
    Qualitative(rf"(?:urine |urinary )?protein{_TO_CREATININE}", r"UPCR|uPCR", "", "Proteinuria"),
    Qualitative(rf"(?:urine |urinary )?creatine{_TO_CREATININE}", r"", "",
                "Elevated urinary creatine/creatinine ratio"),
    Qualitative(rf"(?:urine |urinary )?calcium{_TO_CREATININE}", r"", "Hypocalciuria", "Hypercalciuria"),
    Qualitative(r"(?:plasma |serum |blood )?methylmalonic acid", r"", "", "Methylmalonic acidemia"),
    Qualitative(r"(?:serum|plasma) osm(?:olality|olarity)?", r"", "Low serum osmolality", ""),
    Qualitative(r"(?:urine|urinary) osm(?:olality|olarity)?", r"", "Hyposthenuria", "Hyperosthenuria"),
    Qualitative(r"antidiuretic hormone", r"ADH", "Decreased circulating antidiuretic hormone concentration", ""),
)
WORDED_MAX = 64
_HIGH_WORDS = r"high|higher|raised|elevated|increased|prolonged"
_LOW_WORDS = r"low|lower|decreased|reduced|undetectable|suppressed"
_DEGREE = (r"(?:(?:inappropriately|markedly|very|slightly|mildly|persistently|extremely|significantly|severely"
           r"|moderately|grossly)\s+)?")
_DIRECTION = re.compile(rf"\b{_DEGREE}(?:(?P<high>{_HIGH_WORDS})|(?P<low>{_LOW_WORDS}))\b", re.I)
_BETWEEN_AFTER = r"\s+(?:(?:is|was|were|are|both|levels?|levels? (?:is|was|were|are))\s+)?"  # "urate level was raised"
_BETWEEN_BEFORE = r"\s+(?:(?:serum|plasma|blood|circulating)\s+)?"  # "raised serum urate"
# what the rest of a listed analyte's clause may say of it instead of normal: "normal ALT, AST 300", "normal ALT and
# AST mildly elevated", "normal CK and ALT twice ULN", "normal Na and K then hyperkalaemia": the list stops before it
_LISTED_NEXT = re.compile(_LISTED)
_CLAUSE_END = re.compile(r"[,;.:\n]|\s(?:and|but|with)\s")
_SAID_OTHERWISE = re.compile(rf"\d|\b(?:{_HIGH_WORDS}|{_LOW_WORDS}|ULN|twice|double|triple|thrice|peak\w*|previously"
                             r"|then|abnormal|deranged|borderline)\b", re.I)
# no level of the patient's: "low sodium diet", "high glucose infusion rates", "IgA low normal"
_NOT_A_LEVEL = re.compile(r"[- ]?(?:diets?|intakes?|infusions?|supplements?|supplementation|formula|feeds?|restrict\w*"
                          r"|replacement)\b", re.I)
_WORD_BEFORE = re.compile(rf"\b(?:{_HIGH_WORDS}|{_LOW_WORDS})\s+(?:(?:serum|plasma|blood|circulating)\s+)?$", re.I)
_NO_LEVEL_AFTER = re.compile(r"[- ]?(?:signal|lying|density|attenuation|intensity|set|grade|dose)\b", re.I)
_BORDERLINE = re.compile(rf"[- ]?(?:normal|nl{ITEM_ENDS}|end of normal|limit of normal|average|borderline)\b", re.I)
_OWN_VALUE = re.compile(r"\s*(?:[:=]\s*)?[-−<>≤≥]?\s*\d")  # "low Na, K 4.2": K has its own value
_OWN_WORD = re.compile(rf"\s+(?:(?:is|was|are|were)\s+)?(?:normal|nl|wnl|within|unremarkable|{_HIGH_WORDS}"
                       rf"|{_LOW_WORDS})\b", re.I)  # "raised CK, ALT normal": ALT has its own word


def _qualitative_kinds() -> list[tuple[str, str, str]]:
    """(name regex, low label, high label) of every analyte that may be written as high or low: the QUALITATIVE
    ones first (where one names an analyte with limits too, as IgM, its labels are the ones read), then those
    with limits (not temperature: "low T" is no hypothermia)."""
    out = [(_name_of(q), q.low, q.high) for q in QUALITATIVE]
    for a in ANALYTES:
        if a.symbols == TEMPERATURE_SYMBOL:
            continue
        low = next((label for side, _, label in a.limits if side == "<"), "")
        high = next((label for side, _, label in a.limits if side == ">"), "")
        out.append((_name_of(a), low, high))
    return out


class Measurements:
    """Reads measured values in a text. Stateless; compiled once."""

    def __init__(self) -> None:
        self._analytes = [(a, _pattern(a)) for a in ANALYTES]
        self._growth = []
        for names, symbols, low, high in GROWTH:
            either = rf"(?<![\w/.-])(?:(?i:{names})|{symbols})(?![\w/])"
            self._growth.append((re.compile(_SD.format(names=either)), re.compile(_CENTILE.format(names=either)),
                                 low, high))
        # "Ca/phos normal", "APTT was normal": what a name written as normal rules out (an analyte's findings beyond
        # its limits, or those written high or low)
        self._ending = [(_rules_out(a), re.compile(rf"(?<![\w.-]){_name_of(a)}$"))
                        for a in ANALYTES] + [
            (tuple(x for x in (q.low, q.high) if x), re.compile(rf"(?<![\w.-]){_name_of(q)}$")) for q in QUALITATIVE]
        # "urate raised", "FT4 low": a name, then a word for high or low; "raised urate": the other way round
        kinds = _qualitative_kinds()
        self._worded_labels = [(low, high) for _, low, high in kinds]  # by the group k<i> that matched
        names = "(?:" + "|".join(rf"(?P<k{i}>{name})" for i, (name, _, _) in enumerate(kinds)) + ")"
        self._named_then_worded = re.compile(rf"(?<![\w.-]){names}{_BETWEEN_AFTER}$")
        self._worded_then_named = re.compile(rf"{_BETWEEN_BEFORE}{names}(?![\w/])")
        self._listed_name = re.compile(rf"{_LISTED}{names}(?![\w/])")  # "low IgG, IgA and IgM": each is low
        # "sodium and potassium both low", "IgG, IgA and IgM low": the names listed before the one the word follows
        self._and_before = re.compile(rf"(?<![\w.-]){names}\s*(?:and|&)\s*$")
        self._comma_before = re.compile(rf"(?<![\w.-]){names}\s*,\s*$")
        # where anything measured is named: a value is read from there (`_lab`, `_sd`, `_centile`, `_pressure`)
        self._named = re.compile(r"(?<![\w/.-])(?:" + "|".join(
            [rf"(?P<a{i}>{_name_of(a)}(?![\w/]))" for i, a in enumerate(ANALYTES)]
            + [rf"(?P<g{i}>(?:(?i:{names})|{symbols})(?![\w/]))" for i, (names, symbols, _, _) in enumerate(GROWTH)]
            + [r"(?P<bp>(?i:BP|blood pressure)\b)"]) + ")")

    @property
    def labels(self) -> set[str]:
        """Every HPO label a reading may name (the caller resolves them against its release)."""
        return ({label for a in ANALYTES for _, _, label in a.limits} | {x for *_, lo, hi in GROWTH for x in (lo, hi)}
                | {"Hypertension", "Premature birth"} | {x for q in QUALITATIVE for x in (q.low, q.high)}
                | {label for label, _ in _MILESTONES.values()} | {"Weight loss"}
                | {"Reduced visual acuity", "Severely reduced visual acuity", "Decreased body mass index", "Obesity"}
                | {label for _, label in NORMAL_STATEMENTS} | {label for _, label in ANTIBODIES}) - {""}

    def read(self, text: str, adult: bool = False) -> list[Reading]:
        """The abnormal values `text` states, in text order, none overlapping another (spans in `text`); with
        `adult` (the text's patient is 18 or older), past an adult's limits too.

        Read with every run of white space, and every tab, newline or non-breaking space, as one plain space
        ("CK\t\t25000" as pasted from a table; "creatine\u00a0kinase"): the patterns try several optional words
        between a name and its value, each with white space around it, and on long runs of spaces their tries
        multiplied (2,000 characters could take minutes); on single spaces they stay a handful per name. A run
        counts as one character towards the reach from a name to its value.
        """
        squeezed, at = _squeeze(text)
        readings = _apart([r for start, kind in self._named_before_numbers(squeezed)
                           for r in self._read_at(squeezed, start, kind, adult)] + _preterm(squeezed)
                          + _milestones(squeezed) + _weight_lost(squeezed) + _antibodies(squeezed)
                          + _acuity(squeezed) + (_adult_bmi(squeezed) if adult else []))
        readings = sorted([r for r in readings if not _explained(r, squeezed)]
                          + [r for r in self._normal(squeezed)
                             if all(r.end <= v.start or r.start >= v.end for v in readings)],
                          key=lambda r: r.start)
        return [_in_text(text, at, r) for r in readings] if at else readings

    def _normal(self, text: str) -> list[Reading]:
        """Analytes written as normal ("NH3 normal", "PT and platelets normal", "normal blood pressure"): one
        reading per finding each rules out, spanning the analyte's name and the word that says normal."""
        out = []
        for m in _NORMAL.finditer(text):
            end, names = m.start(), []
            if (bp := _BP_NAMED.search(text, max(0, end - 20), end)):
                start = bp.start()
                out.append(Reading("Hypertension", start, m.end(), f"{text[start:m.end()]}: no hypertension", normal=True))
                continue
            tested = _TESTED.search(text, max(0, end - 30), end)  # "GGT blood test is normal"
            end = tested.start() if tested else end
            while len(names) < 8 and (name := self._name_ending(text, end)) is not None:
                names.append(name)
                listed = re.search(_LISTED + r"$", text[max(0, name[0] - 8):name[0]])
                if listed is None:
                    break
                end = name[0] - len(listed.group(0))
            for start, labels in names:
                said = text[start:m.end()]
                out += [Reading(label, start, m.end(), f"{said}: no {label.lower()}", normal=True) for label in labels]
        for m in _NORMAL_BEFORE.finditer(text):  # "normal uric acid", "normal serum ammonia"
            if _NOT_NORMAL.search(text, max(0, m.start() - 24), m.start()):  # "higher than normal ALT", "3x normal"
                continue
            if _normal_once(text, m.start()):
                continue
            named = self._named.match(text, m.end())
            if named is None or not (named.lastgroup or "").startswith("a") or _NOT_A_LEVEL.match(text, named.end()):
                continue
            for named in self._listed_after(text, named):  # "normal K and Ca", "normal calcium and PTH"
                said = text[m.start():named.end()]
                out += [Reading(label, m.start(), named.end(), f"{said}: no {label.lower()}", normal=True)
                        for label in _rules_out(ANALYTES[int(named.lastgroup[1:])])]
        if _STATEMENT_WORD.search(text):  # most queries hold none of their words: their ~25 patterns are not tried
            out += [Reading(label, m.start(), m.end(), f"{m.group(0)}: no {label.lower()}", normal=True)
                    for pattern, label in NORMAL_STATEMENTS for m in pattern.finditer(text)
                    if _wholly(text, m) and not _normal_once(text, m.start())]
        # one reading per finding where one statement holds another ("blood counts and platelets … normal")
        out = list({(r.label, r.start, r.end): r for r in out}.values())  # "sweat chloride normal": one, not two
        out = [r for r in out if not any(o is not r and o.label == r.label and o.start <= r.start and r.end <= o.end
                                         for o in out)]
        return sorted(out, key=lambda r: r.start)

    def _listed_after(self, text: str, named: re.Match[str]) -> list[re.Match[str]]:
        """The analyte named after "normal" and those listed after it that have no value or word of their own
        ("normal calcium and PTH": both; "normal ALT, AST 300": ALT alone)."""
        out = [named]
        while len(out) < 8 and (listed := _LISTED_NEXT.match(text, out[-1].end())) is not None:
            nxt = self._named.match(text, listed.end())
            if (nxt is None or not (nxt.lastgroup or "").startswith("a") or _NOT_A_LEVEL.match(text, nxt.end())
                    or _SAID_OTHERWISE.search(_CLAUSE_END.split(text[nxt.end():], 1)[0])):
                break
            out.append(nxt)
        return out

    def _name_ending(self, text: str, end: int) -> tuple[int, tuple[str, ...]] | None:
        """(start, the findings it rules out) of an analyte's name that ends at `end` (white space before `end`
        allowed)."""
        start = max(0, end - 40)
        end = start + len(text[start:end].rstrip())
        for labels, pattern in self._ending:
            if (m := pattern.search(text, start, end)) is not None:
                return m.start(), labels
        return None

    def worded(self, text: str) -> list[Reading]:
        """Analytes written as high or low without a value ("urate raised", "FT4 low", "PTH inappropriately low",
        "raised IgA", "aPTT prolonged"), in text order: one reading each, spanning the name and the word. Read
        apart from `read`: a caller lets a phrase of its own that covers the same words win."""
        squeezed, at = _squeeze(text)  # as `read`: white space runs as one space
        out = self._worded_in(squeezed)
        out = [_in_text(text, at, r) for r in out] if at else out
        return [r for r in out if "\n" not in text[r.start:r.end]]  # a line's word says nothing of the next line

    def _worded_in(self, text: str) -> list[Reading]:
        out = []
        # the first WORDED_MAX words for high or low: a query names far fewer, and each costs a search of its window
        for m in islice(_DIRECTION.finditer(text), WORDED_MAX):
            # "low-normal", "IgA low normal", "ferritin low-nl": within the normal range; "C4 low signal": no level
            if _BORDERLINE.match(text, m.end()) or _NO_LEVEL_AFTER.match(text, m.end()):
                continue
            high = m["high"] is not None
            named = self._named_then_worded.search(text, max(0, m.start() - 48), m.start())
            start, end, listed = (named.start(), m.end(), False) if named else (m.start(), 0, True)
            if named is None and (named := self._worded_then_named.match(text, m.end())) is not None:
                end = named.end()
                if _NOT_A_LEVEL.match(text, end):  # "low sodium diet", "high glucose infusion rates"
                    continue
            if named:
                out += self._worded_reading(text, named, start, end, high)
            if named and not listed:
                out += self._listed_back(text, start, high)
            while listed and named and (named := self._listed_name.match(text, end)) is not None:
                if any(p.match(text, named.end()) for p in (_OWN_VALUE, _OWN_WORD, _NOT_A_LEVEL)):
                    break
                start, end = named.start(named.lastgroup), named.end()
                out += self._worded_reading(text, named, start, end, high)
        return sorted(out, key=lambda r: r.start)

    def _listed_back(self, text: str, start: int, high: bool) -> list[Reading]:
        """The analytes listed before the one named at `start` that share its word: back over an "and" ("sodium and
        potassium both low"), then over commas ("IgG, IgA and IgM low"); not one with a word of its own ("raised
        calcium and phosphate low")."""
        out: list[Reading] = []
        joint = self._and_before
        while len(out) < 8 and (named := joint.search(text, max(0, start - 48), start)) is not None:
            if _WORD_BEFORE.search(text, max(0, named.start() - 32), named.start()):
                break
            start = named.start()
            found = self._worded_reading(text, named, start, named.end(named.lastgroup), high)
            if joint is self._and_before and not found:
                break  # the list's last pair names no finding: no list read back
            out, joint = out + found, self._comma_before
        return out

    def _worded_reading(self, text: str, named: re.Match, start: int, end: int, high: bool) -> list[Reading]:
        """The reading of the analyte `named` matched (its group k<i>) written high or low, if it has that finding."""
        label = self._worded_labels[int(named.lastgroup[1:])][high]
        return [Reading(label, start, end, f"{text[start:end]}: written as {'high' if high else 'low'}")] if label else []

    def _read_at(self, text: str, start: int, kind: str, adult: bool = False) -> list[Reading]:
        """The readings of the measured thing named at `start` (`kind`: a group of `_named`); `adult`: the text's
        patient is an adult."""
        if kind == "bp":
            found = [self._pressure(m) if (m := _BP.match(text, start)) else None]
        elif kind[0] == "g":
            sd, centile, low, high = self._growth[int(kind[1:])]
            found = [self._sd(m, low, high) if (m := sd.match(text, start)) else None,
                     self._centile(m, low, high) if (m := centile.match(text, start)) else None]
        else:
            analyte, pattern = self._analytes[int(kind[1:])]
            found = [self._lab(analyte, m, adult) if (m := pattern.match(text, start)) else None]
        return [r for r in found if r]

    def _named_before_numbers(self, text: str) -> list[tuple[int, str]]:
        """(start, kind) of each name of a measured thing that a number follows within a few words: only the
        text just before a number is searched (most queries hold no number, or only an age)."""
        found: dict[int, str] = {}
        for number in _DIGITS.finditer(text):
            for named in self._named.finditer(text, max(0, number.start() - _REACH), number.start()):
                found.setdefault(named.start(), named.lastgroup or "")
        return sorted(found.items())

    @staticmethod
    def _lab(analyte: Analyte, m: re.Match[str], adult: bool = False) -> Reading | None:
        value = _value(m.group("num"))
        if m.group("uln"):
            return _above_uln(analyte, m, value)
        unit = m.group("unit")
        values = _reference(analyte, value, unit.strip() if unit else None)
        adult = adult and (bool(unit) or not analyte.adult_needs_unit)
        hit = _finding(analyte, values, (m.group("cmp") or "").strip().lower(), adult)
        if hit is None:
            return None
        label, side, limit = hit
        end = m.end("unit") if unit else m.end("num")
        if _SPURIOUS.match(m.string, end):  # "K 6.8 (haemolysed)": the sample's value, not the patient's
            return None
        if (repeat := _REPEAT.match(m.string, end)) and (repeat.group("normal") or _finding(
                analyte, _reference(analyte, _value(repeat.group("num")), unit.strip() if unit else None), "", adult)
                is None):
            return None  # "K 5.6, repeat 4.2": not confirmed
        said = m.string[m.start():end]
        unit_shown = analyte.unit if analyte.unit in ("", "%") else f" {analyte.unit}"
        whose = " (an adult's limit)" if adult and (side, limit, label) in analyte.adult else ""
        return Reading(label, m.start(), end,
                       f"{said}: {'above' if side == '>' else 'below'} {limit:g}{unit_shown}{whose}")

    @staticmethod
    def _sd(m: re.Match[str], low: str, high: str) -> Reading | None:
        said = m.group(0)
        if not (m.group("score") or m.group("unit")):
            return None  # a bare number after "height" is centimetres, not deviations
        written = m.group("sd").replace("–", "-")
        direction = m.group("dir")
        if direction:  # "2.5 SD below the mean"
            sd = abs(_value(written)) * (-1 if direction in ("below", "under") else 1)
        elif written[0] in "+-−":
            sd = _value(written)
        else:
            return None  # "height 2.5 SD": which side is not said
        label = low if sd <= -2 else high if sd >= 2 else ""
        if not label or abs(sd) > 15:
            return None
        return Reading(label, m.start(), m.end(), f"{said.strip()}: {'≤ -2' if sd < 0 else '≥ +2'} SD")

    @staticmethod
    def _centile(m: re.Match[str], low: str, high: str) -> Reading | None:
        c = float(m.group("c") or m.group("p"))
        cmp = (m.group("cmp") or "").lower()
        label = low if c <= 3 and cmp not in _ABOVE else high if c >= 97 and cmp not in _BELOW else ""
        if not label:
            return None
        return Reading(label, m.start(), m.end(), f"{m.group(0).strip()}: {'≤ 3rd' if label == low else '≥ 97th'} "
                                                  "centile")

    @staticmethod
    def _pressure(m: re.Match[str]) -> Reading | None:
        sys_, dia = int(m.group("sys")), int(m.group("dia"))
        if sys_ <= dia:
            return None
        if sys_ >= 140 or dia >= 90:  # hypertensive for an adult, and more so for a child
            return Reading("Hypertension", m.start(), m.end(), f"{m.group(0)}: at or above 140/90")
        return None


# a statement of normal that is doubted, a relative's, in part, in the past or asked: "not sure her hearing is fine",
# "her brother's eyesight is fine", "hearing good on the left", "eyesight was perfect until age 6", "is it ok?"
_DOUBTED = re.compile(r"(?:\b(?:not sure|unsure|don'?t think|do not think|doubt\w*|whether|wonder\w*|worr\w+|concern\w*"
                      r"|not|isn'?t|aren'?t|wasn'?t|if|brother|sister|mother|father|mum|mom|dad|parents?|siblings?|twin"
                      r"|grand\w+|aunt|uncle|cousin)\b)[^.;,]{0,25}$", re.I)
_IN_PART = re.compile(r"\s*,?\s*(?:until|till|before|up to|in (?:the )?(?:left|right)|on the (?:left|right)|in one|only"
                      r"|except|apart from|but|after|on [a-z]+|at birth|sized?\b|\?)", re.I)


def _wholly(text: str, m: re.Match[str]) -> bool:
    """Does the statement of normal at `m` say, of the patient, that it is normal now?"""
    return not (_DOUBTED.search(text, max(0, m.start() - 40), m.start()) or _IN_PART.match(text, m.end()))


def _rules_out(analyte: Analyte) -> tuple[str, ...]:
    """The findings an analyte written as normal rules out."""
    return analyte.normal or tuple(label for _, _, label in analyte.limits)


# weight lost, with how much: "lost 8 kg", "has lost 10 lbs"
_WEIGHT_LOST = re.compile(r"\b(?:lost|losing|loss\s+of)\s+(?:about\s+|over\s+|nearly\s+|almost\s+|~\s*)?\d+(?:\.\d+)?"
                          r"\s*(?:kg|kgs|kilos?|lbs?|pounds|stone)\b", re.I)


# Visual acuity as Snellen fractions, in metres or feet, after the acuity's name ("VA 6/36 OU", "BCVA 20/200 OD",
# "VA R 6/18, L 6/60"; not "vision": "blurred vision 6/12" may be six months), one or one for each eye
_SNELLEN = r"(?:6|20)\s*/\s*\d{1,3}(?:\.\d)?(?![\d/])"  # not "6/2019", "6/20/2023"
_EYE = r"(?:OD|OS|OU|RE|LE|R|L|right(?:\s+eye)?|left(?:\s+eye)?|both(?:\s+eyes)?|bilaterally)"
# (not "CVA", a stroke: "h/o CVA 6/2019"); an uncorrected acuity says little of the eyes ("UCVA 6/60, BCVA 6/6")
_ACUITY = re.compile(rf"\b(?P<name>[BU]CVA|VA|visual\s+acuity|acuity)\s*(?:of|was|is|:|=)?\s*(?:{_EYE}\s*:?\s*)?"
                     rf"{_SNELLEN}(?:\s*{_EYE}\b)?(?:(?:\s*(?:,|;|and|&)\s*|\s+)(?:{_EYE}\s*:?\s*)?{_SNELLEN}"
                     rf"(?:\s*{_EYE}\b)?)?", re.I)
_UNAIDED = re.compile(r"\s*[(,]?\s*(?:unaided|uncorrected|without\s+(?:glasses|correction|spectacles))\b", re.I)
_FRACTION = re.compile(r"(6|20)\s*/\s*(\d{1,3}(?:\.\d)?)")


def _acuity(text: str) -> list[Reading]:
    """Visual acuity read by the better eye, as the WHO's bands of impairment are: worse than 6/12 (20/40) reduced,
    worse than 6/60 (20/200) severely."""
    out = []
    for m in _ACUITY.finditer(text):
        if m.group("name").upper() == "UCVA" or _UNAIDED.match(text, m.end()):
            continue
        eyes = [int(a) / float(b) for a, b in _FRACTION.findall(m.group(0)) if float(b) > 0]
        best = max(eyes, default=1.0)
        label = "Severely reduced visual acuity" if best < 0.1 else "Reduced visual acuity" if best < 0.5 else ""
        if label:
            limit = "6/60 (20/200)" if best < 0.1 else "6/12 (20/40)"
            whose = "the better eye " if len(eyes) > 1 else ""
            out.append(Reading(label, m.start(), m.end(), f"{m.group(0)}: {whose}worse than {limit}"))
    return out


# An adult's body mass index as a number ("BMI 14", "BMI of 41 kg/m2"); a child's is read by its centile or SD
# (`GROWTH`), as a child's number runs with age
_BMI = re.compile(r"\b(?:BMI|body\s+mass\s+index)\s*(?:of|was|is|:|=)?\s*(?P<n>\d{1,2}(?:\.\d)?)"
                  r"(?:\s*kg\s*/\s*m(?:2|²|\^2))?"
                  r"(?![\d.]|\s*%|\s*(?:st|nd|rd|th|centiles?|percentiles?|percent|SDS?|z)\b)", re.I)


def _adult_bmi(text: str) -> list[Reading]:
    """An adult's body mass index below 18.5 or from 30 (the WHO's underweight and obesity)."""
    out = []
    for m in _BMI.finditer(text):
        bmi = float(m.group("n"))
        if 10 <= bmi < 18.5 or 30 <= bmi <= 80:  # outside 10–80 no adult's BMI: a score or a slip
            label, said = ("Decreased body mass index", "below 18.5") if bmi < 18.5 else ("Obesity", "30 or more")
            out.append(Reading(label, m.start(), m.end(), f"{m.group(0)}: {said} kg/m² (an adult's limit)"))
    return out


def _weight_lost(text: str) -> list[Reading]:
    """Weight lost, with how much."""
    return [Reading("Weight loss", m.start(), m.end(), f"{m.group(0)}: weight lost")
            for m in _WEIGHT_LOST.finditer(text)]


def _milestones(text: str) -> list[Reading]:
    """Walking, sitting or first words reached late, or not yet reached, at the age written."""
    out: list[Reading] = []
    lower = text.lower()
    if not any(w in lower for w in ("walk", "sat", "sit", "word", "talk", "spoke", "steps")):
        return out  # most texts name no milestone: the pattern is not tried
    for m in _MILESTONE.finditer(text):
        which = next(k for k in _MILESTONES if m.group(k))
        label, late = _MILESTONES[which]
        unit, n = (m.group("unit") or "").lower(), float(m.group("n"))
        if not unit and "age" not in m.group(0).lower() and not (which != "sit" and n <= 6):
            continue  # "sat at 8" says no age; "walked at 3" is years (no child walks at 3 months)
        months = n * (1 if unit.startswith("m") else 12)  # "at age 4", "started walking at 2": years
        if months > late:
            out.append(Reading(label, m.start(), m.end(), f"{m.group(0)}: {which} at {months:g} months, "
                                                         f"late after {late}"))
    return out


def _preterm(text: str) -> list[Reading]:
    """Births before 37 weeks of gestation (and after 20: "born at 8 weeks" is no gestation)."""
    out = []
    for m in _PRETERM.finditer(text):
        weeks = int(m.group("a") or m.group("b") or m.group("c"))
        if 20 <= weeks < 37:
            out.append(Reading("Premature birth", m.start(), m.end(), f"{m.group(0)}: before 37 weeks"))
    return out


# Antibodies clinicians write positive or negative, alone or listed ("ANA and RF positive", "ANA, RF negative", "ANCA
# neg", "positive ASO"): (name as written, HPO label of its positivity). Abbreviations only in capitals; a name joined
# by a hyphen to a letter before it is another test ("c-ANCA" and "p-ANCA" are phrases of their own).
ANTIBODIES: tuple[tuple[str, str], ...] = (
    (r"ANA|(?i:antinuclear antibod(?:y|ies))", "Antinuclear antibody positivity"),
    (r"RF|(?i:rheumatoid factor)", "Rheumatoid factor positive"),
    (r"ANCA|(?i:anti-?neutrophil cytoplasmic antibod(?:y|ies))", "Antineutrophil antibody positivity"),
    (r"AMA|(?i:anti-?mitochondrial antibod(?:y|ies))", "Antimitochondrial antibody positivity"),
    (r"ASOT?|(?i:anti-?streptolysin(?: O)?(?: titers?| titres?)?)", "Antistreptolysin O antibody positivity"),
    (r"(?:(?i:anti)-?)?dsDNA|(?i:anti-?double[- ]stranded DNA)", "Anti-dsDNA antibody positivity"),
    (r"(?:(?i:anti)-?)?CCP|ACPA", "Anti-cyclic citrullinated peptide antibody positivity"),
    (r"(?:(?i:anti)-?)?TPO|(?i:thyroid peroxidase antibod(?:y|ies))", "Anti-thyroid peroxidase antibody positivity"),
    (r"(?i:anti-?Sm|anti-?Smith)", "Anti-Sm antibody positivity"),
    (r"ASMA|(?i:anti-?smooth muscle antibod(?:y|ies))", "Anti-smooth muscle antibody positivity"),
    (r"(?:(?i:anti)-?)?(?i:scl)-?70|(?i:anti-?topoisomerase(?: I| 1)?(?: antibod(?:y|ies))?)",
     "Anti-topoisomerase I antibody positivity"),
)


def _antibody_names(grouped: bool) -> str:
    """Any name of ANTIBODIES, each in a group b<i> (`grouped`) or not."""
    names = "|".join(rf"(?P<b{i}>{name})" if grouped else rf"(?:{name})" for i, (name, _) in enumerate(ANTIBODIES))
    return rf"(?<![\w-])(?:{names})(?!\w|-(?!ve\b)\w)"  # a sign may be joined: "ANA+", "RF-", "RF-ve"


_ANTIBODY_ONE = re.compile(_antibody_names(grouped=True))
_ANY_ANTIBODY = _antibody_names(grouped=False)
# names listed with a comma, "and", "&" or "/" ("ANA/dsDNA")
_ANTIBODY_LIST = rf"{_ANY_ANTIBODY}(?:\s*(?:,|and|&|/)\s*{_ANY_ANTIBODY})*"
# names after the result word of another test may also be listed with spaces alone ("ANA RF negative"), not names right
# after a result word ("negative ANA dsDNA positive": ANA negative, dsDNA positive)
_SPACED = r"(?:(?<!negative )(?<!positive )(?<!neg )(?<!pos )(?P<spaced>)|)"
_SPACED_LIST = rf"{_SPACED}{_ANY_ANTIBODY}(?:(?:\s*(?:,|and|&|/)\s*|(?(spaced)\s+|(?!))){_ANY_ANTIBODY})*"
# a sign as the result ("ANA+ RF-", "RF +"), not a name's part ("K+ 6.3" is no antibody), nor "+/-" (equivocal); a
# minus only joined to the name ("ANA - positive" is a dash)
_SIGN_ENDS = r"(?=[\s,;.)]|/(?![-+])|$)"
_POSITIVE = rf"positive|pos|\+ve|\+{_SIGN_ENDS}|elevated|raised|high|increased"
_NEGATIVE = rf"negative|neg|-ve|(?<=\w)-{_SIGN_ENDS}"


def _result(grouped: bool) -> str:
    """The words that give an antibody's result ("was strongly positive", "neg"), positive in a group `pos` and
    negative in a group `neg` (`grouped`), or without groups."""
    pos, neg = (r"?P<pos>", r"?P<neg>") if grouped else ("?:", "?:")
    return (r"\s*(?:(?i:was|were|is|are|both|all|came back|tests?|antibod(?:y|ies)|titers?|titres?)\s+){0,2}"
            rf"(?i:(?:strongly|weakly|very|markedly)\s+)?(?:({pos}(?i:{_POSITIVE}))|({neg}(?i:{_NEGATIVE})))(?![\w+-])")


# the result after the names ("ANA and RF positive"), or "positive"/"negative" before them ("negative for ANA and
# dsDNA") unless they have a result of their own after them ("DAT negative ANA positive": ANA is positive)
_ANTIBODY_SAID = re.compile(
    rf"(?P<after>{_SPACED_LIST}){_result(grouped=True)}|(?<![\w-])(?:(?P<pos2>(?i:positive))|(?P<neg2>(?i:negative)))"
    rf"\s+(?:(?i:for)\s+)?(?P<before>{_ANTIBODY_LIST})(?!{_result(grouped=False)})")
# an immunofluorescence titre ("ANA 1:640", "ASMA titre 1:320"): positive from 1:160
_TITRE = re.compile(rf"{_antibody_names(grouped=True)}\s*(?:(?i:titre|titer)\s*)?(?:(?i:of)\s+|[:=]\s*)?1\s*[:/]\s*"
                    r"(?P<t>\d{2,5})(?!\d)")
_TITRE_POSITIVE = 160
# an abbreviation with other senses in clinical text (RF: rheumatic fever, renal or respiratory failure) only right
# beside its result, never further along a list ("h/o RF, ASO raised")
_BESIDE_ONLY = frozenset({"RF"})


def _antibodies(text: str) -> list[Reading]:
    """Each antibody of a list written positive (a finding) or negative (ruled out). The first name's reading starts
    where the words of the result do, the last one's ends where they do (no word of them is read as anything else:
    "ANA weakly positive" is no weakness)."""
    out: list[Reading] = []
    if not _ANTIBODY_ONE.search(text):  # most queries name no antibody: the longer pattern is not tried
        return out
    for m in _ANTIBODY_SAID.finditer(text):
        positive = bool(m.group("pos") or m.group("pos2"))
        group = "after" if m.group("after") else "before"
        names = list(_ANTIBODY_ONE.finditer(text, m.start(group), m.end(group)))
        said = f"{m.group(0)}: {'positive' if positive else 'negative'}"
        beside = names[-1] if group == "after" else names[0]
        for i, named in enumerate(names):
            if named.group(0) in _BESIDE_ONLY and named is not beside:
                continue
            start = m.start() if i == 0 else named.start()
            end = m.end() if i == len(names) - 1 else named.end()
            out.append(Reading(ANTIBODIES[int(named.lastgroup[1:])][1], start, end, said, normal=not positive))
    for m in _TITRE.finditer(text):
        if int(m.group("t")) >= _TITRE_POSITIVE:
            name = next(g for g in m.groupdict() if g.startswith("b") and m.group(g))
            out.append(Reading(ANTIBODIES[int(name[1:])][1], m.start(), m.end(),
                               f"{m.group(0)}: a titre of 1:{_TITRE_POSITIVE} or more"))
    return out


def _in_text(text: str, at: list[int], r: Reading) -> Reading:
    """A reading of the squeezed text with its span in `text` (white space it ends on left out)."""
    start, end = at[r.start], at[r.end - 1] + 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return replace(r, start=start, end=end)


def _squeeze(text: str) -> tuple[str, list[int] | None]:
    """`text` with each run of white space (and each white space character other than " ") as one space, and
    where each of its characters was in `text` (None when there was nothing to squeeze)."""
    if not _SPACES.search(text):
        return text, None
    parts: list[str] = []
    at: list[int] = []
    kept = 0
    for m in _SPACES.finditer(text):
        parts += [text[kept:m.start()], " "]
        at += [*range(kept, m.start()), m.start()]
        kept = m.end()
    parts.append(text[kept:])
    at += range(kept, len(text))
    return "".join(parts), at


def _apart(readings: list[Reading]) -> list[Reading]:
    """Readings in text order; of two that overlap, the longer (then the earlier) stays."""
    taken: list[Reading] = []
    for r in sorted(readings, key=lambda r: (-(r.end - r.start), r.start)):
        if all(r.end <= t.start or r.start >= t.end for t in taken):
            taken.append(r)
    return sorted(taken, key=lambda r: r.start)

