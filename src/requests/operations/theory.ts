import type { z } from 'zod';
import { MAX_PHASE_DIAGRAM_CELLS, phaseDiagramSpec } from '../../plots/index.js';
import { ProblemError } from '../../problems.js';
import type { pictureQuerySchema } from '../../schemas/plots.js';
import { meanFieldBodySchema, phaseDiagramBodySchema } from '../../schemas/theory.js';
import { breakpointsOf } from '../../theory/breakpoints.js';
import { DEFAULT_GAUSS_HERMITE_NODES } from '../../theory/gauss-hermite.js';
import { splitIntoPieces } from '../../theory/polynomial-pieces.js';
import { meanField, type MeanFieldResult } from '../../theory/mean-field.js';
import { phaseDiagram, type PhaseDiagram } from '../../theory/phase-diagram.js';
import { bind, refOf, type ActivationRef } from '../activation-refs.js';
import { JSON_NUMBER_BYTES, plus, type Work } from '../cost.js';
import { defineOperation, type Representation } from '../operation.js';
import { pictureOptionsOf, pictureWork, type PictureOptions } from '../pictures.js';

/** Mean-field theory (Poole et al. 2016; Schoenholz et al. 2017): the length map, χ₁, depth scales, the phase diagram. */

/**
 * Kernel calls per quadrature node for one grid cell (the fixed point of the
 * length map, then χ₁) and per layer of the length map. An analytic
 * activation is integrated with nodeCount Gauss–Hermite nodes; a piecewise
 * one piece by piece: a piece where φ and φ′ are polynomials of degree ≤ 2
 * (ReLU's, hardtanh's, the linear side of ELU) in closed form, about
 * CLOSED_FORM_NODES' worth of work, any other piece on Gauss–Legendre panels
 * of about PIECEWISE_NODES nodes. Fitted by bench:cost (gelu, tanh, relu, elu).
 */
const CALLS_PER_NODE_AND_CELL = 40;
const CALLS_PER_NODE_AND_LAYER = 6;
const PIECEWISE_NODES = 160;
const CLOSED_FORM_NODES = 2;

function quadratureNodes(activation: ActivationRef, nodeCount: number | undefined): number {
  const resolved = bind(activation);
  const breakpoints = breakpointsOf(resolved);
  if (breakpoints.length === 0) return nodeCount ?? DEFAULT_GAUSS_HERMITE_NODES;
  const kernel = resolved.record.kernel(resolved.params, { mode: 'eval', count: 1, uniform: () => 0.5 });
  return splitIntoPieces(kernel, breakpoints).reduce((nodes, piece) => nodes + (piece.value !== null && piece.derivative !== null ? CLOSED_FORM_NODES : PIECEWISE_NODES), 0);
}

type Labelled<Result> = Result & { activation: string; params: Record<string, number | string> };

interface MeanFieldPlan {
  activation: ActivationRef;
  sigmaW2: number;
  sigmaB2: number;
  depth: number;
  initialLength?: number;
  nodeCount?: number;
}

export const meanFieldOperation = defineOperation({
  id: 'meanField',
  bodySchema: meanFieldBodySchema,
  representations: ['json'],
  plan: ({ body }: { body: z.output<typeof meanFieldBodySchema> }): MeanFieldPlan => ({
    activation: refOf(body.activation, ['activation']),
    sigmaW2: body.sigmaW2,
    sigmaB2: body.sigmaB2,
    depth: body.depth,
    ...(body.initialLength === undefined ? {} : { initialLength: body.initialLength }),
    ...(body.nodeCount === undefined ? {} : { nodeCount: body.nodeCount }),
  }),
  cost: (plan): Work => {
    const nodes = quadratureNodes(plan.activation, plan.nodeCount);
    return plus({
      elementOps: nodes * (CALLS_PER_NODE_AND_CELL + CALLS_PER_NODE_AND_LAYER * plan.depth),
      passes: plan.depth,
      workingBytes: 64 * (plan.depth + nodes),
      answerBytes: 2 * JSON_NUMBER_BYTES * plan.depth + 2000,
    });
  },
  run: ({ activation, ...options }): Labelled<MeanFieldResult> => ({ activation: activation.id, params: activation.params, ...meanField(bind(activation), options) }),
});

interface PhaseDiagramPlan {
  activation: ActivationRef;
  sigmaW2: { start: number; stop: number; count: number };
  sigmaB2: { start: number; stop: number; count: number };
  nodeCount?: number;
  picture: PictureOptions;
}

/** JSON bytes of one grid cell (χ₁, q*, the fixed point's kind and the phase). */
const CELL_ANSWER_BYTES = 2 * JSON_NUMBER_BYTES + 24;

export const phaseDiagramOperation = defineOperation({
  id: 'phaseDiagram',
  bodySchema: phaseDiagramBodySchema,
  representations: ['json', 'svg', 'png', 'vegalite'],
  plan: ({ body, query, representation }: { body: z.output<typeof phaseDiagramBodySchema>; query: z.output<typeof pictureQuerySchema>; representation: Representation }): PhaseDiagramPlan => {
    const cells = body.sigmaW2.count * body.sigmaB2.count;
    if (representation !== 'json' && cells > MAX_PHASE_DIAGRAM_CELLS) {
      const message = `A chart shows at most ${MAX_PHASE_DIAGRAM_CELLS} cells; this grid has ${body.sigmaW2.count} × ${body.sigmaB2.count} = ${cells}. Ask for JSON, or a coarser grid.`;
      throw new ProblemError('validation', message, { errors: [{ path: 'sigmaW2.count', message }] });
    }
    return {
      activation: refOf(body.activation, ['activation']),
      sigmaW2: body.sigmaW2,
      sigmaB2: body.sigmaB2,
      ...(body.nodeCount === undefined ? {} : { nodeCount: body.nodeCount }),
      picture: pictureOptionsOf(representation, query),
    };
  },
  cost: (plan): Work => {
    const cells = plan.sigmaW2.count * plan.sigmaB2.count;
    const nodes = quadratureNodes(plan.activation, plan.nodeCount);
    const work = plus({ elementOps: cells * nodes * CALLS_PER_NODE_AND_CELL, passes: cells, workingBytes: 200 * cells, answerBytes: cells * CELL_ANSWER_BYTES });
    return plan.picture.representation === 'json' ? work : plus({ ...work, answerBytes: 0 }, pictureWork(plan.picture, cells, { width: 420, height: 340 }));
  },
  run: ({ activation, picture: _picture, ...options }): Labelled<PhaseDiagram> => ({
    activation: activation.id,
    params: activation.params,
    ...phaseDiagram(bind(activation), options),
  }),
  spec: (diagram, { picture }) =>
    phaseDiagramSpec({
      sigmaW2: diagram.sigmaW2,
      sigmaB2: diagram.sigmaB2,
      chi1: diagram.chi1.map((row) => row.map((chi) => chi ?? Number.NaN)),
      criticalLine: diagram.criticalLine,
      activation: diagram.activation,
      width: picture.width,
      height: picture.height,
      title: picture.title,
    }),
});
