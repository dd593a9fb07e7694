"""Mean-field theory: why some networks keep their gradient and others lose it.

POST /v1/theory/mean-field gives chi1, the factor by which the squared
gradient norm changes per layer in an infinitely wide random network
(Schoenholz et al. 2017): below 1 gradients vanish (ordered phase), above 1
they explode (chaotic), at 1 lies the edge of chaos. POST
/v1/theory/phase-diagram maps chi1 over a grid of weight and bias variances
and traces the critical line.

    ACTIVATION_LAB_URL=http://127.0.0.1:3000 python3 theory.py
"""

from activation_lab import run

CASES = [
    ("sigmoid, Xavier (sigma_w^2 = 1)", {"activation": "sigmoid", "sigmaW2": 1}),
    ("tanh, sigma_w^2 = 1, sigma_b^2 = 0.05", {"activation": "tanh", "sigmaW2": 1, "sigmaB2": 0.05}),
    ("tanh, sigma_w^2 = 2.25", {"activation": "tanh", "sigmaW2": 2.25}),
    ("relu, He (sigma_w^2 = 2)", {"activation": "relu", "sigmaW2": 2}),
    ("relu, Xavier (sigma_w^2 = 1)", {"activation": "relu", "sigmaW2": 1}),
]


def main(lab):
    print("mean-field chi1 and the predicted log10 change of the gradient norm over 30 layers:")
    for label, body in CASES:
        answer = lab.post("/v1/theory/mean-field", dict(body, depth=30))
        depth_scale = "infinite" if answer["xiCInfinite"] else "{:.1f}".format(answer["xiC"])
        print("  {:<38} chi1 {:.4f}  {:<8}  depth scale {:>8}  over 30 layers 10^{:+.2f}".format(
            label, answer["chi1"], answer["phase"], depth_scale, answer["log10GradientChange"]))

    grid = lab.post("/v1/theory/phase-diagram", {
        "activation": "tanh",
        "sigmaW2": {"start": 0.5, "stop": 4, "count": 8},
        "sigmaB2": {"start": 0, "stop": 0.5, "count": 6},
    })
    print("tanh phase diagram (rows sigma_b^2, columns sigma_w^2; o ordered, c critical, x chaotic):")
    print("  sigma_b^2 \\ sigma_w^2 " + " ".join("{:>4g}".format(w) for w in grid["sigmaW2"]))
    symbol = {"ordered": "o", "critical": "c", "chaotic": "x"}
    for b, row in zip(grid["sigmaB2"], grid["phase"]):
        print("  {:>21g} ".format(b) + " ".join("{:>4}".format(symbol[phase]) for phase in row))
    line = sorted((point for point in grid["criticalLine"] if point["branch"] == 0), key=lambda point: point["sigmaB2"])
    print("critical line (chi1 = 1): " + ", ".join("sigma_w^2 = {:.3f} at sigma_b^2 = {:g}".format(p["sigmaW2"], p["sigmaB2"]) for p in line[:3]) + ", ...")


if __name__ == "__main__":
    run(main)
