import { z } from 'zod';
import { DEFAULT_SEED, MAX_SEED } from '../random.js';
import { activationReferenceSchema } from './activations.js';
import { XML_TEXT } from '../plots/index.js';
import { pictureQueryFields } from '../routes/pictures.js';
import { finiteMatrix, finiteNumbers } from './numbers.js';
import { explicitNetworkSchema, initSchema, shorthandNetworkSchema, simulationCeilings } from './simulations.js';

/**
 * The body of POST /v1/training (contract: /work/shared/spec/training.md).
 * Hard ceilings here bound a request before it is priced; the cost limits
 * (422) are checked on its price.
 */

export const trainingCeilings = {
  steps: 100_000,
  epochs: 1_000,
  batchSize: 8192,
  runs: 8,
  /** Rows of explicit data (train or test). */
  examples: 100_000,
} as const;

const count = (maximum: number, description: string) => z.number().int().min(1).max(maximum).describe(description);

const seedSchema = z.number().int().min(0).max(MAX_SEED).describe('Seed of every random draw (weights, data, batch order, RReLU slopes).');

export const outputHeadSchema = z
  .strictObject({
    width: count(simulationCeilings.width, 'Outputs: the number of classes for cross_entropy (logits), the target width for mse.'),
    activation: activationReferenceSchema.default('identity').describe('Default identity (logits for cross_entropy).'),
    init: initSchema.optional().describe('Default `xavier_normal`. Ignored when `weights` is given.'),
    weights: finiteMatrix().optional().describe('Explicit W: n_L rows of `width` numbers (the hidden layers\' orientation).'),
    biases: finiteNumbers().optional().describe('Explicit b: `width` numbers.'),
  })
  .meta({ id: 'OutputHead', description: 'A dense layer appended after the hidden layers.' });

/** The simulation's network with an optional output head (its inputSize may be left to the data). */
export const trainingNetworkSchema = z
  .union([explicitNetworkSchema.extend({ output: outputHeadSchema.optional() }), shorthandNetworkSchema.extend({ output: outputHeadSchema.optional() })], {
    error: 'Expected a network: { inputSize, layers: [...], output? } or { depth, width, activation, ..., output? }.',
  })
  .meta({
    id: 'TrainingNetwork',
    description:
      'The feed-forward network of the simulations plus an output head. Without `output`, a head of as many units as the data has classes (or target columns) is added. The shorthand\'s inputSize defaults to the data\'s input width.',
  });

/** A recurrent network for sequence data (the adding problem): one cell and a linear head on its last hidden state. */
export const recurrentTrainingNetworkSchema = z
  .strictObject({
    cell: z.enum(['rnn', 'lstm', 'gru']).describe('torch.nn.RNN, LSTM or GRU (one layer, h₀ = 0, PyTorch\'s equations and U(−1/√H, 1/√H) init).'),
    hiddenSize: count(1024, 'H, the hidden width.'),
    activation: activationReferenceSchema.default('tanh').describe('The RNN\'s φ (default tanh); the LSTM and GRU use σ and tanh.'),
  })
  .meta({ id: 'RecurrentTrainingNetwork' });

export const datasetNames = ['spirals', 'circles', 'xor', 'blobs', 'teacher', 'fashion-mnist', 'iris'] as const;

export const namedDataSchema = z
  .strictObject({
    dataset: z.enum(datasetNames).describe('`spirals`, `circles`, `xor`, `blobs` (2-D classification), `teacher` (regression on a random teacher network), `fashion-mnist` (real 28×28 images, 784 inputs in [0, 1], 10 classes, shipped subset), `iris` (150 flowers, 4 features, 3 classes).'),
    trainSize: count(trainingCeilings.examples, 'Training examples (default per data set).').optional(),
    testSize: z.number().int().min(0).max(trainingCeilings.examples).optional().describe('Test examples (default per data set; 0 for none).'),
    noise: z.number().min(0).max(10).optional().describe('Noise of the generated data sets (default per data set).'),
    classes: z.number().int().min(2).max(10).optional().describe('Classes of `spirals` and `blobs` (default 2 and 3).'),
    seed: seedSchema.optional().describe('Seed of the generated data (default: the request\'s seed).'),
  })
  .meta({ id: 'NamedData' });

