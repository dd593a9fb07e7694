import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../config.js';
import { ProblemError, problemResponses } from '../../problems.js';
import { NetworkShapeError } from '../../simulation/errors.js';
import { estimateFeedforwardCost } from '../../simulation/feedforward/index.js';
import { estimateRecurrentCost } from '../../simulation/recurrent/index.js';
import { estimateJacobianCost } from '../../simulation/jacobian/index.js';
import { jacobianSpectrum as jacobianSpectrumChart } from '../../plots/index.js';
import {
  feedforwardBodySchema,
  feedforwardResponseSchema,
  jacobianBodySchema,
  jacobianResponseSchema,
  recurrentBodySchema,
  recurrentResponseSchema,
} from '../../schemas/simulations.js';
import { PoolSaturatedError, SimulationTimeoutError, type SimulationPool } from '../../workers/simulation-pool.js';
import {
  feedforwardSpec,
  jacobianSpec,
  recurrentSpec,
  type SimulationKind,
  type SimulationOutcome,
  type SimulationResults,
  type SimulationTask,
} from '../../workers/simulation-tasks.js';
import { resolveReference } from './evaluation-requests.js';
import { activationStatisticsChart, feedforwardGradientChart, recurrentGradientChart } from '../../plots/index.js';
import { feedforwardPictureQuerySchema, pictureQuerySchema } from '../../schemas/plots.js';
import { drawPicture, negotiate, pictureContent, sendPicture } from '../pictures.js';

/**
 * float64 simulations run in plain JavaScript at about 1 GFLOP/s, float32 ones
 * on the SIMD engine at 25 or more: the cost limit weighs float64 (and other
 * plain-JavaScript) work by this.
 */
const FLOAT64_COST_WEIGHT = 20;

interface Cost {
  flops: number;
  bytes: number;
  precision: 'float32' | 'float64';
}

