import type { z } from 'zod';
import { trainingChartSpec, type TrainingChart } from '../../plots/index.js';
import { ProblemError } from '../../problems.js';
import { type recurrentTrainingNetworkSchema, trainingBodySchema, trainingCeilings, type TrainingBody, type trainingQuerySchema } from '../../schemas/training-request.js';
import type { TrainingResponse } from '../../schemas/training.js';
import { drawOps, initializationFlops } from '../../simulation/init.js';
import { NetworkShapeError } from '../../simulation/errors.js';
import { layerWidths } from '../../simulation/network.js';
import { ADDING_CHANNELS, ADDING_DEFAULT_TEST_SIZE, ADDING_DEFAULT_TRAIN_SIZE, ADDING_TARGET_WIDTH, datasetInfo, generateAdding, generateSynthetic, loadFashionMnist, loadIris, type DatasetName } from '../../training/data/index.js';
import { GATES, MAX_THROUGH_TIME_POINTS, type Cell } from '../../training/sequence-model.js';
import type { DataSplit, TrainingData } from '../../training/data/types.js';
import type { OptimizerSpec } from '../../training/optimizers.js';
import { entrySteps, EVALUATION_ROWS, train, type TrainingResult, type TrainingSpec } from '../../training/train.js';
import { relativeKernelCost } from '../calibration.js';
import { JSON_NUMBER_BYTES, plus, type Work } from '../cost.js';
import { boundLayers, initSpecOf, plannedLayers, residualOf, type PlannedLayer } from '../networks.js';
import { bind, refOf, type ActivationRef } from '../activation-refs.js';
import { defineOperation, type Representation } from '../operation.js';
import { pictureOptionsOf, pictureWork, type PictureOptions } from '../pictures.js';

/**
 * POST /v1/training: mini-batch training of a network, or a race of variants,
 * with the gradient at every layer recorded (/work/shared/spec/training.md).
 * The plan holds the data's description (a named set is generated or loaded
 * on the worker) or the explicit rows; the run streams each history entry as
 * progress.
 */

type Query = z.output<typeof trainingQuerySchema>;
type RecurrentNetwork = z.output<typeof recurrentTrainingNetworkSchema>;
type FeedforwardNetwork = Exclude<TrainingBody['network'], RecurrentNetwork>;

/** Explicit rows, as the plan carries them. */
interface ExplicitSplit {
  inputs: number[][];
  labels: number[] | null;
  targets: number[][] | null;
}

type PlannedData =
  | { kind: 'named'; dataset: DatasetName; trainSize: number; testSize: number; noise: number | null; classes: number | null; seed: number }
  | { kind: 'adding'; length: number; trainSize: number; testSize: number; seed: number }
  | { kind: 'explicit'; train: ExplicitSplit; test: ExplicitSplit | null };

interface PlannedRun {
  label: string;
  /** Hidden layers, then the head (none for a recurrent run). */
  layers: PlannedLayer[];
  recurrent?: { cell: Cell; hiddenSize: number; activation: ActivationRef; length: number; channels: number };
  optimizer: OptimizerSpec;
}

/** The plan: the spec's schedule as it is, the data and the runs as plain data. */
export interface TrainingPlan extends Omit<TrainingSpec, 'data' | 'runs'> {
  inputWidth: number;
  /** Classes (cross_entropy) or the target width (mse). */
  outputWidth: number;
  trainCount: number;
  testCount: number;
  data: PlannedData;
  runs: PlannedRun[];
  picture: PictureOptions & { chart: TrainingChart };
}

/** History entries a run may have (evaluateEvery small against steps); more is a 400. */
export const MAX_HISTORY_ENTRIES = 5000;
/** Entries the default evaluateEvery aims at. */
const DEFAULT_ENTRIES = 50;
const DEFAULT_STEPS = 1000;

const invalid = (path: string, message: string): ProblemError => new ProblemError('validation', message, { errors: [{ path, message }] });

