import { z } from 'zod';
import { DEFAULT_DEPTH, MAX_DEPTH } from '../theory/mean-field.js';
import { MAX_PHASE_DIAGRAM_POINTS_PER_AXIS } from '../theory/phase-diagram.js';
import { MAX_GAUSS_HERMITE_NODES } from '../theory/gauss-hermite.js';
import { activationReferenceSchema } from './activations.js';

/** Request and response schemas of the mean-field theory endpoints. */

/** Below this a nonzero variance is numerically 0 for the quadrature; ask for 0 itself instead. */
const MIN_NONZERO_VARIANCE = 1e-12;
const variance = (description: string) =>
  z
    .number()
    .min(0)
    .max(1000)
    .refine((value) => value === 0 || value >= MIN_NONZERO_VARIANCE, `must be 0 or at least ${MIN_NONZERO_VARIANCE}`)
    .describe(description);
const nullable = (description: string) => z.number().nullable().describe(description);

const phaseSchema = z
  .enum(['ordered', 'critical', 'chaotic'])
  .meta({ id: 'Phase', description: 'ordered when χ₁ < 1 − 10⁻³ (gradients vanish), chaotic when χ₁ > 1 + 10⁻³ (they explode), critical in between.' });

const fixedPointSchema = z
  .enum(['converged', 'zero', 'diverges'])
  .describe('converged: a finite q* > 0; zero: q^l → 0 (e.g. tanh with σ_b² = 0, σ_w² ≤ 1); diverges: q^l → ∞ (e.g. ReLU with σ_w² > 2).');

export const meanFieldBodySchema = z
  .strictObject({
    activation: activationReferenceSchema,
    sigmaW2: variance('σ_w²: weights W_ij ~ N(0, σ_w²/n).'),
    sigmaB2: variance('σ_b²: biases b_i ~ N(0, σ_b²).').default(0),
    depth: z.number().int().min(1).max(MAX_DEPTH).default(DEFAULT_DEPTH).describe(`Layers for the length map and the gradient prediction (default ${DEFAULT_DEPTH}).`),
    initialLength: z.number().min(MIN_NONZERO_VARIANCE).max(1e6).optional().describe('q⁰, the first layer\'s preactivation variance (default σ_w² + σ_b²: unit-variance inputs).'),
    nodeCount: z.number().int().min(8).max(MAX_GAUSS_HERMITE_NODES).optional().describe('Gauss–Hermite nodes for smooth activations (default 128).'),
  })
  .meta({ id: 'MeanFieldRequest', examples: [{ activation: 'tanh', sigmaW2: 1, sigmaB2: 0.05, depth: 30 }, { activation: 'relu', sigmaW2: 2 }] });

export const meanFieldResponseSchema = z
  .object({
    activation: z.string(),
    params: z.record(z.string(), z.union([z.number(), z.string()])),
    sigmaW2: z.number(),
    sigmaB2: z.number(),
    fixedPoint: fixedPointSchema,
    qStar: nullable('q*, the fixed point of the length map q^l = σ_w² ∫φ(√q^{l−1} z)² Dz + σ_b²; 0 for `zero`, null when it diverges.'),
    chi1: nullable('χ₁ = σ_w² ∫φ′(√q* z)² Dz: squared gradient norms change by about χ₁ per layer.'),
    phase: phaseSchema,
    xiC: nullable('ξ_c = −1/ln χ₁, the depth scale of correlations (signed: negative in the chaotic phase); null when infinite (χ₁ = 1, then xiCInfinite).'),
    xiCInfinite: z.boolean(),
    lengthMapSlope: nullable('λ_q = χ₁ + σ_w² ∫φ″φ Dz, the slope of the length map at q*.'),
    xiQ: nullable('ξ_q = −1/ln|λ_q|, the depth over which q^l settles; null when infinite (xiQInfinite) or without a fixed point.'),
    xiQInfinite: z.boolean(),
    depth: z.number().int(),
    initialLength: z.number(),
    lengths: z.array(z.number().nullable()).describe('q⁰ … q^depth (null where it overflows float64).'),
    chiByLayer: z.array(z.number().nullable()).describe('χ(q^l) = σ_w² ∫φ′(√q^l z)² Dz for l = 0 … depth − 1.'),
    log10GradientChange: nullable('½·depth·log10 χ₁: the predicted log10 change of the gradient norm over `depth` layers at the fixed point (negative: vanishing).'),
    log10GradientChangeByLayer: nullable('½·Σ log10 χ(q^l): the same following q^l from q⁰, better before q has converged.'),
  })
  .meta({ id: 'MeanFieldResult' });

const axisSchema = (name: string) =>
  z
    .strictObject({
      start: variance(`First ${name}.`),
      stop: variance(`Last ${name} (included).`),
      count: z.number().int().min(2).max(MAX_PHASE_DIAGRAM_POINTS_PER_AXIS).describe(`Grid points, at most ${MAX_PHASE_DIAGRAM_POINTS_PER_AXIS}.`),
    })
    .refine((axis) => axis.stop > axis.start, { message: 'stop must exceed start', path: ['stop'] });

export const phaseDiagramBodySchema = z
  .strictObject({
    activation: activationReferenceSchema,
    sigmaW2: axisSchema('σ_w²').default({ start: 0.5, stop: 4, count: 36 }),
    sigmaB2: axisSchema('σ_b²').default({ start: 0, stop: 0.5, count: 26 }),
    nodeCount: z.number().int().min(8).max(MAX_GAUSS_HERMITE_NODES).optional(),
  })
  .meta({ id: 'PhaseDiagramRequest', examples: [{ activation: 'tanh', sigmaW2: { start: 0.5, stop: 4, count: 36 }, sigmaB2: { start: 0, stop: 0.5, count: 26 } }] });

export const phaseDiagramResponseSchema = z
  .object({
    activation: z.string(),
    params: z.record(z.string(), z.union([z.number(), z.string()])),
    sigmaW2: z.array(z.number()).describe('The columns.'),
    sigmaB2: z.array(z.number()).describe('The rows.'),
    chi1: z.array(z.array(z.number().nullable())).describe('χ₁ at (sigmaW2[j], sigmaB2[i]), one row per σ_b².'),
    qStar: z.array(z.array(z.number().nullable())),
    fixedPoint: z.array(z.array(fixedPointSchema)),
    phase: z.array(z.array(phaseSchema)),
    criticalLine: z
      .array(z.object({ sigmaB2: z.number(), sigmaW2: z.number(), branch: z.number().int() }))
      .describe('Where χ₁ = 1, refined by Brent\'s method per row; joining the points of one branch in order gives the polyline.'),
  })
  .meta({ id: 'PhaseDiagram' });
