import { z } from 'zod';
import { initSchemeAliases, initSchemes } from '../simulation/init.js';
import { DEFAULT_SEED, MAX_SEED } from '../random.js';
import { recurrentCells } from '../simulation/recurrent/spec.js';
import { activationReferenceSchema } from './activations.js';
import { finiteMatrix, finiteNumbers } from './numbers.js';

/** Request schemas of the simulation endpoints. Hard ceilings here; the cost limit (422) is checked after parsing. */

/** Ceilings on single dimensions, so that a request is bounded before its cost is even estimated. */
export const simulationCeilings = {
  depth: 10_000,
  width: 8192,
  batchSize: 8192,
  trials: 64,
  steps: 10_000,
} as const;

const count = (maximum: number, description: string) => z.number().int().min(1).max(maximum).describe(description);

const seedSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_SEED)
  .default(DEFAULT_SEED)
  .describe(`Seed of every random draw (weights, inputs, targets); the same request gives the same answer bit for bit. Default ${DEFAULT_SEED}.`);

const initSchemeNames = [...initSchemes, ...(Object.keys(initSchemeAliases) as (keyof typeof initSchemeAliases)[])] as const;

/** Aliases stay aliases here (a transform would drop the examples of every schema that holds one); initSpecOf maps them. */
export const initSchemeSchema = z
  .enum(initSchemeNames)
  .meta({
    id: 'InitScheme',
    description:
      'PyTorch\'s and Keras\'s names are accepted too: kaiming_normal/kaiming_uniform (he_*), glorot_normal/glorot_uniform (xavier_*), eye (identity), and torch.nn.init\'s in-place spellings with a trailing underscore. Weight initialisation (fan_in = n_{l−1}, fan_out = n_l, gain g): xavier_normal std g·√(2/(fan_in+fan_out)); xavier_uniform bound g·√(6/(fan_in+fan_out)); he_normal std g·√(2/((1+a²)·fan_in)) with a the leaky_relu/prelu slope (0 otherwise); he_uniform bound g·√(6/((1+a²)·fan_in)); lecun_normal std g·√(1/fan_in); lecun_uniform bound g·√(3/fan_in); orthogonal g·Q (QR of a Gaussian matrix, signs folded); normal N(0, std²); uniform U(−bound, bound); zeros; identity g·I (square layers).',
  });

export const initSchema = z
  .union([
    initSchemeSchema,
    z.strictObject({
      scheme: initSchemeSchema,
      gain: z.number().positive().optional().describe('Multiplies the scheme\'s scale (default 1). PyTorch\'s recommended gains: tanh 5/3, relu √2, selu 3/4.'),
      std: z.number().positive().optional().describe('Standard deviation of `normal` (default 0.05).'),
      bound: z.number().positive().optional().describe('Half-width of `uniform` (default 0.05).'),
    }),
  ])
  .meta({
    id: 'Init',
    description: 'A scheme name, or `{ scheme, gain?, std?, bound? }`.',
    examples: ['he_normal', { scheme: 'orthogonal', gain: 1.6667 }],
  });


/** A layer's skip connection: none, plain, or a normalised block in either order (Xiong et al. 2020). */
export const residualSchema = z
  .union([z.boolean(), z.enum(['post-norm', 'pre-norm'])])
  .default(false)
  .meta({ id: 'Residual' });

