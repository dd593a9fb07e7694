import type { z } from 'zod';
import { recurrentGradientChartSpec } from '../../plots/index.js';
import type { pictureQuerySchema } from '../../schemas/plots.js';
import { recurrentBodySchema } from '../../schemas/simulations.js';
import { drawOps, initializationFlops } from '../../simulation/init.js';
import {
  DEFAULT_INPUT_INIT,
  DEFAULT_RECURRENT_INIT,
  estimateRecurrentCost,
  simulateRecurrent,
  type GruSpec,
  type LstmSpec,
  type RecurrentResult,
  type RecurrentSpec,
  type RnnSpec,
} from '../../simulation/recurrent/index.js';
import { bind, refOf, type ActivationRef } from '../activation-refs.js';
import { plus, type Work } from '../cost.js';
import { ProblemError } from '../../problems.js';
import { initSpecOf } from '../networks.js';
import { defineOperation, type Representation } from '../operation.js';
import { pictureOptionsOf, pictureWork, type PictureOptions } from '../pictures.js';

/** Backpropagation through time in an RNN, an LSTM or a GRU. */

export type RecurrentPlan = (Omit<RnnSpec, 'activation'> & { activation: ActivationRef }) | LstmSpec | GruSpec;

export const recurrentSpecOf = (plan: RecurrentPlan): RecurrentSpec => (plan.cell === 'rnn' ? { ...plan, activation: bind(plan.activation) } : plan);

/** JSON bytes of one step's figures. */
const STEP_ANSWER_BYTES = 330;
/** Elementwise passes per hidden unit, example and step (gates, their derivatives, statistics, norms). */
const ELEMENT_PASSES = { rnn: 6, lstm: 24, gru: 20 } as const;

export function recurrentWork(plan: RecurrentPlan): Work {
  const spec = recurrentSpecOf(plan);
  const estimate = estimateRecurrentCost(spec);
  const { batchSize, gates } = estimate;
  const { inputSize, hiddenSize, steps } = spec;
  const width = gates * hiddenSize;
  const productFlops = 2 * steps * batchSize * inputSize * width + 2 * 2 * (steps - 1) * batchSize * hiddenSize * width;
  const recurrentInit = spec.recurrentInit ?? DEFAULT_RECURRENT_INIT;
  const inputInit = spec.inputInit ?? DEFAULT_INPUT_INIT;
  const drawn = spec.weights === undefined;
  const decomposition = (scheme: typeof recurrentInit.scheme, fanIn: number): number =>
    drawn && scheme === 'orthogonal' ? gates * initializationFlops('orthogonal', fanIn, hiddenSize) : 0;
  const float64 = estimate.precision === 'float64';
  // Given inputs and weights are copied rather than drawn: one element operation each.
  const inputDraws = steps * batchSize * inputSize;
  const weightDraws = drawn ? gates * hiddenSize * (inputSize * drawOps(inputInit.scheme) + hiddenSize * drawOps(recurrentInit.scheme)) : width * (inputSize + hiddenSize);
  return {
    engineFlops: float64 ? 0 : productFlops,
    scalarFlops: float64 ? productFlops : 0,
    decompositionFlops: decomposition(recurrentInit.scheme, hiddenSize) + decomposition(inputInit.scheme, inputSize),
    elementOps: ELEMENT_PASSES[spec.cell] * steps * batchSize * hiddenSize + inputDraws + weightDraws,
    // A step forward and a step back, each a few engine calls and their bookkeeping.
    passes: 2 * steps,
    chartMarks: 0,
    pixels: 0,
    workingBytes: estimate.bytes,
    answerBytes: steps * STEP_ANSWER_BYTES,
  };
}

type Body = z.output<typeof recurrentBodySchema>;
type Query = z.output<typeof pictureQuerySchema>;

export const simulateRecurrentOperation = defineOperation({
  id: 'simulateRecurrent',
  bodySchema: recurrentBodySchema,
  representations: ['json', 'svg', 'png', 'vegalite'],
  plan: ({ body, query, representation }: { body: Body; query: Query; representation: Representation }): RecurrentPlan & { picture: PictureOptions } => {
    const common = {
      inputSize: body.inputSize,
      hiddenSize: body.hiddenSize,
      steps: body.steps,
      seed: body.seed,
      ...(body.batchSize === undefined ? {} : { batchSize: body.batchSize }),
      ...(body.precision === undefined ? {} : { precision: body.precision }),
      ...(body.recurrentInit === undefined ? {} : { recurrentInit: initSpecOf(body.recurrentInit) }),
      ...(body.inputInit === undefined ? {} : { inputInit: initSpecOf(body.inputInit) }),
      ...(body.weights === undefined ? {} : { weights: body.weights }),
      ...(body.input === undefined ? {} : { input: body.input }),
      ...(body.loss === undefined ? {} : { loss: body.loss }),
      picture: pictureOptionsOf(representation, query),
    };
    if (body.cell === 'lstm') return { ...common, cell: 'lstm', ...(body.forgetBias === undefined ? {} : { forgetBias: body.forgetBias }) };
    if (body.forgetBias !== undefined) {
      const message = `forgetBias is the LSTM's forget-gate bias; a${body.cell === 'rnn' ? 'n RNN' : ' GRU'} has no forget gate.`;
      throw new ProblemError('validation', message, { errors: [{ path: 'forgetBias', message }] });
    }
    if (body.cell === 'gru') return { ...common, cell: 'gru' };
    return { ...common, cell: 'rnn', activation: refOf(body.activation ?? 'tanh', ['activation']) };
  },
  cost: (plan) => {
    const work = recurrentWork(plan);
    return plan.picture.representation === 'json' ? work : plus({ ...work, answerBytes: 0 }, pictureWork(plan.picture, plan.steps * 2));
  },
  run: (plan): RecurrentResult => simulateRecurrent(recurrentSpecOf(plan)),
  spec: (result, { picture }) => recurrentGradientChartSpec({ result, width: picture.width, height: picture.height, title: picture.title }),
});
