#!/usr/bin/env python3
"""A cheap stand-in for training in the sweep tests, run the way W&B's agent runs a program.

Parameters arrive as argv (--name=value); one `epoch=K score=V` line is printed per epoch, so the
controller reads the metric back as name=value lines. The score peaks at lr = 1e-3, x = 0.3 and
rises with the epoch: score(K) = -((log10(lr) + 3)^2 + (x - 0.3)^2) - 1/K + seed_bonus, where
seed_bonus = 0.01 * (seed % 7). `delay` seconds pass before each epoch (to let early
termination act), and `fail_above` makes a trial exit 1 when x exceeds it.
"""
import math
import sys
import time

args = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
lr = float(args.get("lr", "0.001"))
x = float(args.get("x", "0.5"))
epochs = int(args.get("epochs", "4"))
delay = float(args.get("delay", "0"))
seed = int(args.get("seed", "0"))
fail_above = float(args.get("fail_above", "2"))
if x > fail_above:
    print("x is above fail_above", file=sys.stderr)
    sys.exit(1)
base = -((math.log10(lr) + 3.0) ** 2 + (x - 0.3) ** 2) + 0.01 * (seed % 7)
for k in range(1, epochs + 1):
    time.sleep(delay)
    print("epoch=%d score=%.6f" % (k, base - 1.0 / k), flush=True)
