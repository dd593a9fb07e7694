/**
 * The adding problem (Hochreiter & Schmidhuber 1997) for RNN, LSTM and GRU at
 * lengths 50, 100 and 200, through the service's own training operation, and
 * printed as the README's table ("Recurrent training").
 *
 *   npx tsx scripts/measure-adding-problem.ts [--seeds 2] [--steps 3000]
 *
 * Predicting the mean scores an mse of Var(target)/2 = (1/6)/2 ≈ 0.083; a run
 * counts as solved when its test mse falls below 0.01 (a tenth of a standard
 * deviation of error, roughly).
 */
import { initLinalg } from '../src/linalg/matmul.js';
import { operationById } from '../src/requests/operations/index.js';
import { trainingBodySchema, trainingQuerySchema } from '../src/schemas/training-request.js';
import type { TrainingResult } from '../src/training/train.js';

const argument = (name: string, fallback: number): number => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const SEEDS = Array.from({ length: argument('--seeds', 2) }, (_, index) => index + 1);
const STEPS = argument('--steps', 3000);
const SOLVED = 0.01;

await initLinalg({ threads: 1 });
const operation = operationById('train');
const started = performance.now();
console.log(`| T | cell | test mse at the end | solved (test mse < ${SOLVED}) at step | log10 ‖∂L/∂h₁‖/‖∂L/∂h_T‖ at step 0 → at the end |`);
console.log('|---|---|---|---|---|');
for (const length of [50, 100, 200]) {
  const results: TrainingResult[] = [];
  for (const seed of SEEDS) {
    const body = trainingBodySchema.parse({
      network: { cell: 'lstm', hiddenSize: 32 },
      data: { dataset: 'adding', length, trainSize: 1000, testSize: 200 },
      optimizer: { type: 'adam', learningRate: 0.005 },
      gradientClip: { maxNorm: 1 },
      steps: STEPS,
      batchSize: 32,
      evaluateEvery: 100,
      seed,
      runs: [{ label: 'rnn', cell: 'rnn' }, { label: 'lstm' }, { label: 'gru', cell: 'gru' }],
    });
    const plan = operation.plan({ body, query: trainingQuerySchema.parse({}), params: {}, representation: 'json', limits: { maxElements: 1e6 } });
    results.push((await operation.run(plan, { progress: () => undefined })) as TrainingResult);
  }
  for (const label of ['rnn', 'lstm', 'gru']) {
    const runs = results.map((result) => result.runs.find((run) => run.label === label)).filter((run) => run !== undefined);
    const finals = runs.map((run) => (run.final.testLoss as number).toFixed(4)).join(', ');
    const solved = runs.map((run) => run.history.find((entry) => (entry.testLoss as number) < SOLVED)?.step ?? '—').join(', ');
    const ratios = runs.map((run) => `${run.history[0]?.throughTime?.log10Ratio?.toFixed(1) ?? '—'} → ${run.final.throughTime?.log10Ratio?.toFixed(1) ?? '—'}`).join(', ');
    console.log(`| ${length} | ${label} | ${finals} | ${solved} | ${ratios} |`);
  }
}
console.log(`\nseeds ${SEEDS.join(', ')}, ${STEPS} steps, ${((performance.now() - started) / 1000).toFixed(0)} s on this machine (one thread).`);