export const layerSchema = z
  .strictObject({
    width: count(simulationCeilings.width, 'Number of units n_l.'),
    activation: activationReferenceSchema,
    init: initSchema.optional().describe('Default `xavier_normal`. Ignored when `weights` is given.'),
    bias: z.boolean().default(true).describe('Whether the layer has a bias (initialised to 0 unless `biases` is given). Default true.'),
    batchNorm: z.boolean().default(false).describe('Normalise z per unit over the batch before φ (training-mode statistics, ε = 1e−5, scale 1, shift 0).'),
    layerNorm: z.boolean().default(false).describe('Normalise z per example over the layer\'s units before φ (ε = 1e−5, biased variance, no scale or shift): where batchNorm sits; not with batchNorm.'),
    residual: residualSchema.describe('`true`: a^l = a^{l−1} + φ(z^l); `"post-norm"`: a^l = LN(a^{l−1} + φ(z^l)); `"pre-norm"`: a^l = a^{l−1} + φ(LN(a^{l−1})·W^l + b^l). Needs the same width as the previous layer.'),
    weights: finiteMatrix().optional().describe('Explicit W^l: n_{l−1} rows of n_l numbers. With explicit weights the simulation runs in float64.'),
    biases: finiteNumbers().optional().describe('Explicit b^l: n_l numbers.'),
  })
  .meta({ id: 'Layer' });

export const explicitNetworkSchema = z
  .strictObject({
    inputSize: count(simulationCeilings.width, 'n_0, the width of the input.'),
    layers: z.array(layerSchema).min(1).max(simulationCeilings.depth).describe('The layers, first to last.'),
  })
  .meta({ id: 'ExplicitNetwork', description: 'Every layer spelled out.' });

export const shorthandNetworkSchema = z
  .strictObject({
    inputSize: count(simulationCeilings.width, 'n_0 (default: `width`).').optional(),
    depth: count(simulationCeilings.depth, 'Number of layers L.'),
    width: count(simulationCeilings.width, 'Width of every layer.'),
    activation: activationReferenceSchema,
    init: initSchema.optional().describe('Default `xavier_normal`.'),
    bias: z.boolean().default(true),
    batchNorm: z.boolean().default(false),
    layerNorm: z.boolean().default(false).describe('Layer normalisation of z before φ on every layer.'),
    residual: residualSchema.describe('Residual blocks (`true`, `"post-norm"` or `"pre-norm"`) on every layer whose input has the same width.'),
  })
  .meta({ id: 'UniformNetwork', description: '`depth` identical layers of `width` units.' });

export const networkSchema = z
  .union([explicitNetworkSchema, shorthandNetworkSchema], {
    error: 'Expected a network: { inputSize, layers: [...] } or { depth, width, activation, ... }.',
  })
  .meta({ id: 'Network' });

export const feedforwardInputSchema = z
  .union([
    z.strictObject({
      batchSize: count(simulationCeilings.batchSize, 'Examples B in the batch.').default(64),
      distribution: z.enum(['normal', 'uniform']).default('normal').describe('`normal`: scale·N(0, 1); `uniform`: U(−scale, scale).'),
      scale: z.number().positive().default(1),
    }),
    z.strictObject({
      values: finiteMatrix(simulationCeilings.batchSize).describe('X itself: one row of inputSize numbers per example.'),
    }),
  ])
  .meta({ id: 'FeedforwardInput', description: 'A random batch (default 64 examples from N(0, 1)) or explicit values.' });

export const lossSchema = z
  .strictObject({
    type: z.enum(['mse', 'sum']).default('mse').describe('`mse`: L = ‖a^L − Y‖²/(2B); `sum`: L = Σ a^L / B, the cleanest probe of pure propagation.'),
    targets: finiteMatrix().optional().describe('mse: Y, one row per example; drawn from N(0, 1) when absent.'),
  })
  .meta({ id: 'Loss' });

export const feedforwardBodySchema = z
  .strictObject({
    network: networkSchema,
    input: feedforwardInputSchema.optional(),
    loss: lossSchema.optional(),
    trials: count(simulationCeilings.trials, 'Independent random networks (default 1); figures are then means with their spread.').default(1),
    seed: seedSchema,
    precision: z
      .enum(['float32', 'float64'])
      .optional()
      .describe('Default float32 (fast products) for random networks, float64 when any layer has explicit weights.'),
  })
  .meta({
    id: 'FeedforwardRequest',
    examples: [
      { network: { depth: 30, width: 256, activation: 'sigmoid', init: 'xavier_normal' }, input: { batchSize: 128 }, seed: 1 },
      { network: { depth: 30, width: 256, activation: 'relu', init: 'he_normal' }, loss: { type: 'sum' }, trials: 4 },
    ],
  });

