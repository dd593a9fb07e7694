import type { z } from 'zod';
import type { OperationId } from '../requests/operation.js';
import type { CellKind } from '../schemas/jobs.js';
import { feedforwardPictureQuerySchema, pictureQuerySchema } from '../schemas/plots.js';
import { feedforwardBodySchema, jacobianBodySchema, recurrentBodySchema } from '../schemas/simulations.js';
import { trainingBodySchema, trainingQuerySchema } from '../schemas/training-request.js';

/**
 * What a job of each simulation or training kind runs: the endpoint's
 * operation with the endpoint's own body and query schemas, and the headline
 * figures a sweep keeps of every cell's answer.
 */

export type Figures = Record<string, number | string | null>;

export interface KindRecord {
  operation: OperationId;
  bodySchema: z.ZodType;
  /** The endpoint's query schema (picture options); `{}` parses to its defaults. */
  querySchema: z.ZodType;
  /** The headline figures of one answer. */
  summary(answer: unknown): Figures;
  /** The figure a sweep's chart colours by default. */
  defaultFigure: string;
}

interface FeedforwardAnswer {
  loss: number;
  summary: { log10GradientRatio: number | null; meanLog10GainPerLayer: number | null; verdict: string };
  theory?: { chi1: number | null; predictedMeanLog10GainPerLayer: number | null };
}

interface RecurrentAnswer {
  summary: { log10GradientRatio: number | null; meanLog10GainPerStep: number | null; verdict: string; loss: number };
}

interface JacobianAnswer {
  spectrum: {
    depth: number;
    squaredSingularValues: { log10Mean: number | null; relativeVariance: number | null };
    log10MaxSingularValue: number | null;
    log10MinSingularValue: number | null;
    conditionNumber: number | null;
  };
}

interface TrainingFinal {
  trainLoss: number;
  trainAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
}

interface TrainingAnswer {
  runs: { label: string; final: TrainingFinal; divergedAtStep: number | null }[];
}

const trainingFigures = (run: TrainingAnswer['runs'][number]): Figures => ({
  trainLoss: run.final.trainLoss,
  trainAccuracy: run.final.trainAccuracy,
  testLoss: run.final.testLoss,
  testAccuracy: run.final.testAccuracy,
  divergedAtStep: run.divergedAtStep,
});

export const kindRecords: Record<CellKind, KindRecord> = {
  feedforward: {
    operation: 'simulateFeedforward',
    bodySchema: feedforwardBodySchema,
    querySchema: feedforwardPictureQuerySchema,
    summary: (answer) => {
      const { loss, summary, theory } = answer as FeedforwardAnswer;
      return {
        log10GradientRatio: summary.log10GradientRatio,
        meanLog10GainPerLayer: summary.meanLog10GainPerLayer,
        verdict: summary.verdict,
        loss,
        ...(theory === undefined ? {} : { chi1: theory.chi1, predictedMeanLog10GainPerLayer: theory.predictedMeanLog10GainPerLayer }),
      };
    },
    defaultFigure: 'meanLog10GainPerLayer',
  },
  recurrent: {
    operation: 'simulateRecurrent',
    bodySchema: recurrentBodySchema,
    querySchema: pictureQuerySchema,
    summary: (answer) => ({ ...(answer as RecurrentAnswer).summary }),
    defaultFigure: 'meanLog10GainPerStep',
  },
  jacobian: {
    operation: 'jacobianSpectrum',
    bodySchema: jacobianBodySchema,
    querySchema: pictureQuerySchema,
    summary: (answer) => {
      const { spectrum } = (answer as JacobianAnswer);
      const log10Mean = spectrum.squaredSingularValues.log10Mean;
      return {
        log10MeanSquaredSingularValue: log10Mean,
        // mean σ² of ∂a^L/∂a⁰ grows like χ₁^L: half its log10 per layer is the gain of a backpropagated norm.
        meanLog10GainPerLayer: log10Mean === null || spectrum.depth === 0 ? null : log10Mean / (2 * spectrum.depth),
        relativeVariance: spectrum.squaredSingularValues.relativeVariance,
        log10MaxSingularValue: spectrum.log10MaxSingularValue,
        log10MinSingularValue: spectrum.log10MinSingularValue,
        conditionNumber: spectrum.conditionNumber,
      };
    },
    defaultFigure: 'meanLog10GainPerLayer',
  },
  training: {
    operation: 'train',
    bodySchema: trainingBodySchema,
    querySchema: trainingQuerySchema,
    summary: (answer) => {
      const { runs } = answer as TrainingAnswer;
      const [first] = runs;
      if (first === undefined) return {};
      if (runs.length === 1) return trainingFigures(first);
      // A race: the first run's figures, and every run's under its label.
      return { ...trainingFigures(first), ...Object.fromEntries(runs.flatMap((run) => Object.entries(trainingFigures(run)).map(([name, value]) => [`${run.label}.${name}`, value]))) };
    },
    defaultFigure: 'testAccuracy',
  },
};

/** The mean of numeric figures over trials (null where every trial's is null), the most frequent value of the others. */
export function meanFigures(trials: readonly Figures[]): Figures {
  const names = [...new Set(trials.flatMap((figures) => Object.keys(figures)))];
  return Object.fromEntries(
    names.map((name) => {
      const values = trials.map((figures) => figures[name] ?? null);
      const numbers = values.filter((value): value is number => typeof value === 'number');
      if (numbers.length > 0) return [name, numbers.reduce((sum, value) => sum + value, 0) / numbers.length];
      const counts = new Map<string | null, number>();
      for (const value of values) counts.set(value as string | null, (counts.get(value as string | null) ?? 0) + 1);
      const [mostFrequent] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      return [name, mostFrequent?.[0] ?? null];
    }),
  );
}
