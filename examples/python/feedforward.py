"""The vanishing gradient of a deep sigmoid network, and what cures it.

POST /v1/simulations/feedforward builds a 30-layer network of width 256,
pushes a batch of 128 random inputs through it and back, and reports the
gradient norm at every layer. Sigmoid with Xavier initialisation loses about
10^-0.63 per layer; ReLU with He initialisation keeps it within a factor of
about two; batch normalisation rescues the same sigmoid network.

    ACTIVATION_LAB_URL=http://127.0.0.1:3000 python3 feedforward.py
"""

from activation_lab import run

DEPTH, WIDTH = 30, 256
NETWORKS = [
    ("sigmoid, Xavier", {"activation": "sigmoid", "init": "xavier_normal"}),
    ("relu, He", {"activation": "relu", "init": "he_normal"}),
    ("sigmoid, Xavier, batch norm", {"activation": "sigmoid", "init": "xavier_normal", "batchNorm": True}),
]
SHOWN_LAYERS = (1, 10, 20, 30)


def main(lab):
    print("depth {}, width {}, batch 128, seed 1: log10 of the weight gradient norm at layers {}".format(DEPTH, WIDTH, " / ".join(map(str, SHOWN_LAYERS))))
    for label, shorthand in NETWORKS:
        network = dict(shorthand, depth=DEPTH, width=WIDTH)
        answer = lab.post("/v1/simulations/feedforward", {"network": network, "input": {"batchSize": 128}, "seed": 1})
        norms = [answer["layers"][index - 1]["gradient"]["log10WeightNorm"] for index in SHOWN_LAYERS]
        summary = answer["summary"]
        print("  {:<28} {}   ratio 10^{:+.2f}   per layer {:+.3f}   verdict: {}".format(
            label, " / ".join("{:7.2f}".format(norm) for norm in norms), summary["log10GradientRatio"], summary["meanLog10GainPerLayer"], summary["verdict"]))
        theory = answer.get("theory")
        if theory is not None:
            print("  {:<28} mean-field theory: chi1 = {:.4f} ({}), predicted {:+.3f} per layer".format("", theory["chi1"], theory["phase"], theory["predictedMeanLog10GainPerLayer"]))


if __name__ == "__main__":
    run(main)
