"""API schemas, named by role (`…Public` for what the API returns)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ArticleRef(BaseModel):
    article_id: str = Field(examples=["OMIM:154700"])
    source: str = Field(examples=["OMIM"])
    title: str = Field(examples=["Marfan syndrome"])
    url: str | None = Field(None, examples=["https://omim.org/entry/154700"])
    snippet: str | None = Field(
        None, description="HTML-escaped text around the query's matches, matches in <b>…</b>; null when the "
                          "article did not match")


class FindingRef(BaseModel):
    hpo_id: str = Field(examples=["HP:0001166"])
    name: str = Field(examples=["Arachnodactyly"])


class FindingPublic(FindingRef):
    status: Literal["observed", "excluded", "family"] = Field(
        description="observed or excluded in the patient, or family: said of a relative (\"mother deaf\"), "
                    "family history the ontology ranker weighs below the patient's own findings.")
    text: str | None = Field(None, description="The words of the query that name it; null when added by hand.")
    start: int | None = Field(None, description="Character span of `text` in the query.")
    end: int | None = None
    cue: str = Field("", description="The negation cue that excluded it (no, without, normal …).")
    origin: Literal["query", "added"] = "query"
    reading: str = Field("", description="For a measured value: how it was read, the value and the limit it "
                                         "passed, in its reference unit (\"CK 25000: above 300 U/L\"); empty otherwise.")


class QuestionPublic(FindingRef):
    gain_bits: float = Field(description="Expected information gain over the top candidates, in bits.")
    candidates_with: int = Field(description="How many of the top 20 candidates show this finding.")


class DiseaseResult(BaseModel):
    rank: int
    disease_id: str = Field(examples=["OMIM:154700"])
    name: str = Field(examples=["Marfan syndrome"])
    score: float
    articles: list[ArticleRef]
    genes: list[str]
    ranks: dict[str, int] = Field(description="Each ranker's own rank of this disease (1 = best).",
                                  examples=[{"lexical": 1}])
    scores: dict[str, float] = Field(description="Each ranker's own score of this disease.")
    matched_findings: list[FindingRef] = Field(
        default_factory=list, description="The query's observed findings this disease shows (or a more specific one).")


class GeneGroup(BaseModel):
    symbol: str = Field(examples=["FBN1"])
    rank: int
    best_disease_rank: int = Field(description="Rank of this gene's best disease in `results`.")
    diseases: list[int] = Field(description="Ranks (in `results`) of the diseases this gene is associated with.")


class ErrorBody(BaseModel):
    status: int = Field(description="The HTTP status, repeated.")
    code: str = Field(description="A stable machine-readable code, e.g. invalid_request, rate_limited.")
    message: str = Field(description="What was wrong, the limit or the value, and how to fix it.")


class ErrorPublic(BaseModel):
    """The one shape of every error answer."""

    error: ErrorBody


_ERROR_MEANING = {
    400: "The request could not be read (e.g. a malformed multipart body).",
    401: "An admin action without the right API key (X-API-Key or Authorization: Bearer).",
    404: "No such disease, article, run or page.",
    409: "Another import or reindex is running.",
    413: "The request body is over the size limit.",
    415: "The body's content type is not accepted.",
    422: "A parameter or the body is invalid; the message names it, the limit and the fix.",
    429: "Too many requests from this client; retry after Retry-After seconds.",
    500: "The rebuild could not read its data.",
    503: "Nothing can answer right now (a backend down, or the model asked for not loaded).",
}


def error_responses(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI `responses` entries for these statuses, all in the one error shape."""
    return {s: {"model": ErrorPublic, "description": _ERROR_MEANING[s]} for s in statuses}


class Unavailable(BaseModel):
    ranker: str = Field(description="The ranker (or `snippets`) that could not answer.")
    message: str


class SearchResponse(BaseModel):
    query: str
    data_release: str
    ranker: str = Field(description="The ranking shown: lexical, neural, ontology or fused.")
    total: int = Field(description="Diseases found before the cut at k.")
    offset: int = 0
    results: list[DiseaseResult]
    genes: list[GeneGroup] | None = Field(None, description="With group_by=gene: the genes of `results`, ranked.")
    findings: list[FindingPublic] = Field(
        default_factory=list, description="HPO findings recognised in the query (with the user's overrides).")
    notices: list[str] = Field(
        default_factory=list, description="HPO ids in the query that name no current finding (unknown or "
                                          "obsolete), each with what to do.")
    inheritance: list[str] = Field(
        default_factory=list, description="What the query says of how the condition runs in the family, one cue each "
                                          "(`parents related`, `affected mother`, `affected maternal male relative`, "
                                          "`several generations`, `autosomal recessive` …): the ontology ranker puts "
                                          "the diseases whose mode of inheritance fits them first.")
    ask_next: list[QuestionPublic] = Field(
        default_factory=list, description="With ask_next=true: the findings that would best separate the top "
                                          "candidates (empty otherwise).")
    degraded: bool = Field(False, description="True when a ranker could not answer (e.g. Solr down or slow) and "
                                              "the ranking comes from the others; `unavailable` says which.")
    unavailable: list[Unavailable] = Field(default_factory=list)
    confidence: Literal["none", "low", "normal"] = Field(
        "normal", description="How much of the query was understood. `none`: no clinical finding recognised and "
                              "no word of it in any article, so no ranking is given (`results` is empty, `total` "
                              "0); `low`: no finding recognised, the ranking rests only on words found in the "
                              "articles and on the neural model; `normal`: at least one finding recognised (or "
                              "query understanding is switched off, ZEBRA_ONTOLOGY=false).")
    not_understood: list[str] = Field(
        default_factory=list, description="Phrases of the query that no recognised finding covers (age and sex "
                                          "left out); they were searched as plain words only.")