const recurrentWeightsSchema = z
  .strictObject({
    weightIh: finiteMatrix().describe('W_ih, PyTorch\'s weight_ih_l0: G·hiddenSize rows of inputSize numbers, G gate blocks of hiddenSize rows stacked (G = 1 for the RNN; 4 for the LSTM, in the order i, f, g, o; 3 for the GRU, in the order r, z, n).'),
    weightHh: finiteMatrix().describe('W_hh, PyTorch\'s weight_hh_l0: G·hiddenSize rows of hiddenSize numbers, the gates stacked as in weightIh.'),
    biasIh: finiteNumbers().optional().describe('b_ih, PyTorch\'s bias_ih_l0: G·hiddenSize numbers (default zeros, PyTorch\'s bias=False).'),
    biasHh: finiteNumbers().optional().describe('b_hh, PyTorch\'s bias_hh_l0: G·hiddenSize numbers (default zeros).'),
  })
  .meta({
    id: 'RecurrentWeights',
    description:
      'The weights of torch.nn.RNN, LSTM or GRU (one layer) copied one-to-one: the gates are x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, except the GRU\'s candidate n = tanh(x·W_inᵀ + b_in + r ⊙ (h·W_hnᵀ + b_hn)). With weights the simulation runs in float64 unless precision says otherwise; recurrentInit, inputInit and forgetBias (which shape drawn weights) are refused.',
  });

export const recurrentBodySchema = z
  .strictObject({
    cell: z.enum(recurrentCells).describe('Vanilla RNN h_t = φ(x_t W_x + h_{t−1} W_h + b), LSTM with a forget gate, or GRU in PyTorch\'s form (the reset gate multiplies h_{t−1}W_hn + b_hn).'),
    inputSize: count(simulationCeilings.width, 'Width of x_t.'),
    hiddenSize: count(simulationCeilings.width, 'Width of h_t.'),
    steps: count(simulationCeilings.steps, 'Time steps T.'),
    activation: activationReferenceSchema.optional().describe('RNN only (default tanh).'),
    recurrentInit: initSchema.optional().describe('W_h (default orthogonal, gain 1: every singular value 1, so what the gradient does is the activation\'s doing). Not with `weights`.'),
    inputInit: initSchema.optional().describe('W_x (default xavier_uniform). Not with `weights`.'),
    forgetBias: z.number().optional().describe('LSTM only: the forget gate\'s bias (default 1). Not with `weights`, whose biases are used as given.'),
    weights: recurrentWeightsSchema.optional().describe('Explicit weights in PyTorch\'s layout instead of drawn ones.'),
    input: z
      .strictObject({
        values: z
          .array(finiteMatrix(simulationCeilings.batchSize))
          .min(1)
          .max(simulationCeilings.steps)
          .describe('x_1 … x_T as PyTorch\'s T × B × inputSize input: `steps` blocks, each one row of inputSize numbers per sequence.'),
      })
      .optional()
      .describe('The inputs themselves (default: drawn from N(0, 1) with the seed).'),
    loss: z
      .strictObject({
        targets: finiteMatrix(simulationCeilings.batchSize).optional().describe('Y of L = ‖h_T − Y‖²/(2B): one row of hiddenSize numbers per sequence (default: drawn from N(0, 1) with the seed).'),
      })
      .optional(),
    batchSize: count(simulationCeilings.batchSize, 'Sequences in the batch (default 32, or the batch of input.values).').optional(),
    seed: seedSchema,
    precision: z.enum(['float32', 'float64']).optional().describe('float32 products (fast) or float64 (exact, slower). Default float32, float64 with explicit weights.'),
  })
  .meta({
    id: 'RecurrentRequest',
    examples: [
      { cell: 'rnn', inputSize: 32, hiddenSize: 128, steps: 100 },
      { cell: 'lstm', inputSize: 32, hiddenSize: 128, steps: 100, forgetBias: 1 },
      { cell: 'gru', inputSize: 32, hiddenSize: 128, steps: 100 },
      {
        cell: 'gru',
        inputSize: 1,
        hiddenSize: 1,
        steps: 2,
        weights: { weightIh: [[0.5], [-0.3], [0.8]], weightHh: [[0.2], [0.4], [-0.6]], biasIh: [0, 0.1, 0], biasHh: [0, 0, 0.2] },
        input: { values: [[[1]], [[-1]]] },
        loss: { targets: [[0.5]] },
      },
    ],
  });

