import { z } from 'zod';

/**
 * The answer of POST /v1/training (contract: /work/shared/spec/training.md).
 * The request schema is in training-request.ts.
 */

const layerEntrySchema = z
  .object({
    index: z.number().int().describe('1-based; the output head is the last index (L + 1). A recurrent run has two: the cell ([W_ih W_hh]) and the head.'),
    gradientNorm: z.number().describe('‖∂L/∂Wˡ‖ (Frobenius) of the mini-batch gradient of the last update before this entry (at step 0: of the first mini-batch, before it is applied); raw, before weight decay and clipping.'),
    log10GradientNorm: z.number().nullable().describe('log10 of gradientNorm; null when it is exactly 0.'),
    updateRatio: z.number().nullable().describe('‖W_after − W_before‖ / ‖W_before‖ of that update; null at step 0 (and when ‖W_before‖ = 0).'),
    fractionDead: z.number().describe('Fraction of (example, unit) pairs of the training set whose output aˡ is exactly 0.'),
    fractionSaturated: z.number().describe('Fraction of (example, unit) pairs with |φ′(z)| < 0.01, on the training set.'),
    params: z.record(z.string(), z.number()).describe('The layer\'s learnable activation parameters at this step (PReLU `alpha`, swish `beta`); {} for other activations.'),
  })
  .meta({ id: 'TrainingLayerEntry' });

export const trainingEntrySchema = z
  .object({
    step: z.number().int().describe('Updates applied so far.'),
    throughTime: z
      .object({
        steps: z.array(z.number().int()).describe('The time steps t (1-based) reported: all of them up to 200, else 200 evenly spaced and the last.'),
        log10Norms: z.array(z.number().nullable()).describe('log10 ‖∂L/∂h_t‖ of the entry\'s mini-batch gradient at those steps (null where it is 0).'),
        log10Ratio: z.number().nullable().describe('log10 ‖∂L/∂h_1‖/‖∂L/∂h_T‖: how much of the gradient reaches the first step.'),
      })
      .optional()
      .describe('Recurrent runs only: the gradient through time.'),
    epoch: z.number().describe('step · batchSize / trainSize.'),
    trainLoss: z.number().describe('Loss over the whole training set with the parameters after `step` updates (evaluation mode).'),
    trainAccuracy: z.number().nullable().describe('Fraction classified right (null for mse).'),
    testLoss: z.number().nullable().describe('Null without test data.'),
    testAccuracy: z.number().nullable(),
    layers: z.array(layerEntrySchema),
  })
  .meta({ id: 'TrainingEntry' });

const runWeightsSchema = z
  .object({
    weights: z.array(z.array(z.number())).describe('n_{l−1} rows of n_l numbers.'),
    biases: z.array(z.number()).nullable(),
    params: z.record(z.string(), z.number()),
  })
  .meta({ id: 'TrainedLayer' });

export const trainingRunSchema = z
  .object({
    label: z.string(),
    history: z.array(trainingEntrySchema).describe('Step 0, then every `evaluateEvery` steps, and the last step.'),
    final: trainingEntrySchema.describe('The last entry of `history`.'),
    divergedAtStep: z
      .number()
      .int()
      .nullable()
      .describe('The update at which the loss, a gradient or a parameter stopped being finite; the run stopped there and `final` is its last finite entry. null when it ran every step.'),
    weights: z.array(runWeightsSchema).optional().describe('With `returnWeights`: every layer\'s trained parameters, the head last.'),
  })
  .meta({ id: 'TrainingRun' });

export const trainingResponseSchema = z
  .object({
    runs: z.array(trainingRunSchema),
    seed: z.number().int(),
    precision: z.enum(['float32', 'float64']),
  })
  .meta({ id: 'TrainingResponse' });

export type TrainingEntry = z.output<typeof trainingEntrySchema>;
export type TrainingResponse = z.output<typeof trainingResponseSchema>;

/** One NDJSON line of a streamed training: an entry as it is computed. */
export const trainingProgressSchema = z
  .object({ run: z.string(), entry: trainingEntrySchema })
  .meta({ id: 'TrainingProgress', description: 'One line of `application/x-ndjson`: then `{ "result": TrainingResponse }` last, or `{ "problem": Problem }` on a failure after the first line.' });