const splitSchema = z
  .union([
    z.strictObject({ inputs: finiteMatrix(trainingCeilings.examples).describe('One row per example.'), labels: z.array(z.number().int().min(0).max(9999)).min(1).describe('Class index per example (cross_entropy).') }),
    z.strictObject({ inputs: finiteMatrix(trainingCeilings.examples), targets: finiteMatrix(trainingCeilings.examples).describe('Target row per example (mse).') }),
  ])
  .meta({ id: 'DataSplit', description: '`inputs` with `labels` (classification) or `targets` (regression).' });

export const explicitDataSchema = z
  .strictObject({ train: splitSchema, test: splitSchema.optional() })
  .meta({ id: 'ExplicitData', description: 'Your own data.' });

export const addingDataSchema = z
  .strictObject({
    dataset: z.literal('adding').describe('The adding problem (Hochreiter & Schmidhuber 1997): two channels, a value in U(0, 1) and a marker that is 1 at one step of each half; the target is the sum of the two marked values.'),
    length: z.number().int().min(2).max(1000).describe('T, the sequence length.'),
    trainSize: count(10_000, 'Training sequences (default 1000).').optional(),
    testSize: z.number().int().min(0).max(5000).optional().describe('Test sequences (default 200; 0 for none).'),
    seed: seedSchema.optional().describe('Seed of the generated data (default: the request\'s seed).'),
  })
  .meta({ id: 'AddingData', description: 'Sequence data, for a recurrent network.' });

export const trainingDataSchema = z
  .union([namedDataSchema, addingDataSchema, explicitDataSchema], { error: 'Expected data: { dataset, … }, { dataset: "adding", length } or { train: { inputs, labels | targets }, test? }.' })
  .meta({ id: 'TrainingData' });

export const optimizerSchema = z
  .strictObject({
    type: z.enum(['sgd', 'momentum', 'nesterov', 'adam']).describe('torch.optim.SGD (momentum 0), SGD with momentum, SGD with Nesterov momentum, or Adam (bias-corrected, ε after the square root).'),
    learningRate: z.number().positive().max(100).describe('η.'),
    momentum: z.number().min(0).max(1).default(0.9).describe('momentum and nesterov (default 0.9); dampening 0.'),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    epsilon: z.number().positive().max(1).default(1e-8),
    weightDecay: z.number().min(0).max(10).default(0).describe('Added to the gradient as λ·θ (L2, as torch.optim), for every trained parameter.'),
  })
  .meta({ id: 'Optimizer' });

export const runVariantSchema = z
  .strictObject({
    label: z.string().min(1).max(60).regex(XML_TEXT, 'must not contain control characters (other than tab and line breaks) or non-characters'),
    activation: activationReferenceSchema.optional().describe('Replaces every hidden layer\'s activation (the RNN\'s φ).'),
    cell: z.enum(['rnn', 'lstm', 'gru']).optional().describe('Recurrent networks: replaces the cell.'),
    init: initSchema.optional().describe('Replaces every hidden layer\'s init (and the head\'s).'),
    optimizer: optimizerSchema.optional().describe('Replaces the optimizer.'),
    batchNorm: z.boolean().optional().describe('Sets batch normalisation on every hidden layer.'),
    layerNorm: z.boolean().optional().describe('Sets layer normalisation on every hidden layer.'),
    residual: z
      .union([z.boolean(), z.enum(['post-norm', 'pre-norm'])])
      .optional()
      .describe('Sets residual blocks (`true`, `"post-norm"`, `"pre-norm"`, or `false` for none) on every hidden layer whose input has its width.'),
  })
  .meta({ id: 'TrainingRunVariant', description: 'A variant of the network that differs only in what it names; every run shares the data, the batch order and the seed.' });