/** The data's shape from the request: a named set's description, or the explicit rows checked. */
function planData(body: TrainingBody): { data: PlannedData; inputWidth: number; classes: number | null; targetWidth: number | null; trainCount: number; testCount: number } {
  const { data } = body;
  if ('dataset' in data && data.dataset === 'adding') {
    const trainSize = data.trainSize ?? ADDING_DEFAULT_TRAIN_SIZE;
    const testSize = data.testSize ?? ADDING_DEFAULT_TEST_SIZE;
    return {
      data: { kind: 'adding', length: data.length, trainSize, testSize, seed: data.seed ?? body.seed },
      inputWidth: data.length * ADDING_CHANNELS,
      classes: null,
      targetWidth: ADDING_TARGET_WIDTH,
      trainCount: trainSize,
      testCount: testSize,
    };
  }
  if ('dataset' in data) {
    const info = datasetInfo[data.dataset];
    const trainSize = data.trainSize ?? info.defaultTrainSize;
    const testSize = data.testSize ?? info.defaultTestSize;
    if (trainSize > info.maxTrainSize) throw invalid('data.trainSize', `${data.dataset} has at most ${info.maxTrainSize} training examples, asked for ${trainSize}.`);
    if (testSize > info.maxTestSize) throw invalid('data.testSize', `${data.dataset} has at most ${info.maxTestSize} test examples, asked for ${testSize}.`);
    if (data.dataset === 'iris' && trainSize + testSize > 150) throw invalid('data.testSize', `iris has 150 flowers; trainSize + testSize is ${trainSize + testSize}.`);
    const classes = info.classes === null ? null : data.dataset === 'spirals' || data.dataset === 'blobs' ? (data.classes ?? info.classes) : info.classes;
    if (data.classes !== undefined && data.dataset !== 'spirals' && data.dataset !== 'blobs') {
      throw invalid('data.classes', `classes applies to spirals and blobs only; ${data.dataset} has ${info.classes === null ? 'regression targets' : `${info.classes} classes`}.`);
    }
    return {
      data: { kind: 'named', dataset: data.dataset, trainSize, testSize, noise: data.noise ?? info.defaultNoise, classes, seed: data.seed ?? body.seed },
      inputWidth: info.inputWidth,
      classes,
      targetWidth: info.targetWidth,
      trainCount: trainSize,
      testCount: testSize,
    };
  }
  const inputWidth = data.train.inputs[0]?.length ?? 0;
  const checkSplit = (split: typeof data.train, name: 'train' | 'test'): ExplicitSplit => {
    const rows = split.inputs.length;
    split.inputs.forEach((row, index) => {
      if (row.length !== inputWidth) throw invalid(`data.${name}.inputs.${index}`, `every input row must hold ${inputWidth} numbers (as the first training row), row ${index} holds ${row.length}.`);
    });
    if ('labels' in split) {
      if (split.labels.length !== rows) throw invalid(`data.${name}.labels`, `must hold one label per input row (${rows}), holds ${split.labels.length}.`);
      return { inputs: split.inputs, labels: split.labels, targets: null };
    }
    if (split.targets.length !== rows) throw invalid(`data.${name}.targets`, `must hold one target row per input row (${rows}), holds ${split.targets.length}.`);
    const targetWidth = split.targets[0]?.length ?? 0;
    split.targets.forEach((row, index) => {
      if (row.length !== targetWidth) throw invalid(`data.${name}.targets.${index}`, `every target row must hold ${targetWidth} numbers, row ${index} holds ${row.length}.`);
    });
    return { inputs: split.inputs, labels: null, targets: split.targets };
  };
  if (inputWidth === 0) throw invalid('data.train.inputs', 'input rows must hold at least one number.');
  const trainSplit = checkSplit(data.train, 'train');
  const testSplit = data.test === undefined ? null : checkSplit(data.test, 'test');
  if (testSplit !== null && (testSplit.labels === null) !== (trainSplit.labels === null)) {
    throw invalid('data.test', 'must have labels where the training data has labels, targets where it has targets.');
  }
  const classes = trainSplit.labels === null ? null : Math.max(...trainSplit.labels, ...(testSplit?.labels ?? [])) + 1;
  const targetWidth = trainSplit.targets === null ? null : (trainSplit.targets[0]?.length ?? 0);
  if (testSplit?.targets != null && (testSplit.targets[0]?.length ?? 0) !== targetWidth) throw invalid('data.test.targets', `target rows must hold ${targetWidth} numbers, as the training targets.`);
  return { data: { kind: 'explicit', train: trainSplit, test: testSplit }, inputWidth, classes, targetWidth, trainCount: trainSplit.inputs.length, testCount: testSplit?.inputs.length ?? 0 };
}

