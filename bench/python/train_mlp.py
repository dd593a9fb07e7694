"""The PyTorch side of bench/training.ts: the same MLP, data, batches and
optimizer, trained with torch.optim on the CPU. Reads a JSON config from argv[1]
(data files written by the bench as raw little-endian arrays), prints one JSON line.
"""
import json
import sys
import time

import numpy as np
import torch

config = json.loads(sys.argv[1])
torch.set_num_threads(config["threads"])
dtype = torch.float32 if config["precision"] == "float32" else torch.float64
n, d, k = config["trainCount"], config["inputWidth"], config["classes"]
x = torch.from_numpy(np.fromfile(config["inputs"], dtype="<f8").reshape(n, d)).to(dtype)
y = torch.from_numpy(np.fromfile(config["labels"], dtype="<i4").astype(np.int64))
batches = torch.from_numpy(np.fromfile(config["batches"], dtype="<i4").astype(np.int64)).reshape(config["steps"], config["batchSize"])

activations = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "elu": torch.nn.ELU}
layers = []
fan_in = d
for width in config["widths"]:
    layers += [torch.nn.Linear(fan_in, width, dtype=dtype), activations[config["activation"]]()]
    fan_in = width
layers.append(torch.nn.Linear(fan_in, k, dtype=dtype))
model = torch.nn.Sequential(*layers)
if config["optimizer"] == "adam":
    optimizer = torch.optim.Adam(model.parameters(), lr=config["learningRate"])
else:
    optimizer = torch.optim.SGD(model.parameters(), lr=config["learningRate"], momentum=0.9 if config["optimizer"] == "momentum" else 0)
loss_fn = torch.nn.CrossEntropyLoss()


def evaluate():
    with torch.no_grad():
        return loss_fn(model(x), y).item()


def run():
    started = time.perf_counter()
    first = evaluate()
    for step in range(config["steps"]):
        rows = batches[step]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[rows]), y[rows])
        loss.backward()
        optimizer.step()
    last = evaluate()
    return time.perf_counter() - started, first, last


run()  # warm-up: allocator, kernels
seconds, first, last = min((run() for _ in range(config["repeats"])), key=lambda result: result[0])
print(json.dumps({"seconds": seconds, "firstLoss": first, "lastLoss": last, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": torch.__config__.show().count("OpenBLAS") > 0 or "openblas" in torch.__config__.show().lower()}))
