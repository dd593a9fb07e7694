/**
 * PyTorch's default initialisation through time: the README's table
 * ("Explicit weights, inputs and targets"). For each cell, /usr/bin/python3
 * with PyTorch draws `torch.manual_seed(0)`, then the module (input 32,
 * hidden 128, float64), x ~ N(0, 1) of 100 × 32 × 32 and Y ~ N(0, 1); the
 * weights, inputs and targets are sent explicitly to the service (built
 * in-process), and the row is printed.
 *
 *   npx tsx scripts/measure-pytorch-init.ts
 */
import { execFileSync } from 'node:child_process';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const PYTHON = `
import json, sys, torch
cell = sys.argv[1]
torch.manual_seed(0)
module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](32, 128, dtype=torch.float64)
x, y = torch.randn(100, 32, 32, dtype=torch.float64), torch.randn(32, 128, dtype=torch.float64)
body = {"cell": cell, "inputSize": 32, "hiddenSize": 128, "steps": 100,
        "weights": {"weightIh": module.weight_ih_l0.tolist(), "weightHh": module.weight_hh_l0.tolist(),
                    "biasIh": module.bias_ih_l0.tolist(), "biasHh": module.bias_hh_l0.tolist()},
        "input": {"values": x.tolist()}, "loss": {"targets": y.tolist()}}
json.dump(body, sys.stdout)
`;

interface Step {
  log10GradientNorm: number;
  gates?: Record<string, number>;
}

const signed = (value: number, digits: number) => value.toFixed(digits).replace('-', '−');
const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: String(64 * 1024 * 1024) }));
console.log('| cell | log10 ‖∂L/∂h_t‖ at t = 1 / 50 / 100 | log10GradientRatio | mean gates at t = 50 |');
console.log('|---|---|---|---|');
for (const [cell, label, gates] of [
  ['rnn', 'RNN, tanh', []],
  ['lstm', 'LSTM', [['i', 'input'], ['f', 'forget'], ['g', 'candidate'], ['o', 'output']]],
  ['gru', 'GRU', [['r', 'reset'], ['z', 'update'], ['n', 'candidate']]],
] as const) {
  const body = execFileSync('/usr/bin/python3', ['-c', PYTHON, cell], { maxBuffer: 256 * 1024 * 1024 }).toString();
  const response = await app.inject({ method: 'POST', url: '/v1/simulations/recurrent', headers: { 'content-type': 'application/json' }, payload: body });
  if (response.statusCode !== 200) throw new Error(`${cell}: ${response.statusCode} ${response.body.slice(0, 500)}`);
  const answer = response.json<{ steps: Step[]; summary: { log10GradientRatio: number } }>();
  const at = (t: number) => signed(answer.steps[t - 1]?.log10GradientNorm ?? Number.NaN, 2);
  const middle = answer.steps[49]?.gates ?? {};
  const gateText = gates.map(([letter, name]) => `${letter} ${signed(middle[name] ?? Number.NaN, 3)}`).join(', ');
  console.log(`| ${label} | ${at(1)} / ${at(50)} / ${at(100)} | ${signed(answer.summary.log10GradientRatio, 2)} | ${gateText} |`);
}
await app.close();