/** The runs of a recurrent network on sequence data: the cell (or a variant's) over every step, a linear head. */
function planRecurrentRuns(body: TrainingBody, network: RecurrentNetwork, length: number): PlannedRun[] {
  const variants = body.runs ?? [{ label: 'run' }];
  return variants.map((variant, index) => {
    for (const field of ['init', 'batchNorm', 'layerNorm', 'residual'] as const) {
      if (variant[field] !== undefined) throw invalid(`runs.${index}.${field}`, `${field} applies to feed-forward networks; this one is recurrent.`);
    }
    return {
      label: variant.label,
      layers: [],
      recurrent: {
        cell: variant.cell ?? network.cell,
        hiddenSize: network.hiddenSize,
        activation: variant.activation === undefined ? refOf(network.activation, ['network', 'activation']) : refOf(variant.activation, ['runs', index, 'activation']),
        length,
        channels: ADDING_CHANNELS,
      },
      optimizer: variant.optimizer ?? body.optimizer,
    };
  });
}

function planRuns(body: TrainingBody, network: FeedforwardNetwork, inputWidth: number, outputWidth: number, outputIsClasses: boolean): PlannedRun[] {
  if ('layers' in network && network.inputSize !== inputWidth) {
    throw invalid('network.inputSize', `must equal the data's input width ${inputWidth}, got ${network.inputSize}.`);
  }
  if (!('layers' in network) && network.inputSize !== undefined && network.inputSize !== inputWidth) {
    throw invalid('network.inputSize', `must equal the data's input width ${inputWidth}, got ${network.inputSize} (leave it out to take the data's).`);
  }
  const { layers: hidden } = plannedLayers('layers' in network ? network : { ...network, inputSize: inputWidth });
  const head = network.output;
  const headWidth = head?.width ?? outputWidth;
  if (headWidth !== outputWidth) {
    throw invalid('network.output.width', outputIsClasses ? `must equal the number of classes, ${outputWidth}, got ${headWidth}.` : `must equal the target width, ${outputWidth}, got ${headWidth}.`);
  }
  const headLayer: PlannedLayer = {
    width: headWidth,
    activation: refOf(head?.activation ?? 'identity', ['network', 'output', 'activation']),
    init: head?.init === undefined ? { scheme: 'xavier_normal' } : initSpecOf(head.init),
    bias: true,
    batchNorm: false,
    residual: false,
    ...(head?.weights === undefined ? {} : { weights: head.weights }),
    ...(head?.biases === undefined ? {} : { biases: head.biases }),
  };
  const variants = body.runs ?? [{ label: 'run' }];
  return variants.map((variant, index) => {
    if (variant.cell !== undefined) throw invalid(`runs.${index}.cell`, 'cell applies to recurrent networks; this one is feed-forward.');
    const activation = variant.activation === undefined ? null : refOf(variant.activation, ['runs', index, 'activation']);
    const init = variant.init === undefined ? null : initSpecOf(variant.init);
    let fanIn = inputWidth;
    const layers = hidden.map((layer): PlannedLayer => {
      const fits = layer.width === fanIn;
      fanIn = layer.width;
      return {
        ...(variant.residual === undefined ? layer : withResidual(layer, residualOf(fits ? variant.residual : false))),
        ...(activation === null ? {} : { activation }),
        ...(init === null ? {} : { init }),
        ...(variant.batchNorm === undefined ? {} : { batchNorm: variant.batchNorm }),
        ...(variant.layerNorm === undefined ? {} : { layerNorm: variant.layerNorm }),
      };
    });
    const output = init === null || head?.init !== undefined ? headLayer : { ...headLayer, init };
    return { label: variant.label, layers: [...layers, output], optimizer: variant.optimizer ?? body.optimizer };
  });
}

/** A layer with its residual fields replaced (a variant's `residual`). */
function withResidual(layer: PlannedLayer, residual: ReturnType<typeof residualOf>): PlannedLayer {
  const replaced: PlannedLayer = { ...layer, residual: residual.residual };
  delete replaced.residualNorm;
  return residual.residualNorm === undefined ? replaced : { ...replaced, residualNorm: residual.residualNorm };
}

