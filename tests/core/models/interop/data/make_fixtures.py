"""Writes the torch.save files that tst_state_dict_io reads, so that SepLab's reader is tested
against real Python output even where PyTorch for Python is not installed.

Run from this folder with PyTorch for Python (Debian: python3-torch):  python3 make_fixtures.py
Every value is a closed-form function of its position, so the test checks them independently.
"""

import collections
import types

import numpy
import torch


class Leaf(torch.nn.Module):
    def __init__(self):
        super().__init__()
        # [2, 3] float32 0..5
        self.weight = torch.nn.Parameter(torch.arange(6, dtype=torch.float32).view(2, 3))
        # float64 [0.5, -1.5]
        self.bias = torch.nn.Parameter(torch.tensor([0.5, -1.5], dtype=torch.float64))
        # An int64 buffer, like BatchNorm's num_batches_tracked.
        self.register_buffer("count", torch.tensor(7, dtype=torch.int64))


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.leaf = Leaf()
        base = torch.arange(12, dtype=torch.float32).view(3, 4)
        # Saved with its strides: the transpose of `base`, [4, 3].
        self.register_buffer("transposed", base.t())
        # Two views of one storage: rows 1 and 2 of `other` (offsets 4 and 8).
        other = torch.arange(100, 112, dtype=torch.float32).view(3, 4)
        self.register_buffer("row1", other[1])
        self.register_buffer("row2", other[2])
        self.register_buffer("halves", torch.tensor([1.0, 0.25], dtype=torch.float16))
        self.register_buffer("flags", torch.tensor([True, False, True]))


def main():
    torch.manual_seed(0)
    model = Model()
    state_dict = model.state_dict()
    assert isinstance(state_dict, collections.OrderedDict) and hasattr(state_dict, "_metadata")
    torch.save(state_dict, "python_state_dict.pt")

    # The original project's training checkpoint (training/trainer.py _save_checkpoint), plus the
    # kinds of Python objects such files carry: an optimizer state, numpy scalars, None, tuples,
    # big ints and an arbitrary object.
    optimizer = torch.optim.Adam(model.parameters(), lr=0.0)
    model.leaf.weight.sum().backward()
    optimizer.step()  # lr 0: fills the optimizer state, leaves the weights as they were
    torch.save(
        {
            "epoch": 3,
            "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(),
            "val_sisdr": 3.1,
            "best_val_sisdr": numpy.float64(3.25),
            "seed": 2**70,
            "namespace": types.SimpleNamespace(a=1),
            "config": {
                "model": {"model_type": "dprnn", "dprnn": {"N": 8, "dropout": 0.0}},
                "data": {"task": "SB", "train_max_samples": None},
                "training": {"betas": (0.9, 0.999), "curriculum_learning": [{"epoch": 1}]},
            },
        },
        "python_checkpoint.pt",
    )

    # Saved from a torch.compile'd model without unwrapping it.
    torch.save(
        collections.OrderedDict(("_orig_mod." + k, v) for k, v in model.state_dict().items()),
        "python_compiled.pt",
    )


if __name__ == "__main__":
    main()
