"""A training race: ten sigmoid layers against batch norm and ReLU + He.

POST /v1/training trains the simulations' network plus a softmax head on
2000 Fashion-MNIST images (the service ships a subset), several variants on
the same data, batches and initial weights, and records the loss, the
accuracy and every layer's gradient as it learns. The plain sigmoid network
stays at chance (its first layer's gradient is five decades below the
last's); batch norm learns; ReLU + He learns too, but unsteadily at this
learning rate (its loss falls and jumps back, and with seed 1 the last step
lands on a jump).

    ACTIVATION_LAB_URL=http://127.0.0.1:3000 python3 training_race.py
"""

from activation_lab import run

RACE = {
    "network": {"depth": 10, "width": 64, "activation": "sigmoid", "init": "xavier_normal"},
    "data": {"dataset": "fashion-mnist", "trainSize": 2000, "testSize": 500},
    "optimizer": {"type": "sgd", "learningRate": 0.1},
    "epochs": 2,
    "batchSize": 64,
    "evaluateEvery": 8,
    "seed": 1,
    "runs": [
        {"label": "sigmoid + Xavier"},
        {"label": "sigmoid + Xavier + batch norm", "batchNorm": True},
        {"label": "relu + He", "activation": "relu", "init": "he_normal"},
    ],
}


def main(lab):
    print("10 layers of width 64, SGD 0.1, batch 64, 2 epochs of 2000 Fashion-MNIST images (chance: 10 % accuracy)")
    answer = lab.post("/v1/training", RACE)
    print("  {:<30} {:>14}  {:>13}  {:>22}".format("run", "train loss", "test accuracy", "log10 |dL/dW| 1st/10th"))
    for result in answer["runs"]:
        first, final = result["history"][0], result["final"]
        layers = first["layers"]  # step 0: hidden layers 1..10, then the head
        print("  {:<30} {:5.2f} -> {:5.2f}  {:>13.3f}  {:>10.2f} / {:>6.2f}{}".format(
            result["label"], first["trainLoss"], final["trainLoss"], final["testAccuracy"],
            layers[0]["log10GradientNorm"], layers[9]["log10GradientNorm"],
            "   (diverged at step {})".format(result["divergedAtStep"]) if result["divergedAtStep"] is not None else ""))
    best = max(answer["runs"], key=lambda result: result["final"]["testAccuracy"])
    print("winner: {} ({:.1%} test accuracy after {} steps)".format(best["label"], best["final"]["testAccuracy"], best["final"]["step"]))


if __name__ == "__main__":
    run(main)