export function planTraining(body: TrainingBody, representation: Representation, query: Query): TrainingPlan {
  const shape = planData(body);
  const loss = body.loss?.type ?? (shape.classes === null ? 'mse' : 'cross_entropy');
  const sequences = shape.data.kind === 'adding';
  const network = body.network;
  if ('cell' in network && !sequences) throw invalid('data', 'a recurrent network trains on sequence data: { dataset: "adding", length }.');
  if (!('cell' in network) && sequences) throw invalid('network', 'sequence data (adding) needs a recurrent network: { cell, hiddenSize }.');
  if (loss === 'cross_entropy' && shape.classes === null) throw invalid('loss.type', 'cross_entropy needs labelled data (classes); this data has regression targets: use mse.');
  if (loss === 'mse' && shape.targetWidth === null) throw invalid('loss.type', 'mse needs regression targets; this data has class labels: use cross_entropy.');
  const outputWidth = (loss === 'cross_entropy' ? shape.classes : shape.targetWidth) as number;
  if (loss === 'cross_entropy' && outputWidth < 2) throw invalid('data', 'cross_entropy needs at least two classes (labels 0 and 1).');
  const runs =
    'cell' in network
      ? planRecurrentRuns(body, network, (shape.data as { length: number }).length)
      : planRuns(body, network, shape.inputWidth, outputWidth, loss === 'cross_entropy');
  for (const run of runs) {
    if (run.recurrent !== undefined) continue;
    try {
      layerWidths(shape.inputWidth, boundLayers(run.layers));
    } catch (error) {
      // The head is the layer after the hidden ones: its fields are network.output's.
      if (error instanceof NetworkShapeError && error.layer === run.layers.length) throw invalid(`network.output.${error.field}`, `the output head: ${error.field} ${error.message.replace(/^layer \d+: \S+ /, '')}`);
      throw error;
    }
    if (body.batchSize === 1 && run.layers.some((layer) => layer.batchNorm)) {
      throw invalid('batchSize', 'batch normalisation in training needs at least 2 examples per batch (the batch variance of one example is 0).');
    }
  }
  const steps = body.steps ?? (body.epochs === undefined ? DEFAULT_STEPS : Math.ceil((body.epochs * shape.trainCount) / body.batchSize));
  if (steps > trainingCeilings.steps) throw invalid('epochs', `${body.epochs} epochs of ${shape.trainCount} examples in batches of ${body.batchSize} are ${steps} steps; the limit is ${trainingCeilings.steps}.`);
  const evaluateEvery = body.evaluateEvery ?? Math.max(1, Math.ceil(steps / DEFAULT_ENTRIES));
  const entries = entrySteps(steps, evaluateEvery).length;
  if (entries > MAX_HISTORY_ENTRIES) throw invalid('evaluateEvery', `${steps} steps with evaluateEvery ${evaluateEvery} make ${entries} history entries per run; the limit is ${MAX_HISTORY_ENTRIES}.`);
  return {
    inputWidth: shape.inputWidth,
    outputWidth,
    trainCount: shape.trainCount,
    testCount: shape.testCount,
    data: shape.data,
    runs,
    loss,
    maxGradientNorm: body.gradientClip?.maxNorm ?? null,
    steps,
    batchSize: body.batchSize,
    shuffle: body.shuffle,
    evaluateEvery,
    seed: body.seed,
    precision: body.precision,
    returnWeights: body.returnWeights,
    picture: { ...pictureOptionsOf(representation, query), chart: query.chart },
  };
}

/**
 * Elementwise work per unit and example, in typed arrays (cheaper per element
 * than an evaluation request's plain arrays): a training step's bias, δ and
 * bias sum besides φ and φ′ (twice the kernel: forward and, for learned
 * parameters, backward), and an evaluation's bias and counts besides φ and φ′.
 */
const STEP_OPS_PER_UNIT = 3;
const EVALUATION_OPS_PER_UNIT = 1;
const BATCH_NORM_OPS_PER_UNIT = 4;
/** Per parameter and step: the update rule (Adam's is the dearest), the finiteness check. */
const UPDATE_OPS: Record<OptimizerSpec['type'], number> = { sgd: 3, momentum: 4, nesterov: 5, adam: 10 };
/** JSON bytes of one history entry, and of one layer in it. */
const ENTRY_ANSWER_BYTES = 220;
const LAYER_ENTRY_ANSWER_BYTES = 260;
/** Reading the shipped Fashion-MNIST files once in a worker (gunzip, checksum, scaling): element ops per pixel. */
const LOAD_OPS_PER_PIXEL = 3;

