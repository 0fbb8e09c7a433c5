"""The patient's sex and age as a query states them, for the phenopacket the findings export to."""

from __future__ import annotations

import timeit

import pytest

from app.understanding.patient import Patient, is_adult, is_under_two, read_patient


@pytest.mark.parametrize("text, sex, age", [
    ("4 yo M, CK 25000", "MALE", "P4Y"), ("34F, syncope", "FEMALE", "P34Y"), ("8 month old boy", "MALE", "P8M"),
    ("a 10-day-old girl with jaundice", "FEMALE", "P10D"), ("adult F with LVH", "FEMALE", None),
    ("Tall 15-year-old with arachnodactyly", None, "P15Y"), ("2 y/o boy", "MALE", "P2Y"), ("6 wk old F", "FEMALE", "P6W"),
    ("I'm a 28 year old woman", "FEMALE", "P28Y"), ("4yo M", "MALE", "P4Y"),
    ("4 yo boy, temp 102F", "MALE", "P4Y"),  # a temperature in Fahrenheit is no age and sex
    # an age said by the one it is, without its unit: years
    ("I'm 34 and my hands swell", None, "P34Y"), ("im 17 and my periods are heavy", None, "P17Y"),
    ("My daughter is 4 and still not talking", "FEMALE", "P4Y"), ("Our son is 2 and a half", "MALE", "P2Y"),
    ("my son is 3 months old", "MALE", "P3M"), ("I'm 34 weeks pregnant", None, None), ("I'm 5'4 and thin", None, None),
    # the age in words, "aged", a leading "Age:", the sex after a space at the start
    ("a two-year-old girl with ataxia", "FEMALE", "P2Y"), ("Thirty-four-year-old woman, syncope", "FEMALE", "P34Y"),
    ("an eleven month old boy", "MALE", "P11M"), ("a man aged 34 with gout", "MALE", "P34Y"),
    ("Age: 6 months, hypotonia", None, "P6M"), ("Aged 12y, short stature", None, "P12Y"),
    ("34 M, chest pain", "MALE", "P34Y"), ("45 F with ptosis", "FEMALE", "P45Y"),
    ("F, 22y: renal cysts", "FEMALE", "P22Y"), ("M 45, chest pain", "MALE", "P45Y"),  # the sex first
    ("M, 3 y cognitive decline", None, None),  # a duration, and no sex beside an age
    ("My daughter is almost 3 and still can't walk", "FEMALE", "P3Y"), ("Our son is 5. He is pale", "MALE", "P5Y"),
    ("I'm 40. I had a bleed", None, "P40Y"), ("my son is 3.5 feet tall", "MALE", None),
    ("twenty one year old woman with eGFR 25", "FEMALE", "P21Y"), ("Forty five year old man", "MALE", "P45Y"),
    ("45 M. Chest pain", "MALE", "P45Y"), ("6 M history of cough", None, None),  # six months of cough
    # after a clinical note's heading, and before "presents with", "c/o"
    ("HPI: 34 M, seizures", "MALE", "P34Y"), ("CC - 45 F with ptosis", "FEMALE", "P45Y"),
    ("Pt: M, 22y: renal cysts", "MALE", "P22Y"), ("34 M presents with seizures", "MALE", "P34Y"),
    ("Summary: 6 F c/o rash", "FEMALE", "P6Y"), ("HPI: 6 M history of cough", None, None),
    # HPI and CC also without their colon; a word that may number patients or cases never
    ("HPI 34 M with seizures", "MALE", "P34Y"), ("CC 45 F, ptosis", "FEMALE", "P45Y"),
    ("HPI 6 M history of cough", None, None), ("Patient 2 F, seizures", None, None),
    ("Pt 1 M: ataxia", None, None), ("pt 6 F c/o rash", None, None), ("Case 3 M: ataxia", None, None),
    ("presented at 34 yo with DVT", None, "P34Y"), ("now aged 10", None, "P10Y"),  # the age when seen
    ("son 5 yo with seizures", "MALE", "P5Y"),  # a parent's note: the son is the patient ("his son 5 yo" is not)
    ("Father, 45 yo, deaf; son 12 yo", "MALE", "P12Y"), ("Mother (42 yo) has similar", None, None),
    ("I'm 22 and since I was 14 years old I've had", None, "P22Y"),
    ("She was diagnosed when she was 12 years old", None, None),  # an event's age
    ("Age at onset: 3 years old. Current age: 12 years old", None, "P12Y"),
    ("34M, sister 30F also affected", "MALE", "P34Y"),  # the sister's sex is hers
    # an event's age or a relative's is not the patient's
    ("38 yo M, ataxia; his 14 yo son has seizures", "MALE", "P38Y"), ("2 mo boy, sister 5 yo", "MALE", "P2M"),
    ("6 yo F, aspergillosis at 4 yo", "FEMALE", "P6Y"), ("14yo, ataxia since age 8", None, "P14Y"),
    ("My 9-month-old son's eyes wobble since he was about 2 months old", "MALE", "P9M"),
    ("24M, DVT age 19, PE age 23", "MALE", "P24Y"), ("now at 6 months old she rolls", None, "P6M"),
    ("my mother is 70 and has ptosis", None, "P70Y"),  # the writer's mother is the patient
])
def test_sex_and_age_as_clinicians_and_parents_write_them(text, sex, age):
    assert read_patient(text) == Patient(sex, age)


