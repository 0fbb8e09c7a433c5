"""Normalisation, word splitting, windows and padded batches."""
import torch

from models.encoding import PAD, UNK, Vocabulary, normalise, split_words


def test_normalise_folds_accents_case_and_whitespace():
    assert normalise("  Ménière's\tDisease\n\nSTRASSE  ") == "meniere's disease strasse"
    assert normalise("Großwuchs") == "grosswuchs"


def test_normalise_reads_plain_ascii_as_the_full_fold_does():
    """ASCII text skips the decomposition: every printable character and control whitespace folds as before."""
    import unicodedata

    def full(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split())

    texts = ["".join(map(chr, range(128))), "  Tall\t15-YEAR-old\x0b\x0c\x1c with ARACHNODACTYLY;\r\n ok  "]
    assert [normalise(t) for t in texts] == [full(t) for t in texts]


def test_words_are_runs_of_letters_and_digits():
    assert split_words(normalise("X-linked, 46,XY (DSD); type-2a!")) == ["x", "linked", "46", "xy", "dsd", "type", "2a"]


def test_encode_words_shapes_mask_and_truncation():
    vocab = Vocabulary(max_word_len=5)
    batch = vocab.encode_words(["Short text", "a pneumonoultramicroscopic word here"])
    assert batch.ids.shape == (2, 4, 5) and batch.ids.dtype == torch.long
    assert batch.mask.tolist() == [[True, True, False, False], [True, True, True, True]]
    assert batch.ids[1, 1].tolist() == vocab.char_ids("pneum")  # cut at max_word_len
    assert batch.ids[0, 2].tolist() == [PAD] * 5
    assert batch.owner.tolist() == [0, 1]
    assert batch.tokens == [["short", "text"], ["a", "pneumonoultramicroscopic", "word", "here"]]


def test_unknown_characters_map_to_unk():
    vocab = Vocabulary()
    assert vocab.char_ids("aβ") == [vocab.char_ids("a")[0], UNK]


def test_long_text_is_split_into_word_windows():
    vocab = Vocabulary(max_words=4)
    batch = vocab.encode_words(["one two three four five six seven eight nine", "ten"])
    assert batch.tokens == [["one", "two", "three", "four"], ["five", "six", "seven", "eight"], ["nine"], ["ten"]]
    assert batch.owner.tolist() == [0, 0, 0, 1]
    assert vocab.encode_words(["one two three four five"], first_window_only=True).ids.shape[0] == 1


def test_char_windows_are_word_aligned_and_bounded():
    vocab = Vocabulary(max_chars=12)
    text = normalise("Tall stature, long fingers and lens dislocation")
    windows = vocab.char_windows(text)
    assert windows == ["tall", "stature,", "long fingers", "and lens", "dislocation"]
    assert vocab.char_windows("arachnodactyly-like fingers") == ["arachnodacty", "ly-like", "fingers"]
    batch = vocab.encode_chars([text])
    assert batch.ids.shape == (len(windows), max(len(w) for w in windows))
    assert batch.mask.sum().item() == sum(len(w) for w in windows)


def test_empty_text_still_encodes_to_one_unknown_token():
    vocab = Vocabulary()
    words = vocab.encode_words(["", "!!!"])
    assert words.ids.shape[0] == 2 and words.mask.sum().item() == 2
    assert words.ids[0, 0, 0].item() == UNK
    assert vocab.encode_chars([""]).mask.sum().item() == 1


def test_vocabulary_round_trips_through_a_dict():
    vocab = Vocabulary(max_words=7, max_chars=50)
    assert Vocabulary.from_dict(vocab.to_dict()) == vocab
