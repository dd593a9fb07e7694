import type { z } from 'zod';
import type { feedforwardResponseSchema, jacobianResponseSchema, recurrentResponseSchema } from '../schemas/simulations.js';
import type { meanFieldResponseSchema, phaseDiagramResponseSchema } from '../schemas/theory.js';
import type { LstmStep, RnnStep } from '../simulation/recurrent/index.js';
import type { operations } from './operations/index.js';

/**
 * Compile-time checks that each response schema (the OpenAPI document's
 * description of an answer) describes exactly what the operation answers: the
 * numeric core's types are the source of truth, and a field added to, removed
 * from or retyped in either side fails the type check. The recurrent schema
 * flattens RnnStep | LstmStep into one step object with optional fields (as
 * the OpenAPI document shows it), so there the result must fit the schema, and
 * the step fields and the summary must be the same.
 */

type ResultOf<Id extends keyof typeof operations> = Awaited<ReturnType<(typeof operations)[Id]['run']>>;

/** true when A and B are assignable to each other. */
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** true when A is assignable to B. */
type Fits<A, B> = [A] extends [B] ? true : false;
type Holds<T extends true> = T;

type RecurrentResponse = z.output<typeof recurrentResponseSchema>;

export type ResponseSchemasMatchResults = [
  Holds<SameShape<ResultOf<'simulateFeedforward'>, z.output<typeof feedforwardResponseSchema>>>,
  Holds<Fits<ResultOf<'simulateRecurrent'>, RecurrentResponse>>,
  Holds<SameShape<keyof ResultOf<'simulateRecurrent'>, keyof RecurrentResponse>>,
  Holds<SameShape<keyof RnnStep | keyof LstmStep, keyof RecurrentResponse['steps'][number]>>,
  Holds<SameShape<ResultOf<'simulateRecurrent'>['summary'], RecurrentResponse['summary']>>,
  Holds<SameShape<ResultOf<'jacobianSpectrum'>, z.output<typeof jacobianResponseSchema>>>,
  Holds<SameShape<ResultOf<'meanField'>, z.output<typeof meanFieldResponseSchema>>>,
  Holds<SameShape<ResultOf<'phaseDiagram'>, z.output<typeof phaseDiagramResponseSchema>>>,
];
