/**
 * The claims of the training story, measured through the service's own
 * operation (the request bodies a client would send) with several seeds, and
 * printed as the Markdown tables of the README's "Training: the claims,
 * measured" section.
 *
 *   npx tsx scripts/measure-training-claims.ts [--seeds 3]
 *
 * Every figure is mean ± standard deviation over the seeds (the seed changes
 * the initial weights, the batch order and RReLU's draws; the Fashion-MNIST
 * rows are the same).
 */
import { initLinalg } from '../src/linalg/matmul.js';
import { operationById } from '../src/requests/operations/index.js';
import { trainingBodySchema, trainingQuerySchema } from '../src/schemas/training-request.js';
import type { TrainingResult } from '../src/training/train.js';

const seedsArgument = process.argv.indexOf('--seeds');
const SEEDS = Array.from({ length: seedsArgument === -1 ? 3 : Number(process.argv[seedsArgument + 1]) }, (_, index) => index + 1);

await initLinalg({ threads: 1 });
const operation = operationById('train');

async function trainRequest(body: unknown): Promise<TrainingResult> {
  const parsed = trainingBodySchema.parse(body);
  const plan = operation.plan({ body: parsed, query: trainingQuerySchema.parse({}), params: {}, representation: 'json', limits: { maxElements: 1e6 } });
  return (await operation.run(plan, { progress: () => undefined })) as TrainingResult;
}

/** One request per seed; the runs of each (a race) by label. */
async function overSeeds(body: Record<string, unknown>): Promise<Map<string, TrainingResult['runs']>> {
  const byLabel = new Map<string, TrainingResult['runs']>();
  for (const seed of SEEDS) {
    const result = await trainRequest({ ...body, seed });
    for (const run of result.runs) byLabel.set(run.label, [...(byLabel.get(run.label) ?? []), run]);
  }
  return byLabel;
}

const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
const spread = (values: number[]): number => Math.sqrt(mean(values.map((value) => (value - mean(values)) ** 2)));
const show = (values: number[], digits = 3): string => `${mean(values).toFixed(digits)} ± ${spread(values).toFixed(digits)}`;
const table = (header: string[], rows: string[][]): string => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

/** The first step whose entry has a training loss at or below `threshold`; null if none. */
const stepsTo = (run: TrainingResult['runs'][number], threshold: number): number | null => run.history.find((entry) => entry.trainLoss <= threshold)?.step ?? null;
const hidden = (run: TrainingResult['runs'][number]) => run.final.layers.slice(0, -1);

const started = performance.now();
const fashion = { dataset: 'fashion-mnist', trainSize: 2000, testSize: 500 };

// 1. Deep sigmoid nets do not train; ReLU + He does; batch norm rescues sigmoid.
{
  const runs = await overSeeds({
    network: { depth: 10, width: 64, activation: 'sigmoid', init: 'xavier_normal' },
    data: fashion,
    optimizer: { type: 'sgd', learningRate: 0.1 },
    epochs: 5,
    batchSize: 64,
    runs: [
      { label: 'sigmoid + Xavier' },
      { label: 'sigmoid + Xavier + batch norm', batchNorm: true },
      { label: 'relu + He', activation: 'relu', init: 'he_normal' },
    ],
  });
  console.log('\n#### 1. Ten sigmoid layers (width 64, Xavier), SGD 0.1, batch 64, 5 epochs of 2000 Fashion-MNIST images\n');
  console.log(
    table(
      ['run', 'test accuracy', 'train loss (start → end)', 'log10 ‖∂L/∂W¹‖ at step 0', 'log10 ‖∂L/∂W¹⁰‖ at step 0'],
      [...runs].map(([label, seeds]) => [
        label,
        show(seeds.map((run) => run.final.testAccuracy as number)),
        `${show(seeds.map((run) => run.history[0]?.trainLoss as number), 2)} → ${show(seeds.map((run) => run.final.trainLoss), 2)}`,
        show(seeds.map((run) => run.history[0]?.layers[0]?.log10GradientNorm as number), 2),
        show(seeds.map((run) => run.history[0]?.layers[9]?.log10GradientNorm as number), 2),
      ]),
    ),
  );
}

