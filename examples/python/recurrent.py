"""Backpropagation through time: a vanilla RNN against an LSTM.

POST /v1/simulations/recurrent runs 100 steps (input 32, hidden 128, batch
32), puts the loss on the last step and reports ||dL/dh_t|| at every step.
The tanh RNN (orthogonal recurrent weights) loses the signal exponentially;
the LSTM's additive cell state lets some ten million times more of it reach
the first step.

    ACTIVATION_LAB_URL=http://127.0.0.1:3000 python3 recurrent.py
"""

from activation_lab import run

STEPS = 100
SHOWN_STEPS = (1, 25, 50, 75, 100)
CELLS = [
    ("RNN, tanh, orthogonal W_h", {"cell": "rnn", "activation": "tanh", "recurrentInit": "orthogonal"}),
    ("LSTM, forget bias 1", {"cell": "lstm", "forgetBias": 1}),
]


def main(lab):
    print("{} steps, input 32, hidden 128, seed 1: log10 ||dL/dh_t|| at t = {}".format(STEPS, " / ".join(map(str, SHOWN_STEPS))))
    ratios = {}
    for label, cell in CELLS:
        body = dict(cell, inputSize=32, hiddenSize=128, steps=STEPS, seed=1)
        answer = lab.post("/v1/simulations/recurrent", body)
        by_step = {step["t"]: step for step in answer["steps"]}
        norms = [by_step[t]["log10GradientNorm"] for t in SHOWN_STEPS]
        summary = answer["summary"]
        ratios[cell["cell"]] = summary["log10GradientRatio"]
        print("  {:<26} {}   ratio 10^{:+.2f}   verdict: {}".format(label, " / ".join("{:7.2f}".format(norm) for norm in norms), summary["log10GradientRatio"], summary["verdict"]))
    print("the LSTM carries 10^{:.1f} times more gradient back to t = 1 than the RNN".format(ratios["lstm"] - ratios["rnn"]))


if __name__ == "__main__":
    run(main)
