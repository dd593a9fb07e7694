"""A large batch on the raw float64 endpoint.

POST /v1/activations/{id}/evaluate/binary takes x as little-endian float64
bytes and answers the requested outputs, n float64s each, concatenated in the
order of `outputs` (the x-count and x-outputs headers describe them). Same
numbers, bit for bit, as the JSON endpoint, without the cost of JSON.

    ACTIVATION_LAB_URL=http://127.0.0.1:3000 python3 evaluate_binary.py
"""

import sys
import time
from array import array

from activation_lab import run

COUNT = 200_001


def to_little_endian(values):
    """float64 bytes in little-endian order whatever this machine's order."""
    data = array("d", values)
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def from_little_endian(raw):
    data = array("d")
    data.frombytes(raw)
    if sys.byteorder == "big":
        data.byteswap()
    return data


def main(lab):
    x = [-10 + 20 * i / (COUNT - 1) for i in range(COUNT)]
    started = time.perf_counter()
    raw, headers = lab.post_binary("/v1/activations/tanh/evaluate/binary", to_little_endian(x), params={"outputs": "value,derivative"})
    seconds = time.perf_counter() - started
    count = int(headers["x-count"])
    outputs = headers["x-outputs"].split(",")
    if len(raw) != 8 * count * len(outputs):
        raise SystemExit("expected {} bytes, got {}".format(8 * count * len(outputs), len(raw)))
    numbers = from_little_endian(raw)
    columns = {name: numbers[i * count:(i + 1) * count] for i, name in enumerate(outputs)}
    print("tanh on {} points in {:.0f} ms: {} bytes back, outputs {}".format(count, seconds * 1000, len(raw), ",".join(outputs)))

    derivative = columns["derivative"]
    peak = max(range(count), key=lambda i: derivative[i])
    print("largest derivative {:g} at x = {:g}; at x = 10 it is {:.3e}".format(derivative[peak], x[peak], derivative[-1]))

    # Parameters, mode and seed are query keys; the bytes agree with the JSON endpoint exactly.
    few = [-1.0, 0.0, 1.0]
    raw, _ = lab.post_binary("/v1/activations/elu/evaluate/binary", to_little_endian(few), params={"alpha": 0.5, "outputs": "value"})
    binary = list(from_little_endian(raw))
    json_values = lab.post("/v1/activations/elu/evaluate", {"x": few, "params": {"alpha": 0.5}, "outputs": ["value"]})["value"]
    print("elu(alpha=0.5) at {}: binary {} | JSON {} | identical: {}".format(few, binary, json_values, binary == json_values))


if __name__ == "__main__":
    run(main)
