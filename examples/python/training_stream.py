"""Training, streamed: print each history entry the moment the service computes it.

With `Accept: application/x-ndjson`, POST /v1/training answers one JSON line
per history entry, {"run", "entry"}, the runs advancing in turn, then
{"result": ...}. Here a 4-layer network learns two interleaved spirals, ReLU
against tanh, with Adam.

    ACTIVATION_LAB_URL=http://127.0.0.1:3000 python3 training_stream.py
"""

import time

from activation_lab import run

BODY = {
    "network": {"depth": 4, "width": 32, "activation": "relu", "init": "he_normal"},
    "data": {"dataset": "spirals"},
    "optimizer": {"type": "adam", "learningRate": 0.01},
    "steps": 600,
    "evaluateEvery": 100,
    "seed": 1,
    "runs": [{"label": "relu + He"}, {"label": "tanh + Xavier", "activation": "tanh", "init": "xavier_normal"}],
}


def main(lab):
    started = time.perf_counter()
    entries = 0
    for line in lab.stream("/v1/training", BODY):
        elapsed = time.perf_counter() - started
        if "entry" in line:
            entries += 1
            entry = line["entry"]
            print("{:6.2f} s  {:<14} step {:>4}  train loss {:.3f}  test accuracy {:.3f}  log10 |dL/dW1| {:+.2f}".format(
                elapsed, line["run"], entry["step"], entry["trainLoss"], entry["testAccuracy"], entry["layers"][0]["log10GradientNorm"]))
        elif "result" in line:
            finals = ", ".join("{} {:.3f}".format(result["label"], result["final"]["testAccuracy"]) for result in line["result"]["runs"])
            print("{:6.2f} s  result after {} streamed entries: final test accuracy {}".format(elapsed, entries, finals))


if __name__ == "__main__":
    run(main)
