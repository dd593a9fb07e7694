"""The PyTorch side of bench/simulation.ts: the same feed-forward network
(depth × width tanh layers, no bias, batch B; loss "mse" on N(0, 1) targets or
"sum", L = Σ a^L / B), weights
drawn with torch (the scheme's normal or uniform), forward and backward with
autograd, the per-layer weight-gradient norms read out. One thread. Prints one
JSON line: the time of each of `samples` runs (after a warm-up) and the
log10 gradient ratio of the last run.
"""
import json
import math
import sys
import time

import torch

config = json.loads(sys.argv[1])
torch.set_num_threads(1)
depth, width, batch = config["depth"], config["width"], config["batch"]
scheme = config["scheme"]
torch.manual_seed(config["seed"])


def draw():
    if scheme == "xavier_uniform":
        bound = math.sqrt(6 / (2 * width))
        return [torch.empty(width, width).uniform_(-bound, bound).requires_grad_() for _ in range(depth)]
    std = math.sqrt(1 / width) if scheme == "lecun_normal" else math.sqrt(2 / (2 * width))
    return [(torch.randn(width, width) * std).requires_grad_() for _ in range(depth)]


def run():
    started = time.perf_counter()
    weights = draw()
    x = torch.randn(batch, width)
    a = x
    for w in weights:
        a = torch.tanh(a @ w)
    if config.get("loss", "mse") == "sum":
        loss = a.sum() / batch
    else:
        y = torch.randn(batch, width)
        loss = ((a - y) ** 2).sum() / (2 * batch)
    loss.backward()
    norms = [w.grad.norm().item() for w in weights]
    return time.perf_counter() - started, math.log10(norms[0] / norms[-1])


run()
samples = [run() for _ in range(config["samples"])]
print(json.dumps({"ms": [s * 1000 for s, _ in samples], "log10Ratio": samples[-1][1], "torch": torch.__version__, "threads": torch.get_num_threads()}))
