"""A tiny corpus of five 'diseases' and one tiny model per architecture, trained once
per session (a few seconds each) and shared by the tests of this folder."""
import pytest

from models.train import TrainResult, make_snippets, train

DISEASES = {
    "OMIM:154700": "Marfan syndrome is a disorder of connective tissue with tall stature, long slender "
                   "fingers called arachnodactyly, dislocation of the lens and dilatation of the aortic root.",
    "OMIM:219700": "Cystic fibrosis causes thick sticky mucus in the lungs and pancreas, chronic cough, "
                   "recurrent pneumonia, poor weight gain, salty tasting skin and male infertility.",
    "OMIM:143100": "Huntington disease is a progressive neurodegenerative disorder with chorea, involuntary "
                   "jerking movements, cognitive decline, depression and irritability in adult life.",
    "OMIM:261600": "Phenylketonuria is an inborn error of metabolism; untreated children develop intellectual "
                   "disability, seizures, eczema, a musty body odour and fair skin and hair.",
    "OMIM:310200": "Duchenne muscular dystrophy presents in young boys with progressive proximal weakness, "
                   "calf pseudohypertrophy, a Gowers sign, waddling gait and later cardiomyopathy.",
}
LABELS = list(DISEASES)
RELEASE = "2025-01-16"

# Small enough to train in seconds on two CPU cores, big enough to memorise the corpus.
TINY = {
    "c2w2d": {"char_embed": 16, "char_hidden": 24, "word_hidden": 32, "attn_dim": 32, "dropout": 0.1},
    "c2d-blstm": {"char_embed": 16, "hidden": 32, "attn_dim": 32, "dropout": 0.1},
    "c2d-cnn": {"char_embed": 16, "filters": 32, "dropout": 0.1},
}
EPOCHS = {"c2w2d": 40, "c2d-blstm": 40, "c2d-cnn": 60}


@pytest.fixture(scope="session")
def snippets() -> list[tuple[str, int]]:
    return make_snippets(list(DISEASES.values()), list(range(len(LABELS))), length=100, stride=50)


@pytest.fixture(scope="session")
def trained(snippets) -> dict[str, TrainResult]:
    # Epochs, not minutes, bound these runs so a busy machine cannot change the outcome.
    return {arch: train(snippets, None, len(LABELS), arch, TINY[arch], minutes=10, max_epochs=EPOCHS[arch],
                        seed=0, batch_size=8, lr=1e-2, progress=False)
            for arch in TINY}


@pytest.fixture(scope="session")
def labels() -> list[str]:
    return LABELS


@pytest.fixture(scope="session")
def release() -> str:
    return RELEASE


@pytest.fixture(scope="session")
def disease_texts() -> list[str]:
    return list(DISEASES.values())
