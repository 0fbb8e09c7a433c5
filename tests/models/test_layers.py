"""The padded BiLSTM against torch's packed bidirectional LSTM: same weights, same answers."""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from models.layers import BiLSTM, reverse_within_length


def test_reverse_within_length_keeps_padding_in_place():
    index = reverse_within_length(torch.tensor([3, 1, 4]), 4)
    assert index.tolist() == [[2, 1, 0, 3], [0, 1, 2, 3], [3, 2, 1, 0]]


def test_bilstm_matches_packed_bidirectional_lstm():
    torch.manual_seed(0)
    ours = BiLSTM(5, 7)
    reference = nn.LSTM(5, 7, batch_first=True, bidirectional=True)
    with torch.no_grad():
        for name, value in ours.fwd[0].named_parameters():
            getattr(reference, name).copy_(value)
        for name, value in ours.bwd[0].named_parameters():
            getattr(reference, f"{name}_reverse").copy_(value)
    lengths = torch.tensor([6, 2, 4, 1])
    x = torch.randn(4, 6, 5)
    out, final = ours(x, lengths)
    packed, (h_n, _) = reference(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
    expected, _ = pad_packed_sequence(packed, batch_first=True, total_length=6)
    real = torch.arange(6)[None, :] < lengths[:, None]  # (B, T)
    assert torch.allclose(out[real], expected[real], atol=1e-6)
    assert torch.allclose(final, torch.cat([h_n[0], h_n[1]], dim=-1), atol=1e-6)