@pytest.mark.parametrize("text, expected", [
    ("fever for 3 days, rash", Patient()),  # a duration, not an age
    ("3D MRI shows cortical dysplasia", Patient()),
    ("Newborn with hypotonia", Patient()),  # no number of days
    ("a boy whose sister is a girl", Patient()),  # both sexes: the text may describe relatives
    ("fever to 104F", Patient()), ("CK 250 M", Patient()),
    ("seizures began at age 2", Patient()), ("onset at 12 years old", Patient()),  # the age of an event
    ("arterial dissection age 28", Patient()), ("Bone age 8 yr", Patient()),
    ("brother died suddenly aged 30", Patient()),
    ("Foley 18 F", Patient()), ("K 5.6, 3 M solution", Patient()),  # a catheter's size, a molarity
])
def test_what_is_not_stated_or_stated_twice_apart_is_left_out(text, expected):
    """Nor an event's age or another person's."""
    assert read_patient(text) == expected and not read_patient(text)


def test_a_number_followed_by_a_long_run_of_spaces_is_read_in_moments():
    text = "1" + " " * 1998 + "x"  # the API's query limit; 0.2 s before the quantifiers became possessive
    assert read_patient(text) == Patient()
    assert min(timeit.repeat(lambda: read_patient(text), number=1, repeat=3)) < 0.05  # under 1 ms now


@pytest.mark.parametrize("text, adult", [
    ("34 yo M, K 5.6", True), ("31F T1DM since 20", True), ("a 19-year-old man", True), ("17F syncope", False),
    ("4 yo boy", False), ("10 mo girl", False), ("K 5.6, ALT 110", False),  # no age stated: not known to be an adult
    ("34 yo M, his son 4 yo", True), ("34 yo M, 4 yo", False),  # the son's age is his; two ages: whose is not said
    ("boy, K 5.6; father is 35 years old", False),  # a child named: the one age is a relative's
    ("my son has ALP 600, I am 35 years old", False), ("34M with 2 kids, K 5.6", True),
    ("30F 34 weeks pregnant, ALP 280", False),  # a pregnancy shifts an adult's intervals
    ("34F, Hb 10.8 g/dL, sister had splenectomy as a teenager", True), ("41M, infant-onset seizures", True),
    ("recurrent infections since infancy, now a 19-year-old man", False),  # the age is not where the patient is named
    ("fever 103F, HR 140", False), ("Foley 18F, K 5.6", False),  # a temperature and a catheter are no age
    ("child with K 5.6; mother is 35 years old", False), ("daughter K 5.6, mother 35 yo", False),  # a relative's age
    ("34M, fixed dilated pupils, Na 133", True), ("I am 35 years old and my K is 5.6", True),
    ("I'm 34 and my potassium was 5.6", True), ("My son is 5 and his K was 5.6", False),
])
def test_an_adult_is_a_patient_of_18_or_more(text, adult):
    assert is_adult(text) is adult


@pytest.mark.parametrize("text, infant", [
    ("2 mo boy", True), ("6 wk old girl", True), ("10-day-old boy", True), ("18 months old", True),
    ("2 yo boy", False), ("30 months old", False), ("34F", False), ("no age", False), ("2 mo boy, sister 5 yo", True),
    ("2 mo boy, 5 yo", False),  # two ages: whose is not said
])
def test_under_two_is_an_infants_age(text, infant):
    assert is_under_two(text) is infant
