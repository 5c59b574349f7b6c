#!/usr/bin/python3
"""Eager PyTorch reference for `seplab-cli bench train --model dprnn`.

The same network as SpeechBrain's Dual_Path_Model with SBRNNBlock (DPRNN) and the dual_path
encoder/decoder, written out in plain PyTorch so that it runs where SpeechBrain is not installed
(the layer list is spec models.md section 1.1; the parameter count is printed and must equal
SepLab's, 2,609,793 at the baseline). It times the same full training step: forward, PIT
negative SI-SDR, backward, clip_grad_norm_ 5, Adam; and prints one JSON line in the format of
`seplab-cli bench train`.

    /usr/bin/python3 bench/python/dprnn_reference.py --batch 4 --seconds 4 --threads 1
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

EPS = 1e-8


class RnnBlock(nn.Module):
    def __init__(self, size, hidden):
        super().__init__()
        self.rnn = nn.LSTM(size, hidden, num_layers=1, batch_first=True, bidirectional=True)

    def forward(self, x):
        return self.rnn(x)[0]


class DualBlock(nn.Module):
    def __init__(self, intra, inter, n, hidden):
        super().__init__()
        self.intra, self.inter = intra, inter
        self.intra_linear = nn.Linear(2 * hidden, n)
        self.inter_linear = nn.Linear(2 * hidden, n)
        self.intra_norm = nn.GroupNorm(1, n, eps=EPS)
        self.inter_norm = nn.GroupNorm(1, n, eps=EPS)

    def forward(self, x):
        b, n, k, s = x.shape
        intra = x.permute(0, 3, 2, 1).reshape(b * s, k, n)
        intra = self.intra_linear(self.intra(intra)).reshape(b, s, k, n).permute(0, 3, 2, 1)
        intra = self.intra_norm(intra) + x
        inter = intra.permute(0, 2, 3, 1).reshape(b * k, s, n)
        inter = self.inter_linear(self.inter(inter)).reshape(b, k, s, n).permute(0, 3, 1, 2)
        return self.inter_norm(inter) + intra


class Dprnn(nn.Module):
    def __init__(self, n=64, kernel=16, layers=6, chunk=100, hidden=128, sources=2):
        super().__init__()
        self.kernel, self.chunk, self.sources, self.n = kernel, chunk, sources, n
        self.encoder = nn.Conv1d(1, n, kernel, stride=kernel // 2, bias=False)
        self.norm = nn.GroupNorm(1, n, eps=EPS)
        self.conv1d = nn.Conv1d(n, n, 1, bias=False)
        # SpeechBrain deep-copies one intra and one inter block into every layer.
        self.blocks = nn.ModuleList(
            [DualBlock(RnnBlock(n, hidden), RnnBlock(n, hidden), n, hidden) for _ in range(layers)])
        self.prelu = nn.PReLU()
        self.conv2d = nn.Conv2d(n, n * sources, kernel_size=1)
        self.output = nn.Sequential(nn.Conv1d(n, n, 1), nn.Tanh())
        self.output_gate = nn.Sequential(nn.Conv1d(n, n, 1), nn.Sigmoid())
        self.end_conv1x1 = nn.Conv1d(n, n, 1, bias=False)
        self.decoder = nn.ConvTranspose1d(n, 1, kernel, stride=kernel // 2, bias=False)

    def segment(self, x):
        b, n, length = x.shape
        k, p = self.chunk, self.chunk // 2
        gap = k - (p + length % k) % k
        if gap > 0:
            x = torch.cat([x, x.new_zeros(b, n, gap)], dim=2)
        pad = x.new_zeros(b, n, p)
        x = torch.cat([pad, x, pad], dim=2)
        first = x[:, :, :-p].contiguous().view(b, n, -1, k)
        second = x[:, :, p:].contiguous().view(b, n, -1, k)
        return torch.cat([first, second], dim=3).view(b, n, -1, k).transpose(2, 3), gap

    def overlap_add(self, x, gap):
        b, n, k, s = x.shape
        p = k // 2
        x = x.transpose(2, 3).contiguous().view(b, n, -1, k * 2)
        first = x[:, :, :, :k].contiguous().view(b, n, -1)[:, :, p:]
        second = x[:, :, :, k:].contiguous().view(b, n, -1)[:, :, :-p]
        x = first + second
        return x[:, :, :-gap] if gap > 0 else x

    def forward(self, mix):
        frames = torch.relu(self.encoder(mix.unsqueeze(1)))
        x = self.conv1d(self.norm(frames))
        x, gap = self.segment(x)
        for block in self.blocks:
            x = block(x)
        x = self.conv2d(self.prelu(x))
        b, _, k, s = x.shape
        x = self.overlap_add(x.reshape(b * self.sources, -1, k, s), gap)
        x = self.end_conv1x1(self.output(x) * self.output_gate(x))
        masks = torch.relu(x.reshape(b, self.sources, self.n, -1))
        estimates = [self.decoder(frames * masks[:, c]).squeeze(1) for c in range(self.sources)]
        estimates = torch.stack(estimates, dim=1)
        length = mix.shape[-1]
        if estimates.shape[-1] < length:
            estimates = nn.functional.pad(estimates, (0, length - estimates.shape[-1]))
        return estimates[..., :length]


def pit_neg_si_sdr(est, ref):
    est = est - est.mean(-1, keepdim=True)
    ref = ref - ref.mean(-1, keepdim=True)
    dot = torch.einsum("bit,bjt->bij", est, ref)
    energy = (ref ** 2).sum(-1).unsqueeze(1) + EPS
    scaled = dot / energy
    target = scaled.unsqueeze(-1) * ref.unsqueeze(1)
    noise = est.unsqueeze(2) - target
    sdr = 10 * torch.log10((target ** 2).sum(-1) / ((noise ** 2).sum(-1) + EPS) + EPS)
    straight = -(sdr[:, 0, 0] + sdr[:, 1, 1]) / 2
    swapped = -(sdr[:, 0, 1] + sdr[:, 1, 0]) / 2
    return torch.minimum(straight, swapped).mean()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    model = Dprnn().to(args.device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    samples = int(args.seconds * 8000)
    targets = torch.randn(args.batch, 2, samples, device=args.device)
    mix = targets.sum(1)

    def step():
        optimizer.zero_grad()
        loss = pit_neg_si_sdr(model(mix), targets)
        loss.item()  # the NaN check SepLab makes, and the original's
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        if args.device.startswith("cuda"):
            torch.cuda.synchronize()
        start = time.perf_counter()
        step()
        if args.device.startswith("cuda"):
            torch.cuda.synchronize()
        times.append(1000 * (time.perf_counter() - start))
    median = statistics.median(times)
    print(json.dumps({"benchmark": "train", "implementation": "pytorch-eager",
                      "torch": torch.__version__, "model": "dprnn",
                      "params": sum(p.numel() for p in model.parameters()),
                      "device": args.device, "batch": args.batch, "seconds": args.seconds,
                      "steps": args.steps, "threads": torch.get_num_threads(),
                      "step_ms": {"median": median, "min": min(times)},
                      "samples_per_s": args.batch / (median / 1000)}))


if __name__ == "__main__":
    main()