export function trainingWork(plan: TrainingPlan): Work {
  const entries = entrySteps(plan.steps, plan.evaluateEvery).length;
  const evaluatedRows = plan.trainCount + plan.testCount;
  const bytesPerNumber = plan.precision === 'float32' ? 4 : 8;
  let productFlops = 0;
  let elementOps = plan.data.kind === 'named' && plan.data.dataset === 'fashion-mnist' ? LOAD_OPS_PER_PIXEL * 784 * 12_000 : 10 * evaluatedRows * plan.inputWidth;
  let decompositionFlops = 0;
  let workingBytes = (8 + bytesPerNumber) * evaluatedRows * (plan.inputWidth + plan.outputWidth);
  let passes = 0;
  let answerBytes = 0;
  for (const run of plan.runs) {
    if (run.recurrent !== undefined) {
      const recurrent = recurrentWork(plan, run.recurrent, run.optimizer.type, entries, evaluatedRows, bytesPerNumber);
      productFlops += recurrent.productFlops;
      elementOps += recurrent.elementOps;
      passes += recurrent.passes;
      workingBytes += recurrent.workingBytes;
      answerBytes += recurrent.answerBytes;
      continue;
    }
    let fanIn = plan.inputWidth;
    let parameters = 0;
    let units = 0;
    run.layers.forEach((layer, position) => {
      const size = fanIn * layer.width;
      parameters += size + layer.width;
      units += layer.width;
      // Forward, ∂L/∂W and (not for the first layer) ∂L/∂a: 2 flops per multiply-add.
      productFlops += plan.steps * (position === 0 ? 2 : 3) * 2 * plan.batchSize * size + entries * 2 * evaluatedRows * size;
      const kernel = relativeKernelCost(layer.activation.id);
      const normalisations = (layer.batchNorm ? 1 : 0) + (layer.layerNorm === true ? 1 : 0) + (layer.residualNorm === undefined ? 0 : 1);
      elementOps += plan.steps * plan.batchSize * layer.width * (STEP_OPS_PER_UNIT + 2 * kernel + normalisations * BATCH_NORM_OPS_PER_UNIT);
      elementOps += entries * evaluatedRows * layer.width * (EVALUATION_OPS_PER_UNIT + kernel + normalisations);
      if (layer.weights === undefined) {
        elementOps += size * drawOps(layer.init.scheme);
        if (layer.init.scheme === 'orthogonal') decompositionFlops += initializationFlops('orthogonal', fanIn, layer.width);
      }
      fanIn = layer.width;
    });
    elementOps += plan.steps * parameters * UPDATE_OPS[run.optimizer.type] + entries * 3 * parameters;
    passes += (plan.steps + entries * Math.ceil(evaluatedRows / EVALUATION_ROWS)) * run.layers.length;
    const rows = Math.max(plan.batchSize, Math.min(EVALUATION_ROWS, evaluatedRows));
    // Parameters, gradients, two optimizer states and a copy before the update; three buffers per unit and row.
    workingBytes += bytesPerNumber * (5 * parameters + 3 * rows * units + 2 * rows * plan.inputWidth);
    answerBytes += entries * (ENTRY_ANSWER_BYTES + run.layers.length * LAYER_ENTRY_ANSWER_BYTES) + (plan.returnWeights ? JSON_NUMBER_BYTES * parameters : 0);
  }
  const engine = plan.precision === 'float32';
  return {
    engineFlops: engine ? productFlops : 0,
    scalarFlops: engine ? 0 : productFlops,
    decompositionFlops,
    elementOps,
    passes,
    chartMarks: 0,
    pixels: 0,
    workingBytes,
    answerBytes,
  };
}

/** Elementwise work per hidden unit, example and step of each cell (gates, state, their gradients), forward and backward. */
const CELL_OPS: Record<Cell, number> = { rnn: 6, lstm: 40, gru: 32 };
/** GEMM calls per time step: two forward, three backward. */
const CALLS_PER_TRAINING_STEP = 5;

/** A recurrent run: T steps of the cell's products and gates per update and per evaluated row, and the through-time figures. */
function recurrentWork(plan: TrainingPlan, run: NonNullable<PlannedRun['recurrent']>, optimizer: OptimizerSpec['type'], entries: number, evaluatedRows: number, bytesPerNumber: number) {
  const { length: T, hiddenSize: H, channels: C, cell } = run;
  const GH = GATES[cell] * H;
  const parameters = GH * (C + H) + 2 * GH + H + 1;
  const rows = Math.max(plan.batchSize, Math.min(EVALUATION_ROWS, evaluatedRows));
  const chunks = Math.ceil(evaluatedRows / EVALUATION_ROWS);
  return {
    productFlops: plan.steps * T * 2 * plan.batchSize * GH * (2 * C + 3 * H) + entries * evaluatedRows * T * 2 * GH * (C + H),
    // The gates, and per step the weight gradients summed into the cell's (G·H·(C + H) numbers).
    elementOps: plan.steps * T * (plan.batchSize * H * CELL_OPS[cell] + GH * (C + H)) + entries * evaluatedRows * T * H * (CELL_OPS[cell] / 2) + plan.steps * parameters * UPDATE_OPS[optimizer],
    passes: (plan.steps * CALLS_PER_TRAINING_STEP + entries * chunks * 2) * T,
    // h_t, the gates (and c_t) of every step for the rows of a pass; parameters, gradients, optimizer state.
    workingBytes: bytesPerNumber * (rows * (T + 1) * (H * 2 + GH) + 5 * parameters),
    answerBytes: entries * (ENTRY_ANSWER_BYTES + 2 * LAYER_ENTRY_ANSWER_BYTES + Math.min(T, MAX_THROUGH_TIME_POINTS) * 2 * JSON_NUMBER_BYTES) + (plan.returnWeights ? JSON_NUMBER_BYTES * parameters : 0),
  };
}