// 2. ELU converges faster than ReLU (and the leaky family, SELU).
{
  const runs = await overSeeds({
    network: { depth: 8, width: 64, activation: 'relu', init: 'he_normal' },
    data: fashion,
    optimizer: { type: 'sgd', learningRate: 0.05 },
    epochs: 8,
    batchSize: 64,
    evaluateEvery: 5,
    runs: [
      { label: 'relu' },
      { label: 'elu', activation: 'elu' },
      { label: 'leaky_relu', activation: 'leaky_relu' },
      { label: 'prelu', activation: 'prelu' },
      { label: 'rrelu', activation: 'rrelu' },
      { label: 'selu', activation: 'selu', init: 'lecun_normal' },
    ],
  });
  console.log('\n#### 2. Eight layers of width 64 (He; SELU with LeCun), SGD 0.05, batch 64, 8 epochs of 2000 Fashion-MNIST images\n');
  console.log(
    table(
      ['activation', 'steps to train loss ≤ 0.8', 'train loss at the end', 'test accuracy'],
      [...runs].map(([label, seeds]) => {
        const steps = seeds.map((run) => stepsTo(run, 0.8));
        const reached = steps.filter((step): step is number => step !== null);
        return [label, reached.length === seeds.length ? show(reached, 0) : `${reached.length} of ${seeds.length} seeds reach it`, show(seeds.map((run) => run.final.trainLoss)), show(seeds.map((run) => run.final.testAccuracy as number))];
      }),
    ),
  );
  const prelu = runs.get('prelu') ?? [];
  console.log(`\nPReLU's learned α per hidden layer (from 0.25): ${prelu[0]?.final.layers.slice(0, -1).map((_, index) => show(prelu.map((run) => run.final.layers[index]?.params['alpha'] as number), 2)).join(', ')}`);
}

// 3. Dying ReLU at a high learning rate, and what saves it.
{
  const runs = await overSeeds({
    network: { depth: 4, width: 64, activation: 'relu', init: 'xavier_normal' },
    data: fashion,
    optimizer: { type: 'sgd', learningRate: 0.5 },
    epochs: 5,
    batchSize: 32,
    runs: [
      { label: 'relu, Xavier' },
      { label: 'relu, He', init: 'he_normal' },
      { label: 'relu, Xavier, batch norm', batchNorm: true },
      { label: 'leaky_relu', activation: 'leaky_relu' },
      { label: 'prelu', activation: 'prelu' },
      { label: 'elu', activation: 'elu' },
    ],
  });
  console.log('\n#### 3. Four layers of width 64, SGD at a high learning rate (0.5), batch 32, 5 epochs of 2000 Fashion-MNIST images\n');
  console.log(
    table(
      ['run', 'dead fraction at step 0', 'dead fraction at the end (hidden layers)', 'most dead layer at the end', 'test accuracy', 'diverged'],
      [...runs].map(([label, seeds]) => [
        label,
        show(seeds.map((run) => mean(run.history[0]?.layers.slice(0, -1).map((layer) => layer.fractionDead) ?? []))),
        show(seeds.map((run) => mean(hidden(run).map((layer) => layer.fractionDead)))),
        show(seeds.map((run) => Math.max(...hidden(run).map((layer) => layer.fractionDead)))),
        show(seeds.map((run) => run.final.testAccuracy as number)),
        `${seeds.filter((run) => run.divergedAtStep !== null).length} of ${seeds.length}`,
      ]),
    ),
  );
}

// 4. RReLU against LReLU: the train–test gap when a network can overfit.
{
  const runs = await overSeeds({
    network: { depth: 2, width: 256, activation: 'leaky_relu', init: 'he_normal' },
    data: { dataset: 'fashion-mnist', trainSize: 1000, testSize: 2000 },
    optimizer: { type: 'adam', learningRate: 0.001 },
    epochs: 40,
    batchSize: 32,
    runs: [{ label: 'leaky_relu (0.01)' }, { label: 'leaky_relu (0.18)', activation: { id: 'leaky_relu', params: { negativeSlope: 0.18 } } }, { label: 'rrelu (1/8 … 1/3)', activation: 'rrelu' }],
  });
  console.log('\n#### 4. Two layers of width 256 on 1000 Fashion-MNIST images (2000 test), Adam 0.001, batch 32, 40 epochs\n');
  console.log(
    table(
      ['activation', 'train accuracy', 'test accuracy', 'gap', 'test loss'],
      [...runs].map(([label, seeds]) => [
        label,
        show(seeds.map((run) => run.final.trainAccuracy as number)),
        show(seeds.map((run) => run.final.testAccuracy as number)),
        show(seeds.map((run) => (run.final.trainAccuracy as number) - (run.final.testAccuracy as number))),
        show(seeds.map((run) => run.final.testLoss as number)),
      ]),
    ),
  );
}

console.log(`\n${SEEDS.length} seeds, ${((performance.now() - started) / 1000).toFixed(0)} s on this machine (one thread).`);