export function refuseWhenTooCostly(cost: Cost, limits: Config['simulation']): void {
  const weightedFlops = cost.flops * (cost.precision === 'float64' ? FLOAT64_COST_WEIGHT : 1);
  const gflop = (flops: number): string => `${(flops / 1e9).toPrecision(3)} GFLOP`;
  const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toPrecision(3)} MiB`;
  if (weightedFlops > limits.maxFlops) {
    const weighting = cost.precision === 'float64' ? ` (${gflop(cost.flops)} in float64, weighted ×${FLOAT64_COST_WEIGHT})` : '';
    throw new ProblemError(
      'unprocessable',
      `The simulation would cost about ${gflop(weightedFlops)}${weighting}; the limit is ${gflop(limits.maxFlops)}. Reduce depth, width, batch size, steps or trials.`,
      { estimate: { flops: weightedFlops, bytes: cost.bytes }, limit: { flops: limits.maxFlops, bytes: limits.maxBytes } },
    );
  }
  if (cost.bytes > limits.maxBytes) {
    throw new ProblemError(
      'unprocessable',
      `The simulation would need about ${megabytes(cost.bytes)} of memory; the limit is ${megabytes(limits.maxBytes)}.`,
      { estimate: { flops: weightedFlops, bytes: cost.bytes }, limit: { flops: limits.maxFlops, bytes: limits.maxBytes } },
    );
  }
}

/** A shape problem as a validation error on the request field it comes from. */
function shapeProblem(error: NetworkShapeError): ProblemError {
  const path = error.layer === null ? error.field : `network.layers.${error.layer - 1}.${error.field}`;
  return new ProblemError('validation', error.message, { errors: [{ path, message: error.message }] });
}

/** Runs a task on the pool: its result, or the failure as a problem. */
export async function runOnPool<K extends SimulationKind>(pool: SimulationPool, task: SimulationTask<K>): Promise<SimulationResults[K]> {
  let outcome: SimulationOutcome<K>;
  try {
    outcome = await pool.run(task);
  } catch (error) {
    if (error instanceof PoolSaturatedError) {
      throw new ProblemError('unavailable', `${error.message} Retry shortly.`, {}, { 'retry-after': '2' });
    }
    if (error instanceof SimulationTimeoutError) {
      throw new ProblemError('unprocessable', `${error.message} (SIMULATION_TIMEOUT_MS). Reduce the size of the network or the batch.`, {
        timeoutMs: error.timeoutMs,
      });
    }
    throw error;
  }
  if (!outcome.ok) {
    const errors = outcome.kind === 'validation' ? { errors: [{ path: '', message: outcome.detail }] } : {};
    throw new ProblemError(outcome.kind, outcome.detail, errors);
  }
  return outcome.result;
}

const simulationRoutes: FastifyPluginAsyncZod<{ pool: SimulationPool; limits: Config['simulation'] }> = async (app, { pool, limits }) => {
  app.post('/simulations/feedforward', {
    schema: {
      tags: ['simulations'],
      operationId: 'simulateFeedforward',
      summary: 'Propagate a batch through a feed-forward network and back',
      description:
        'Builds the network (explicit layers or the uniform shorthand), draws weights and inputs from the seed, runs the forward and backward pass, and reports per layer the statistics of z and a and the gradient norms (plain and log10, exact even where they underflow float64), with a summary verdict. Runs on a worker thread; refused with 422 when its estimated cost exceeds the limit, 503 when every thread is busy and the queue is full.',
      querystring: feedforwardPictureQuerySchema,
      body: feedforwardBodySchema,
      response: {
        200: pictureContent(feedforwardResponseSchema, 'The per-layer figures as JSON, or as a chart (`Accept: image/svg+xml` or `image/png`).'),
        ...problemResponses([400, 406, 413, 415, 422, 500, 503]),
      },
    },
    handler: async (request, reply) => {
      const { format, chart, norms, band, width, height, title, scale } = request.query;
      const representation = negotiate(request, ['json', 'svg', 'png'], format);
      const spec = feedforwardSpec(request.body, resolveReference);
      let cost: Cost;
      try {
        cost = estimateFeedforwardCost(spec);
      } catch (error) {
        if (error instanceof NetworkShapeError) throw shapeProblem(error);
        throw error;
      }
      refuseWhenTooCostly(cost, limits);
      const result = await runOnPool(pool, { kind: 'feedforward', body: request.body });
      if (representation === 'json') return result;
      const options = { result, width, height, title };
      const svg = await drawPicture(() =>
        chart === 'statistics' ? activationStatisticsChart(options) : feedforwardGradientChart({ ...options, norms, band }),
      );
      return sendPicture(reply, representation, svg, scale);
    },
  });

  app.post('/simulations/recurrent', {
    schema: {
      tags: ['simulations'],
      operationId: 'simulateRecurrent',
      summary: 'Backpropagate through time in an RNN or an LSTM',
      description:
        'Runs a vanilla RNN or an LSTM over `steps` random inputs, puts the loss on the last step, and reports for every step t the gradient norm with respect to h_t (and c_t for the LSTM), plain and log10, the hidden-state statistics and the mean gate activations, with the ratio ‖∂L/∂h_1‖/‖∂L/∂h_T‖ and a verdict.',
      querystring: pictureQuerySchema,
      body: recurrentBodySchema,
      response: {
        200: pictureContent(recurrentResponseSchema, 'The per-step figures as JSON, or as a chart of the gradient norm through time.'),
        ...problemResponses([400, 406, 413, 415, 422, 500, 503]),
      },
    },
    handler: async (request, reply) => {
      const { format, width, height, title, scale } = request.query;
      const representation = negotiate(request, ['json', 'svg', 'png'], format);
      const spec = recurrentSpec(request.body, resolveReference);
      refuseWhenTooCostly({ ...estimateRecurrentCost(spec), precision: request.body.precision }, limits);
      const result = await runOnPool(pool, { kind: 'recurrent', body: request.body });
      if (representation === 'json') return result;
      const svg = await drawPicture(() => recurrentGradientChart({ result, width, height, title }));
      return sendPicture(reply, representation, svg, scale);
    },
  });

  app.post('/simulations/jacobian', {
    schema: {
      tags: ['simulations'],
      operationId: 'jacobianSpectrum',
      summary: 'Singular values of the input–output Jacobian',
      description:
        'J = ∂a^L/∂a⁰ of a random network (or given weights) at one input, and its singular values: the list (up to 1024), a histogram, the mean and variance of σ², the extremes, the condition number, and per depth if asked. Dynamical isometry means every σ near 1: orthogonal linear networks have exactly that, Gaussian ones spread with depth, ReLU networks cannot get there, tanh with orthogonal weights near criticality comes close. Answers a histogram chart for `Accept: image/svg+xml` or `image/png`.',
      querystring: pictureQuerySchema,
      body: jacobianBodySchema,
      response: {
        200: pictureContent(jacobianResponseSchema, 'The spectrum as JSON, or its histogram as a chart.'),
        ...problemResponses([400, 406, 413, 415, 422, 500, 503]),
      },
    },
    handler: async (request, reply) => {
      const { format, width, height, title, scale } = request.query;
      const representation = negotiate(request, ['json', 'svg', 'png'], format);
      const spec = jacobianSpec(request.body, resolveReference);
      let cost;
      try {
        cost = estimateJacobianCost(spec);
      } catch (error) {
        if (error instanceof NetworkShapeError) throw shapeProblem(error);
        throw error;
      }
      const engineFlops = cost.flops - cost.scalarFlops;
      refuseWhenTooCostly({ flops: engineFlops + cost.scalarFlops * FLOAT64_COST_WEIGHT, bytes: cost.bytes, precision: 'float32' }, limits);
      const result = await runOnPool(pool, { kind: 'jacobian', body: request.body });
      if (representation === 'json') return result;
      // Draw the service's own histogram (edges in log10 σ or σ) rather than re-binning.
      const { histogram } = result.spectrum;
      const sigma = (edge: number): number => (histogram.scale === 'log10' ? 10 ** edge : edge);
      const bins = histogram.counts.map((count, index) => ({
        start: sigma(histogram.edges[index] as number),
        end: sigma(histogram.edges[index + 1] as number),
        count,
      }));
      const svg = await drawPicture(() => jacobianSpectrumChart({ bins, scale: histogram.scale, width, height, title }));
      return sendPicture(reply, representation, svg, scale);
    },
  });
};

export default simulationRoutes;