class TermSuggestion(FindingRef):
    matched: str = Field(description="The label or synonym that matched what was typed.")


class PatientPublic(BaseModel):
    sex: Literal["MALE", "FEMALE"] | None = Field(None, description="As the query states it (boy, woman, 34F, 4 yo M).")
    age: str | None = Field(None, description="As the query states it, an ISO 8601 duration (P4Y, P8M, P10D).",
                            examples=["P4Y"])


class PhraseNotUnderstood(BaseModel):
    phrase: str = Field(examples=["barely sweats"])
    terms: list[FindingRef] = Field(
        default_factory=list, description="With `suggest=true`: up to three HPO terms for it, best first (the first "
        "term that starts like the phrase, then those the neural model reads nearest it); add one with `add=HP:…`.")


class AnalysisPublic(BaseModel):
    query: str
    data_release: str
    findings: list[FindingPublic]
    patient: PatientPublic | None = Field(None, description="The patient's sex and age where the query states "
                                                            "them (no ranker uses them).")
    notices: list[str] = Field(default_factory=list, description="HPO ids in the query that name no current "
                                                                 "finding (unknown or obsolete).")
    inheritance: list[str] = Field(
        default_factory=list, description="What the query says of how the condition runs in the family, one cue each "
                                          "(`parents related`, `affected mother`, `affected maternal male relative`, "
                                          "`several generations`, `autosomal recessive` …): the ontology ranker puts "
                                          "the diseases whose mode of inheritance fits them first.")
    not_understood: list[PhraseNotUnderstood] = Field(
        default_factory=list, description="The phrases of the query no recognised finding covers (age and sex "
                                          "left out), as the search page lists them.")


class FeaturePublic(BaseModel):
    hpo_id: str
    name: str
    frequency: str = ""


class ArticlePublic(BaseModel):
    article_id: str
    disease_id: str
    source: str
    title: str
    url: str | None
    inheritance: list[str]
    onset: list[str]
    features: list[FeaturePublic]
    excluded: list[FeaturePublic] = Field(description="Findings annotated NOT to occur in this disease.")
    genes: list[str]
    text: str = Field(description="The article as indexed and read.")
    data_release: str


class DiseasePublic(BaseModel):
    disease_id: str
    name: str
    articles: list[ArticlePublic]
    genes: list[str]
    data_release: str


class HealthPublic(BaseModel):
    status: str = Field(examples=["ok"])
    data_release: str | None
    database: dict
    index: dict
    model: dict
    rankers: list[str] = Field(default_factory=list, description="The rankers this server can run (fused last).")
    profiles: dict | None = Field(
        None, description="The published patients' profiles the ontology and neural rankers match beside the HPO "
                          "annotations: the findings (per disease), diseases and publications the file lists (its "
                          "path only in the admin report); null: none.",
        examples=[{"findings": 13653, "diseases": 401, "publications": 1109}])


class AttentionToken(BaseModel):
    token: str
    weight: float


class NetworkMatch(FindingRef):
    phrase: str = Field(description="The query's phrase as the network read it: as typed, except that an HPO id "
                                    "reads as its label and excluded findings are left out.", examples=["long fingers"])
    text: str = Field(description="The finding's label or synonym the network read as nearest the phrase.",
                      examples=["Long slender fingers"])
    similarity: float = Field(description="Cosine of the two readings, 0 to 1 (1: the same words).")


class DiseaseMatches(BaseModel):
    disease_id: str = Field(examples=["OMIM:154700"])
    matches: list[NetworkMatch] = Field(description="Best first; phrases matched below 0.75 are left out.")


class AttentionPublic(BaseModel):
    query: str
    arch: str = Field(examples=["c2w2d"])
    tokens: list[AttentionToken] = Field(description="Each normalised query word (or character) with its "
                                                     "attention weight; the weights sum to 1.")
    matches: list[DiseaseMatches] = Field(
        default_factory=list, description="For each disease asked for (`disease`), the query's phrases the network "
        "matched to the disease's findings: most of what its neural score is made of. A disease with none is left out.")