/** The data of a plan, generated, loaded or converted (on the worker). */
function trainingDataOf(plan: TrainingPlan): TrainingData {
  const { data } = plan;
  if (data.kind === 'named') {
    const sizes = { trainSize: data.trainSize, testSize: data.testSize, seed: data.seed };
    if (data.dataset === 'fashion-mnist') return loadFashionMnist(sizes);
    if (data.dataset === 'iris') return loadIris(sizes);
    return generateSynthetic(data.dataset, { ...sizes, ...(data.noise === null ? {} : { noise: data.noise }), ...(data.classes === null ? {} : { classes: data.classes }) });
  }
  if (data.kind === 'adding') {
    // Whole sequences as rows (T·C numbers each), targets as regression rows.
    const sequences = generateAdding({ length: data.length, trainSize: data.trainSize, testSize: data.testSize, seed: data.seed });
    const split = (part: { count: number; inputs: Float64Array; targets: Float64Array }): DataSplit => ({ count: part.count, inputs: part.inputs, labels: null, targets: part.targets });
    return { name: 'adding', inputWidth: plan.inputWidth, classes: null, targetWidth: sequences.targetWidth, train: split(sequences.train), test: sequences.test === null ? null : split(sequences.test) };
  }
  const split = (rows: ExplicitSplit): DataSplit => ({
    count: rows.inputs.length,
    inputs: Float64Array.from(rows.inputs.flat()),
    labels: rows.labels === null ? null : Int32Array.from(rows.labels),
    targets: rows.targets === null ? null : Float64Array.from(rows.targets.flat()),
  });
  return {
    name: 'explicit',
    inputWidth: plan.inputWidth,
    classes: plan.loss === 'cross_entropy' ? plan.outputWidth : null,
    targetWidth: plan.loss === 'mse' ? plan.outputWidth : null,
    train: split(data.train),
    test: data.test === null ? null : split(data.test),
  };
}

export const trainOperation = defineOperation({
  id: 'train',
  bodySchema: trainingBodySchema,
  representations: ['json', 'ndjson', 'svg', 'png', 'vegalite'],
  plan: ({ body, query, representation }: { body: TrainingBody; query: Query; representation: Representation }): TrainingPlan => planTraining(body, representation, query),
  cost: (plan) => {
    const work = trainingWork(plan);
    if (plan.picture.representation === 'json' || plan.picture.representation === 'ndjson') return work;
    const entries = entrySteps(plan.steps, plan.evaluateEvery).length;
    const series = plan.picture.chart === 'loss' || plan.picture.chart === 'accuracy' ? 2 : (plan.runs[0]?.layers.length ?? 1);
    return plus({ ...work, answerBytes: 0 }, pictureWork(plan.picture, plan.runs.length * entries * series, { columns: Math.min(3, plan.runs.length) }));
  },
  run: (plan, context): TrainingResult =>
    train(
      {
        ...plan,
        data: trainingDataOf(plan),
        runs: plan.runs.map((run) => ({
          label: run.label,
          layers: boundLayers(run.layers),
          ...(run.recurrent === undefined ? {} : { recurrent: { ...run.recurrent, activation: bind(run.recurrent.activation), outputWidth: plan.outputWidth } }),
          optimizer: run.optimizer,
        })),
      },
      (run, entry) => context.progress({ run, entry }),
    ),
  spec: (result, { picture }) =>
    trainingChartSpec({ result: result as TrainingResponse, chart: picture.chart, width: picture.width, height: picture.height, title: picture.title }),
});
