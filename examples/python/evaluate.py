"""Activations and their derivatives, as JSON.

The catalogue's maximum derivatives (sigmoid's 1/4 is the root of the
vanishing gradient), then values and derivatives of four activations on the
same inputs, and PReLU's gradient with respect to its learnable slope.

    ACTIVATION_LAB_URL=http://127.0.0.1:3000 python3 evaluate.py
"""

from activation_lab import run


def main(lab):
    catalogue = lab.get("/v1/activations")["activations"]
    print("catalogue: {} activations".format(len(catalogue)))
    for entry in catalogue:
        if entry["id"] in ("sigmoid", "tanh", "relu", "gelu", "selu"):
            print("  {:<8} max derivative {:.4f}   derivative at 0 {:.4f}".format(entry["id"], entry["maxDerivative"], entry["derivativeAtZero"]))

    x = [-4, -2, 0, 2, 4]
    answer = lab.post("/v1/evaluate", {"x": x, "activations": ["sigmoid", "tanh", "relu", "gelu"]})
    print("{:<19}".format("x") + " ".join("{:8g}".format(value) for value in x))
    for result in answer["results"]:
        print("{:<8} value     ".format(result["activation"]) + " ".join("{:8.4f}".format(v) for v in result["value"]))
        print("{:<8} derivative".format("") + " ".join("{:8.4f}".format(d) for d in result["derivative"]))

    sigmoid = answer["results"][0]["derivative"]
    print("sigmoid'(0) = {:g}: thirty sigmoid layers scale a gradient by at most 0.25^30 = {:.1e}".format(sigmoid[2], 0.25 ** 30))

    prelu = lab.post("/v1/activations/prelu/evaluate", {"x": [-2, 0, 3], "params": {"alpha": 0.1}, "outputs": ["value", "derivative", "paramGradients"]})
    print("prelu(alpha=0.1) at {}: value {}, d/dx {}, d/dalpha {}".format(prelu["x"], prelu["value"], prelu["derivative"], prelu["paramGradients"]["alpha"]))


if __name__ == "__main__":
    run(main)
