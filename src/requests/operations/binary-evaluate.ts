import { endianness } from 'node:os';
import { evaluateActivation, float64Batch, type EvaluationOutput } from '../../activations/evaluate.js';
import type { EvaluationMode } from '../../activations/types.js';
import { ProblemError } from '../../problems.js';
import { bind, refOfResolved, resolveReference, type ActivationRef } from '../activation-refs.js';
import { kernelCost } from '../calibration.js';
import type { Work } from '../cost.js';
import { defineOperation, type Answer, type RequestLimits } from '../operation.js';

/**
 * The evaluation endpoint without JSON: x as raw little-endian float64 in,
 * the outputs as raw little-endian float64 out. For large batches JSON's
 * number formatting and parsing cost ten times the arithmetic; this costs a copy.
 */

export const OCTET_STREAM = 'application/octet-stream';
const BYTES_PER_NUMBER = Float64Array.BYTES_PER_ELEMENT;
const littleEndianHost = endianness() === 'LE';

interface BinaryPlan {
  activation: ActivationRef;
  x: Float64Array;
  outputs: EvaluationOutput[];
  mode: EvaluationMode;
  seed: number;
}

/** Little-endian float64s of a body, copied into an aligned array (Buffers need not be 8-byte aligned). */
function float64sOf(body: Uint8Array): Float64Array {
  if (body.byteLength % BYTES_PER_NUMBER !== 0) {
    throw new ProblemError('malformed', `The body has ${body.byteLength} bytes, not a whole number of float64s (8 bytes each).`);
  }
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (littleEndianHost) return new Float64Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
  const values = new Float64Array(body.byteLength / BYTES_PER_NUMBER);
  for (let index = 0; index < values.length; index++) values[index] = buffer.readDoubleLE(index * BYTES_PER_NUMBER);
  return values;
}

/** Concatenates float64 arrays as little-endian bytes. */
function littleEndianBytes(blocks: readonly Float64Array[]): Buffer {
  const payload = Buffer.alloc(blocks.reduce((total, block) => total + block.byteLength, 0));
  let offset = 0;
  for (const block of blocks) {
    if (littleEndianHost) Buffer.from(block.buffer, block.byteOffset, block.byteLength).copy(payload, offset);
    else for (let index = 0; index < block.length; index++) payload.writeDoubleLE(block[index] as number, offset + index * BYTES_PER_NUMBER);
    offset += block.byteLength;
  }
  return payload;
}

interface BinaryQuery {
  outputs: string[];
  mode: EvaluationMode;
  seed: number;
  [parameter: string]: unknown;
}

export const evaluateActivationBinaryOperation = defineOperation({
  id: 'evaluateActivationBinary',
  representations: ['binary'],
  inline: true,
  plan: ({ body, query, params, limits }: { body: Uint8Array; query: BinaryQuery; params: { id: string }; limits: RequestLimits }): BinaryPlan => {
    const { outputs, mode, seed, ...activationParams } = query;
    const activation = refOfResolved(resolveReference(params.id, activationParams, ['querystring']));
    const count = Math.floor(body.byteLength / BYTES_PER_NUMBER);
    if (count > limits.maxElements) {
      throw new ProblemError('tooLarge', `The request asks for ${count} inputs; the limit is ${limits.maxElements} elements.`, { elements: count, limit: limits.maxElements });
    }
    const x = float64sOf(body);
    for (let index = 0; index < x.length; index++) {
      if (!Number.isFinite(x[index])) {
        throw new ProblemError('validation', `x[${index}] is not a finite number.`, { errors: [{ path: `body.${index}`, message: 'Expected a finite float64' }] });
      }
    }
    return { activation, x, outputs: outputs as EvaluationOutput[], mode, seed };
  },
  cost: (plan): Work => {
    const elements = plan.x.length * (plan.outputs.length + (plan.outputs.includes('paramGradients') ? 2 : 0));
    return {
      engineFlops: 0,
      scalarFlops: 0,
      decompositionFlops: 0,
      elementOps: elements * kernelCost(plan.activation.id),
      passes: 1,
      chartMarks: 0,
      pixels: 0,
      workingBytes: 2 * BYTES_PER_NUMBER * (plan.x.length + elements),
      answerBytes: BYTES_PER_NUMBER * elements,
    };
  },
  run: (plan) => evaluateActivation(bind(plan.activation), plan.x, { outputs: plan.outputs, mode: plan.mode, seed: plan.seed }, float64Batch),
  binary: (evaluation, plan): Answer => {
    const blocks: { name: string; values: Float64Array }[] = [];
    for (const output of plan.outputs) {
      if (output === 'paramGradients') {
        for (const [name, values] of Object.entries(evaluation.paramGradients ?? {})) blocks.push({ name: `paramGradients.${name}`, values });
      } else {
        const values = evaluation[output];
        if (values !== undefined) blocks.push({ name: output, values });
      }
    }
    return {
      contentType: OCTET_STREAM,
      body: littleEndianBytes(blocks.map(({ values }) => values)),
      headers: { 'x-count': String(plan.x.length), 'x-outputs': blocks.map(({ name }) => name).join(',') },
    };
  },
});