// ---- responses ----------------------------------------------------------------

const nullableNumber = (description: string) => z.number().nullable().describe(description);

const spreadSchema = z
  .object({
    std: z.number().nullable(),
    min: z.number().nullable(),
    max: z.number().nullable(),
  })
  .meta({ id: 'Spread', description: 'How a figure scatters across trials (null where some trial\'s log10 is −∞, an exactly-zero norm).' });

const verdictSchema = z
  .enum(['vanishing', 'exploding', 'stable'])
  .meta({
    id: 'Verdict',
    description: 'vanishing when log10GradientRatio < −1 (the first layer, or step, gets less than a tenth of the gradient of the last), exploding when > 1, stable otherwise.',
  });

const precisionSchema = z.enum(['float32', 'float64']).describe('The arithmetic the simulation ran in.');

const gradientFiguresSchema = z
  .object({
    preactivationNorm: nullableNumber('‖∂L/∂z^l‖_F. 0 where it underflows float64, null where it overflows.'),
    outputNorm: nullableNumber('‖∂L/∂a^l‖_F.'),
    weightNorm: nullableNumber('‖∂L/∂W^l‖_F.'),
    biasNorm: nullableNumber('‖∂L/∂b^l‖₂; null without a bias or with batch norm (which cancels it).'),
    log10PreactivationNorm: nullableNumber('log10 ‖∂L/∂z^l‖, exact even where the plain norm underflows; null only for an exactly-zero norm.'),
    log10OutputNorm: nullableNumber('log10 ‖∂L/∂a^l‖.'),
    log10WeightNorm: nullableNumber('log10 ‖∂L/∂W^l‖.'),
    log10BiasNorm: nullableNumber('log10 ‖∂L/∂b^l‖.'),
  })
  .meta({ id: 'GradientFigures' });

export const feedforwardLayerResultSchema = z
  .object({
    index: z.number().int().describe('1-based, in request order.'),
    width: z.number().int(),
    activation: z.string().describe('Canonical activation id.'),
    preactivation: z.object({ mean: z.number(), std: z.number() }).describe('Statistics of z^l over the batch (before batch normalisation).'),
    output: z
      .object({
        mean: z.number(),
        std: z.number(),
        fractionZero: z.number().describe('Fraction of a^l exactly 0: dead units.'),
        fractionSaturated: z.number().describe('Fraction of units with |φ′(z)| < 0.01.'),
      })
      .describe('Statistics of a^l.'),
    gradient: gradientFiguresSchema,
    spread: z
      .object({
        log10PreactivationNorm: spreadSchema,
        log10OutputNorm: spreadSchema,
        log10WeightNorm: spreadSchema,
        log10BiasNorm: spreadSchema.nullable(),
      })
      .optional()
      .describe('With trials > 1: how the log10 figures scatter (the figures above are then means).'),
  })
  .meta({ id: 'FeedforwardLayerResult' });