export const trainingBodySchema = z
  .strictObject({
    network: z.union([trainingNetworkSchema, recurrentTrainingNetworkSchema], { error: 'Expected a feed-forward network ({ inputSize, layers } or { depth, width, activation }) or a recurrent one ({ cell, hiddenSize }).' }),
    data: trainingDataSchema,
    loss: z
      .strictObject({ type: z.enum(['cross_entropy', 'mse']) })
      .optional()
      .describe('cross_entropy: mean −log softmax(logits)[label]; mse: (1/(2B)) Σ‖a − y‖² (on the last step for sequences). Default: cross_entropy for labelled data, mse for regression targets (teacher, adding, explicit targets).'),
    optimizer: optimizerSchema.default({ type: 'sgd', learningRate: 0.1, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }).describe('Default SGD, learning rate 0.1.'),
    gradientClip: z.strictObject({ maxNorm: z.number().positive() }).optional().describe('Global-norm clipping over all parameters, as torch.nn.utils.clip_grad_norm_.'),
    steps: count(trainingCeilings.steps, 'Updates (one of steps and epochs; default 1000 steps).').optional(),
    epochs: z.number().positive().max(trainingCeilings.epochs).optional().describe('Passes over the training set (steps = ⌈epochs · trainSize / batchSize⌉).'),
    batchSize: count(trainingCeilings.batchSize, 'Examples per update (default 32).').default(32),
    shuffle: z.boolean().default(true).describe('Seeded reshuffle every epoch; false: update s uses rows (s·B + j) mod n.'),
    evaluateEvery: count(trainingCeilings.steps, 'Steps between history entries (default: about 50 entries over the run).').optional(),
    seed: seedSchema.default(DEFAULT_SEED),
    precision: z.enum(['float32', 'float64']).default('float32').describe('float32 (the fast engine) or float64 (exact; what PyTorch\'s float64 loop gives to ~1e-12).'),
    runs: z.array(runVariantSchema).min(1).max(trainingCeilings.runs).optional().describe('Variants trained side by side (a race); without it, one run.'),
    returnWeights: z.boolean().default(false).describe('Include every run\'s trained weights, biases and learned parameters.'),
  })
  .refine((body) => !(body.steps !== undefined && body.epochs !== undefined), { message: 'Give steps or epochs, not both.', path: ['epochs'] })
  .refine((body) => body.runs === undefined || new Set(body.runs.map((run) => run.label)).size === body.runs.length, { message: 'Run labels must be distinct.', path: ['runs'] })
  .meta({
    id: 'TrainingRequest',
    examples: [
      {
        network: { depth: 3, width: 16, activation: 'relu', init: 'he_normal' },
        data: { dataset: 'spirals', trainSize: 400, testSize: 200, noise: 0.1 },
        optimizer: { type: 'adam', learningRate: 0.01 },
        steps: 500,
        runs: [{ label: 'relu' }, { label: 'tanh', activation: 'tanh', init: 'xavier_normal' }],
      },
      {
        network: { depth: 10, width: 64, activation: 'sigmoid', init: 'xavier_normal' },
        data: { dataset: 'fashion-mnist', trainSize: 2000, testSize: 500 },
        optimizer: { type: 'sgd', learningRate: 0.1 },
        epochs: 2,
        batchSize: 64,
        runs: [{ label: 'sigmoid + Xavier' }, { label: 'relu + He', activation: 'relu', init: 'he_normal' }],
      },
    ],
  });

export type TrainingBody = z.output<typeof trainingBodySchema>;

export const trainingQuerySchema = z.object({
  ...pictureQueryFields,
  format: z.enum(['json', 'ndjson', 'svg', 'png', 'vegalite']).optional().describe('Overrides the Accept header: `json`, `ndjson` (one history entry per line as it is computed), `svg`, `png` or `vegalite` (the chart\'s Vega-Lite spec).'),
  chart: z
    .enum(['loss', 'accuracy', 'gradients', 'dead'])
    .default('loss')
    .describe('Pictures only: `loss` (train and test loss per run, log scale), `accuracy`, `gradients` (log10 ‖∂L/∂Wˡ‖ per layer) or `dead` (dead fraction per layer), against the step.'),
});
