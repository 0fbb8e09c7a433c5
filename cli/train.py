"""`zebra train`: build the training data from the store, train one architecture within a
time budget (early stopping on dev MRR) and save the checkpoint with its metrics.

An entry point: it parses and checks the options; `training.run` (imported only when a
training runs, as it loads torch) does the work. The lexical side and fusion weights are not
its business.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import click
import typer

from cli.common import console, fail, settings as cli_settings
from core.config import REPO
from evaluation.queries import PUBLISHED_NOISE_WEIGHTS, TRAINING_SEED
from models import ARCHITECTURE_NAMES as ARCHITECTURES




def train_cmd(
    ctx: typer.Context,
    arch: Annotated[str, typer.Option(help=f"Architecture: {', '.join(ARCHITECTURES)}.")] = "c2w2d",
    device: Annotated[str, typer.Option(help="cpu or cuda.")] = "cpu",
    minutes: Annotated[float, typer.Option(min=0.0, help="Training time budget (data building not counted); 0 with "
                                                         "--init keeps that network and only remakes the prototype head.")] = 30.0,
    seed: Annotated[int, typer.Option(help="Seed of the network and the sampling.")] = 0,
    out: Annotated[Optional[Path], typer.Option(help="Checkpoint path; default models/checkpoints/<arch>.pt.")] = None,
    per_disease: Annotated[int, typer.Option(min=0, help="Simulated patients per disease.")] = 16,
    snippet_share: Annotated[float, typer.Option(min=0.0, max=0.95, help="Share of article snippets among the examples.")] = 0.2,
    stride: Annotated[int, typer.Option(min=1, help="Characters between snippet starts.")] = 50,
    batch_size: Annotated[int, typer.Option(min=1, help="Examples per step (softmax) or disease pairs per step (prototype).")] = 128,
    lr: Annotated[float, typer.Option(min=0.0, help="Peak learning rate (warmup, then cosine).")] = 3e-3,
    epochs: Annotated[Optional[int], typer.Option(min=1, help="Epoch limit; default: what the budget allows.")] = None,
    patience: Annotated[int, typer.Option(min=1, help="Epochs without a better dev MRR before stopping.")] = 4,
    balanced: Annotated[bool, typer.Option(help="Sample classes uniformly in each epoch.")] = False,
    objective: Annotated[str, typer.Option(help="prototype: contrastive encoder + prototype head (default); "
                                                "softmax: cross-entropy over the diseases.")] = "prototype",
    temperature: Annotated[float, typer.Option(min=0.001, help="Contrastive temperature (prototype objective).")] = 0.05,
    noise: Annotated[float, typer.Option(min=0.0, max=0.5, help="Typo rate per character (drops/swaps).")] = 0.02,
    config: Annotated[Optional[str], typer.Option(help='Architecture overrides as JSON, e.g. \'{"word_hidden": 192}\'.')] = None,
    dev_queries: Annotated[Optional[Path], typer.Option(
        help="Dev queries for early stopping (default: the published cases of the tuning part).")] = REPO / "data/queries/real-tune.jsonl",
    dev_n: Annotated[int, typer.Option(min=0, help="Dev queries sampled for early stopping (0: all).")] = 0,
    real_cases: Annotated[Optional[list[Path]], typer.Option(
        "--real-cases", help="Query file of published patients to train on (repeatable; default: the tuning part's "
                             "leaky cases). The patients of the --dev-queries diseases are left out.")] = None,
    no_real_cases: Annotated[bool, typer.Option("--no-real-cases", help="Train on simulated patients and snippets only.")] = False,
    real_share: Annotated[float, typer.Option(min=0.0, max=0.9, help="Share of each batch's pairs that put a "
                                                                     "published patient against its disease.")] = 0.25,
    hard_negatives: Annotated[int, typer.Option(min=0, help="Prototype objective: half of each batch's classes come "
                                                           "in groups of a disease and its N most alike diseases by the "
                                                           "current prototypes (hard negatives); 0: all at random.")] = 0,
    hard_from: Annotated[str, typer.Option(
        help="Who finds the hard negatives: network (the current prototypes, found again after each epoch) or "
             "lexical (the diseases whose articles best match a disease's simulated patients, found once from "
             "the built lexical index).")] = "network",
    probe_per_class: Annotated[int, typer.Option(min=0, help="Prototype objective: examples per disease in the "
                                                            "prototypes early stopping ranks with after each epoch; "
                                                            "0: all of them, as the final prototypes (slow on a CPU).")] = 3,
    bf16: Annotated[bool, typer.Option(help="Prototype objective: run the encoder's training steps in bfloat16 "
                                            "(autocast; weights stay float32): faster on CPUs with AMX or "
                                            "AVX-512 BF16 and on GPUs.")] = False,
    prototype_snippets: Annotated[bool, typer.Option(
        help="Article snippets make up each disease's prototype with its simulated patients; "
             "--no-prototype-snippets: simulated patients only.")] = True,
    data_seed: Annotated[int, typer.Option(help="Seed of the simulated patients (not 1 or 2: dev and test).")] = TRAINING_SEED,
    unrelated_findings: Annotated[str, typer.Option(
        help="How many findings unrelated to its disease a simulated patient shows: few (0-2, as the shipped query "
             "sets) or published (0-10, as many as clean published patients of the tuning part show: a quarter "
             "of their findings).")] = "few",
    threads: Annotated[Optional[int], typer.Option(min=1, help="Torch CPU threads; default torch's.")] = None,
    as_the_app_reads: Annotated[bool, typer.Option(
        help="Train on patient and query texts as the app's network reads a query (without its excluded "
             "findings: \"…, no seizures\" loses \"seizures\"); --no-as-the-app-reads: as written.")] = True,
    init: Annotated[Optional[Path], typer.Option(
        "--init", help="Start from this checkpoint's weights (same architecture and label map; its "
                       "config and vocabulary are kept) instead of random ones.")] = None,
    save_data: Annotated[Optional[Path], typer.Option(
        "--save-data", help="Build the training data (as the options say), save it to this file and train "
                            "nothing; train from it elsewhere (a GPU machine) with --data.")] = None,
    data: Annotated[Optional[Path], typer.Option(
        "--data", help="Train on the training data saved with --save-data instead of the store's (no store, "
                       "HPO files or recogniser needed); the data options are the saved ones.")] = None,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
    force: Annotated[bool, typer.Option("--force", help="With --init and no --out: overwrite the checkpoint "
                                                        "trained from (by default the shipped one).")] = False,
) -> None:
    """Train a neural ranker on the corpus in the store and save its checkpoint."""
    if arch not in ARCHITECTURES:
        fail(f"unknown architecture {arch!r}; choose one of {', '.join(ARCHITECTURES)}")
    if objective not in ("prototype", "softmax"):
        fail(f"unknown objective {objective!r}; choose prototype or softmax")
    if bf16 and objective != "prototype":
        fail("--bf16 runs the prototype objective's encoder steps in bfloat16; drop it with --objective softmax")
    if minutes == 0 and (init is None or objective != "prototype"):
        fail("--minutes 0 trains nothing: give --init CHECKPOINT (prototype objective) to remake only that "
             "network's prototype head, or a training budget above 0")
    if hard_from not in ("network", "lexical"):
        fail(f"unknown --hard-from {hard_from!r}; choose network or lexical")
    if hard_from == "lexical" and not hard_negatives:
        fail("--hard-from lexical chooses where hard negatives come from; give --hard-negatives N (N > 0) too")
    if hard_negatives and objective != "prototype":
        fail("--hard-negatives groups the prototype objective's batches; drop it with --objective softmax")
    if unrelated_findings not in UNRELATED:
        fail(f"unknown --unrelated-findings {unrelated_findings!r}; choose one of {', '.join(UNRELATED)}")
    if data_seed in (1, 2):
        fail(f"--data-seed {data_seed} is the seed of the shipped dev (1) or test (2) queries; pick another")
    target = out or REPO / "models" / "checkpoints" / f"{arch}.pt"
    if init is not None and out is None and save_data is None and target.resolve() == init.resolve() and not force:
        fail(f"--init {init} without --out would overwrite that checkpoint with the one trained from it; give "
             "--out PATH for the new checkpoint, or --force to replace it")
    if data is not None:
        _data_options_from_file(ctx, data, save_data)
    cases = () if no_real_cases else tuple(real_cases or [REPO / "data/queries/real-tune-leaky.jsonl"])
    for path in cases if data is None else ():
        if not path.is_file():
            fail(f"--real-cases {path} does not exist; give a query file (JSONL) of published patients, "
                 "or --no-real-cases")
    from training.run import TrainRequest, run

    settings = cli_settings()
    run(TrainRequest(arch=arch, device=device, minutes=minutes, seed=seed,
                     out=target, sql_url=settings.sql_url,
                     hpo_dir=settings.hpo_dir, work_dir=settings.data_dir / "training", per_disease=per_disease,
                     snippet_share=snippet_share, stride=stride, batch_size=batch_size, lr=lr, epochs=epochs,
                     patience=patience, balanced=balanced, objective=objective, temperature=temperature,
                     noise=noise, overrides=_overrides(config), dev_queries=dev_queries, dev_n=dev_n,
                     real_cases=cases, real_share=real_share, init=init,
                     prototype_snippets=prototype_snippets if data is None or _given(ctx, "prototype_snippets") else None,
                     data_seed=data_seed, noise_weights=UNRELATED[unrelated_findings], threads=threads,
                     progress=progress, command=_command_line(ctx),
                     reader=_app_reading(settings) if as_the_app_reads and data is None else None,
                     hard_negatives=hard_negatives, hard_from=hard_from, lexical_options=settings.lexical_options,
                     probe_per_class=probe_per_class, bf16=bf16, data_file=data,
                     save_data=save_data),
        console, fail)


# The options that make the training data; with --data they are the saved file's. (Which examples
# make the prototypes, --prototype-snippets, is chosen when training: with --data it overrides the file.)
DATA_OPTIONS = ("per_disease", "snippet_share", "stride", "dev_queries", "dev_n", "real_cases", "no_real_cases",
                "data_seed", "unrelated_findings", "as_the_app_reads")
# --unrelated-findings: the weights of 0, 1, 2, … unrelated findings in a simulated patient (None: the generator's)
UNRELATED = {"few": None, "published": PUBLISHED_NOISE_WEIGHTS}


def _given(ctx: click.Context, name: str) -> bool:
    # By the source's name: typer may bring its own copy of click, whose ParameterSource is not click's.
    return getattr(ctx.get_parameter_source(name), "name", None) == "COMMANDLINE"


def _data_options_from_file(ctx: click.Context, data: Path, save_data: Path | None) -> None:
    """With --data, the data options come from the file: giving one too is an error, not a silent no-op."""
    if save_data is not None:
        fail(f"--data {data} and --save-data {save_data} together copy a file; give one of them")
    given = [p.opts[0] for p in ctx.command.params if p.name in DATA_OPTIONS and _given(ctx, p.name)]
    if given:
        fail(f"{', '.join(given)} with --data {data}: the training data's options are the ones it was saved with; "
             "drop them, or build new data with --save-data")


def _app_reading(settings) -> Callable[[str], str]:
    """What the app's network reads of a text (`app.rankers.neural`): the text without the words of
    the findings it rules out, recognised as a search recognises them (no overrides)."""
    from app.rankers.base import negation_free
    from app.rankers.ontology import OntologyRanker
    from app.understanding.recognizer import load_recognizer
    from app.understanding.similarity import load_similarity
    from indexer.store import make_engine

    ontology = OntologyRanker(load_recognizer(settings.hpo_dir), load_similarity(make_engine(settings.sql_url)))
    return lambda text: negation_free(text, ontology.findings(ontology.mentions(text)))


def _overrides(config: str | None) -> dict:
    if not config:
        return {}
    try:
        value = json.loads(config)
    except json.JSONDecodeError as exc:
        fail(f"--config is not JSON ({exc.msg}); give an object such as '{{\"word_hidden\": 192}}'")
    if not isinstance(value, dict):
        fail("--config must be a JSON object such as '{\"word_hidden\": 192}'")
    return value


def _command_line(ctx: click.Context) -> str:
    """The `zebra train` command with every option spelled out (None: left out), so it reruns as is."""
    parts = ["zebra", "train"]
    for param in ctx.command.params:
        value = ctx.params[param.name]
        if value is None:
            continue
        if isinstance(value, bool):
            if value or param.secondary_opts:  # a lone flag (e.g. --no-real-cases) is left out when off
                parts.append(param.opts[0] if value else param.secondary_opts[0])
        elif isinstance(value, (list, tuple)):
            for item in value:
                parts += [param.opts[0], str(item)]
        else:
            parts += [param.opts[0], str(value)]
    return shlex.join(parts)