export const feedforwardResponseSchema = z
  .object({
    layers: z.array(feedforwardLayerResultSchema),
    loss: z.number().describe('The loss (mean over trials).'),
    summary: z
      .object({
        log10GradientRatio: nullableNumber('log10(‖∂L/∂W^1‖ / ‖∂L/∂W^L‖): how much smaller the first layer\'s weight gradient is than the last\'s.'),
        meanLog10GainPerLayer: nullableNumber('(log10 ‖∂L/∂z^1‖ − log10 ‖∂L/∂z^L‖)/(L − 1): the mean log10 change of the gradient per layer, going back.'),
        verdict: verdictSchema,
        spread: z.object({ log10GradientRatio: spreadSchema, meanLog10GainPerLayer: spreadSchema }).optional(),
      })
      .meta({ id: 'FeedforwardSummary' }),
    seed: z.number().int(),
    trials: z.number().int(),
    precision: precisionSchema,
    theory: z
      .object({
        sigmaW2: z.number().describe('σ_w² = fan_in·Var(W) of the initialisation.'),
        sigmaB2: z.number(),
        qStar: z.number().nullable(),
        chi1: z.number().nullable(),
        phase: z.enum(['ordered', 'critical', 'chaotic']),
        predictedMeanLog10GainPerLayer: z.number().nullable().describe('½·mean log10 χ(q^l): what mean-field theory expects of meanLog10GainPerLayer.'),
        measuredMeanLog10GainPerLayer: z.number().nullable(),
        layers: z.array(
          z.object({
            index: z.number().int(),
            preactivationVariance: z.number().nullable().describe('Predicted q^l.'),
            measuredPreactivationVariance: z.number().describe('Measured E[(z^l)²].'),
            log10PreactivationNorm: z.number().nullable().describe('Predicted log10 ‖∂L/∂z^l‖, anchored at the measured last layer.'),
            gap: z.number().nullable().describe('Measured minus predicted log10 ‖∂L/∂z^l‖.'),
          }),
        ),
      })
      .optional()
      .describe('Mean-field predictions beside the measurement, when the network is one the theory describes: every layer as wide as the input, one activation and one random scheme, no explicit weights, batch norm or residual connections, a random input.'),
  })
  .meta({ id: 'FeedforwardResult' });

const recurrentStepSchema = z
  .object({
    t: z.number().int().describe('Time step, 1 … T.'),
    gradientNorm: nullableNumber('‖∂L/∂h_t‖_F over the batch; 0 where it underflows float64.'),
    log10GradientNorm: nullableNumber('log10 ‖∂L/∂h_t‖, exact where the plain norm underflows.'),
    hidden: z.object({ mean: z.number(), std: z.number() }).describe('Statistics of h_t.'),
    fractionSaturated: z.number().optional().describe('RNN: fraction of units with |φ′| < 0.01.'),
    cellGradientNorm: nullableNumber('LSTM: ‖∂L/∂c_t‖_F.').optional(),
    log10CellGradientNorm: nullableNumber('LSTM: log10 ‖∂L/∂c_t‖.').optional(),
    gates: z
      .union([
        z.object({ input: z.number(), forget: z.number(), candidate: z.number(), output: z.number() }).describe('LSTM: i, f, g, o.'),
        z.object({ reset: z.number(), update: z.number(), candidate: z.number() }).describe('GRU: r, z, n.'),
      ])
      .optional()
      .describe('LSTM and GRU: mean gate activations at step t.'),
  })
  .meta({ id: 'RecurrentStep' });

export const recurrentResponseSchema = z
  .object({
    cell: z.enum(recurrentCells),
    steps: z.array(recurrentStepSchema),
    summary: z
      .object({
        log10GradientRatio: nullableNumber('log10(‖∂L/∂h_1‖ / ‖∂L/∂h_T‖): how much of the signal from the end reaches the beginning.'),
        meanLog10GainPerStep: nullableNumber('log10GradientRatio / (T − 1).'),
        verdict: verdictSchema,
        loss: z.number(),
      })
      .meta({ id: 'RecurrentSummary' }),
    seed: z.number().int(),
    precision: precisionSchema,
  })
  .meta({ id: 'RecurrentResult' });

// ---- Jacobian spectrum ----------------------------------------------------------

