from indexer.corpus import build_articles, frequency_word, load_release
from indexer.grouping import group_articles, normalise_name
from indexer.corpus import Article, Feature

from tests.conftest import HPO_SLICE


def _articles():
    release = load_release(HPO_SLICE)
    return release, {a.article_id: a for a in build_articles(release)}


def test_one_article_per_record_with_release_date():
    release, arts = _articles()
    assert release.release == "2025-01-16"
    assert len(arts) == 53
    assert {a.source for a in arts.values()} == {"OMIM", "ORPHA", "DECIPHER"}


def test_marfan_article_holds_features_synonyms_definitions_genes():
    _, arts = _articles()
    marfan = arts["OMIM:154700"]
    assert marfan.title == "Marfan syndrome"
    assert marfan.url == "https://omim.org/entry/154700"
    assert arts["ORPHA:558"].url == "https://www.orpha.net/en/disease/detail/558"
    assert marfan.genes == ["FBN1"]
    assert "Autosomal dominant inheritance" in marfan.inheritance
    arachnodactyly = next(f for f in marfan.features if f.hpo_id == "HP:0001166")
    assert arachnodactyly.name == "Arachnodactyly"
    assert "Long, slender fingers" in arachnodactyly.synonyms  # a layperson synonym
    assert arachnodactyly.definition.startswith("Abnormally long and slender fingers")
    body = marfan.body()
    assert "Arachnodactyly" in body and "Long, slender fingers" in body and "FBN1" in body


def test_frequency_words():
    assert frequency_word("HP:0040281") == "very frequent"
    assert frequency_word("HP:0040283") == "occasional"
    assert frequency_word("3/7") == "3/7"
    _, arts = _articles()
    freqs = {f.frequency for f in arts["ORPHA:558"].features}
    assert "very frequent" in freqs


def test_not_annotations_are_kept_apart():
    _, arts = _articles()
    jeb = arts["ORPHA:79406"]
    excluded = {f.hpo_id for f in jeb.excluded}
    assert "HP:0000478" in excluded  # annotated NOT
    assert excluded.isdisjoint({f.hpo_id for f in jeb.features})
    assert all(f.name not in jeb.index_fields()["features"] for f in jeb.excluded
               if f.name not in {g.name for g in jeb.features})


def test_known_pairs_merge_and_a_namesake_does_not():
    _, arts = _articles()
    diseases = {d.disease_id: d for d in group_articles(list(arts.values()))}
    assert diseases["OMIM:154700"].article_ids == ["OMIM:154700", "ORPHA:558"]
    assert diseases["OMIM:263800"].article_ids == ["OMIM:263800", "ORPHA:358"]
    assert arts["ORPHA:558"].disease_id == "OMIM:154700"
    assert arts["ORPHA:284979"].disease_id == "ORPHA:284979"  # Neonatal Marfan syndrome stays apart
    assert diseases["OMIM:154700"].name == "Marfan syndrome"


def test_name_normalisation_and_gene_veto():
    assert normalise_name("Charcot-Marie-Tooth disease, type IV") == normalise_name("Charcot-Marie-Tooth disease type 4")
    assert normalise_name("Marfan syndrome") != normalise_name("Neonatal Marfan syndrome")
    a = Article("OMIM:1", "OMIM", "Foo syndrome", genes=["AAA"])
    b = Article("ORPHA:2", "ORPHA", "Foo syndrome", genes=["BBB"])
    c = Article("ORPHA:3", "ORPHA", "Foo syndrome")
    d = Article("OMIM:4", "OMIM", "Foo syndrome")
    groups = sorted(x.article_ids for x in group_articles([a, b, c, d]))
    # same source never merges; disjoint genes veto; no genes on one side is fine
    assert groups == [["OMIM:1", "ORPHA:3"], ["OMIM:4", "ORPHA:2"]]


def _named(article_id: str, title: str, genes: list[str], features: str = "") -> Article:
    source = article_id.split(":")[0]
    return Article(article_id, source, title, genes=genes, features=[Feature(h, h) for h in features.split()])


def test_an_orphanet_disease_joins_the_one_omim_disease_of_its_genes():
    xia = _named("OMIM:615829", "Xia-Gibbs syndrome", ["AHDC1"], "HP:1 HP:2 HP:3 HP:4 HP:5")
    ahdc1 = _named("ORPHA:412069", "AHDC1-related intellectual disability-obstructive sleep apnea-mild dysmorphism "
                   "syndrome", ["AHDC1"], "HP:5 HP:6 HP:7 HP:8 HP:9")
    groups = {d.disease_id: d for d in group_articles([xia, ahdc1])}
    assert list(groups) == ["OMIM:615829"]
    assert groups["OMIM:615829"].article_ids == ["OMIM:615829", "ORPHA:412069"]
    assert groups["OMIM:615829"].name == "Xia-Gibbs syndrome"
    assert ahdc1.disease_id == "OMIM:615829"


def _apart(*articles: Article) -> list[list[str]]:
    return sorted(d.article_ids for d in group_articles(list(articles)))


def test_a_gene_join_needs_a_one_to_one_match():
    def omim() -> Article:  # fresh each time: grouping assigns an article its disease once
        return _named("OMIM:1", "Alpha syndrome", ["AAA"])
    # two OMIM diseases of the gene (allelic): the Orphanet one could be either
    assert _apart(omim(), _named("OMIM:2", "Beta syndrome", ["AAA"]), _named("ORPHA:3", "AAA disorder", ["AAA"])) == [
        ["OMIM:1"], ["OMIM:2"], ["ORPHA:3"]]
    # two Orphanet diseases of the gene: neither is the OMIM one for sure
    assert _apart(omim(), _named("ORPHA:3", "AAA disorder", ["AAA"]), _named("ORPHA:4", "AAA other", ["AAA"])) == [
        ["OMIM:1"], ["ORPHA:3"], ["ORPHA:4"]]
    # other genes on one side; no genes at all
    assert _apart(omim(), _named("ORPHA:3", "AAA disorder", ["AAA", "BBB"])) == [["OMIM:1"], ["ORPHA:3"]]
    assert _apart(_named("OMIM:1", "Alpha syndrome", []), _named("ORPHA:3", "Gamma", [])) == [["OMIM:1"], ["ORPHA:3"]]
    # the OMIM disease already has its Orphanet article (by name; one that lists no genes, so only this rule
    # keeps the gene's other Orphanet disease apart)
    assert _apart(omim(), _named("ORPHA:2", "Alpha syndrome", []), _named("ORPHA:3", "AAA other", ["AAA"])) == [
        ["OMIM:1", "ORPHA:2"], ["ORPHA:3"]]


def test_a_deletion_or_unrelated_features_keep_a_gene_match_apart():
    def omim() -> Article:
        return _named("OMIM:1", "Epileptic encephalopathy 54", ["HNRNPU"], "HP:1 HP:2 HP:3 HP:4 HP:5")
    assert _apart(omim(), _named("ORPHA:2", "1q44 microdeletion syndrome", ["HNRNPU"], "HP:1 HP:2")) == [
        ["OMIM:1"], ["ORPHA:2"]]
    unrelated = _named("ORPHA:3", "FBLN1-related developmental delay", ["HNRNPU"], "HP:6 HP:7 HP:8 HP:9 HP:10")
    assert _apart(omim(), unrelated) == [["OMIM:1"], ["ORPHA:3"]]
    sparse = _named("ORPHA:3", "HNRNPU disorder", ["HNRNPU"], "HP:6 HP:7")  # too few features to tell
    assert _apart(omim(), sparse) == [["OMIM:1", "ORPHA:3"]]