export const jacobianBodySchema = z
  .strictObject({
    network: networkSchema,
    biasStd: z.number().min(0).max(100).default(0).describe('σ_b: biases ~ N(0, σ_b²) on every layer that has one (default 0). Criticality of tanh depends on it.'),
    input: z
      .union([
        z.strictObject({ variance: z.number().positive().max(1e6).describe('q⁰: the input a⁰ ~ N(0, q⁰ I).') }),
        z.strictObject({ values: finiteNumbers().describe('The input a⁰ itself (inputSize numbers).') }),
      ])
      .default({ variance: 1 })
      .describe('The point at which J is taken (default a⁰ ~ N(0, I)).'),
    histogram: z
      .strictObject({
        bins: z.number().int().min(1).max(1000).default(40),
        scale: z.enum(['log10', 'linear']).default('log10').describe('Bins in log10 σ (default: deep spectra span decades) or in σ.'),
      })
      .default({ bins: 40, scale: 'log10' }),
    everyLayer: z.boolean().default(false).describe('Also the spectrum of ∂a^l/∂a⁰ after every layer (one SVD per layer).'),
    precision: z.enum(['float32', 'float64']).optional().describe('How J is accumulated (default float64 when cheap, float32 otherwise); the SVD is always float64.'),
    seed: seedSchema,
  })
  .meta({
    id: 'JacobianRequest',
    examples: [
      { network: { depth: 20, width: 256, activation: 'tanh', init: 'orthogonal' }, biasStd: 0.01 },
      { network: { depth: 20, width: 256, activation: 'relu', init: 'he_normal' } },
    ],
  });

const spectrumSchema = z
  .object({
    depth: z.number().int().describe('l: the spectrum of ∂a^l/∂a⁰.'),
    count: z.number().int().describe('min(n₀, n_l) singular values.'),
    singularValues: z.array(z.number()).nullable().describe('Descending; null when there are more than 1024 (and for per-layer spectra).'),
    squaredSingularValues: z
      .object({
        mean: z.number().nullable().describe('Mean of σ² = ‖J‖²_F / count: what χ₁^L predicts.'),
        variance: z.number().nullable(),
        relativeVariance: z.number().nullable().describe('variance / mean²: 0 for perfect dynamical isometry.'),
        log10Mean: z.number().nullable(),
      })
      .describe('Statistics of σ².'),
    maxSingularValue: z.number().nullable(),
    minSingularValue: z.number().nullable(),
    log10MaxSingularValue: z.number().nullable(),
    log10MinSingularValue: z.number().nullable(),
    conditionNumber: z.number().nullable().describe('σ_max/σ_min; null when J is numerically singular.'),
    numericalRank: z.number().int(),
    histogram: z.object({
      scale: z.enum(['log10', 'linear']),
      edges: z.array(z.number()).describe('bins + 1 edges, in log10 σ or σ.'),
      counts: z.array(z.number().int()),
      zeros: z.number().int().describe('Singular values counted as exactly 0 (numerically).'),
      below: z.number().int(),
      above: z.number().int(),
    }),
  })
  .meta({ id: 'JacobianSpectrum' });

export const jacobianResponseSchema = z
  .object({
    inputSize: z.number().int(),
    outputSize: z.number().int(),
    spectrum: spectrumSchema,
    layers: z.array(spectrumSchema).nullable().describe('With everyLayer: the spectrum after each layer.'),
    depthProfile: z
      .array(
        z.object({
          depth: z.number().int(),
          preactivationMeanSquare: z.number().describe('Measured q^l.'),
          log10MeanSquaredSingularValue: z.number().nullable().describe('log10 of the mean σ² of ∂a^l/∂a⁰ (from ‖J‖_F, no SVD), to compare with l·log10 χ₁.'),
        }),
      )
      .describe('Per layer, at no extra cost.'),
    seed: z.number().int(),
    precision: precisionSchema,
  })
  .meta({ id: 'JacobianResult' });
