import { endianness } from 'node:os';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { float64Batch, type EvaluationOutput } from '../../activations/evaluate.js';
import { findActivation } from '../../activations/registry.js';
import { DEFAULT_SEED, MAX_SEED } from '../../random.js';
import { ProblemError, problemResponses } from '../../problems.js';
import { activationIdParamsSchema } from '../../schemas/catalogue.js';
import { evaluateOrRefuse, refuseTooManyElements, resolveReference } from './evaluation-requests.js';

/**
 * The evaluation endpoint without JSON: x as raw little-endian float64 in,
 * the outputs as raw little-endian float64 out. For large batches JSON's
 * number formatting and parsing cost ten times the arithmetic; this costs a copy.
 */

export const OCTET_STREAM = 'application/octet-stream';
const BYTES_PER_NUMBER = Float64Array.BYTES_PER_ELEMENT;

const binaryQuerySchema = z
  .object({
    outputs: z
      .string()
      .default('value,derivative')
      .transform((text) => text.split(',').map((output) => output.trim()))
      .pipe(z.array(z.enum(['value', 'derivative', 'paramGradients'])).min(1))
      .describe('Comma-separated, in the order they are concatenated in the response (default `value,derivative`).'),
    mode: z.enum(['eval', 'train']).default('eval'),
    seed: z.coerce.number().int().min(0).max(MAX_SEED).default(DEFAULT_SEED),
  })
  .catchall(z.union([z.coerce.number(), z.string()]))
  .describe("Any other key is one of the activation's parameters, e.g. `alpha=0.5`.");

const littleEndianHost = endianness() === 'LE';

/** Little-endian float64s of a body, copied into an aligned array (Buffers need not be 8-byte aligned). */
function float64sOf(body: Buffer): Float64Array {
  if (body.byteLength % BYTES_PER_NUMBER !== 0) {
    throw new ProblemError('malformed', `The body has ${body.byteLength} bytes, not a whole number of float64s (8 bytes each).`);
  }
  if (littleEndianHost) return new Float64Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  const values = new Float64Array(body.byteLength / BYTES_PER_NUMBER);
  for (let index = 0; index < values.length; index++) values[index] = body.readDoubleLE(index * BYTES_PER_NUMBER);
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

const binaryEvaluateRoutes: FastifyPluginAsyncZod<{ maxElements: number }> = async (app, { maxElements }) => {
  app.addContentTypeParser(OCTET_STREAM, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post('/activations/:id/evaluate/binary', {
    schema: {
      tags: ['activations'],
      operationId: 'evaluateActivationBinary',
      summary: 'Evaluate one activation on raw float64 (no JSON)',
      description:
        'The body is x as little-endian float64 (8 bytes per input); parameters, `outputs`, `mode` and `seed` are query keys. The response is the requested outputs, each n little-endian float64s, concatenated in the order of `outputs` (paramGradients: one block per learnable parameter, in the order of the catalogue); the headers `x-count` and `x-outputs` describe the layout. Same numbers, bit for bit, as the JSON endpoint.',
      consumes: [OCTET_STREAM],
      params: activationIdParamsSchema,
      querystring: binaryQuerySchema,
      body: z.instanceof(Buffer).meta({ description: 'x as little-endian float64.', format: 'binary', type: 'string' }),
      response: {
        200: { description: 'The outputs as little-endian float64, concatenated.', content: { [OCTET_STREAM]: { schema: z.instanceof(Buffer).meta({ type: 'string', format: 'binary' }) } } },
        ...problemResponses([400, 404, 413, 415, 422, 500]),
      },
    },
    handler: async (request, reply) => {
      const record = findActivation(request.params.id);
      if (record === undefined) throw new ProblemError('notFound', `No activation "${request.params.id}". GET /v1/activations lists them all.`);
      const { outputs, mode, seed, ...params } = request.query;
      const activation = resolveReference(record.id, params, ['querystring']);
      refuseTooManyElements(Math.floor(request.body.byteLength / BYTES_PER_NUMBER), 1, maxElements);
      const x = float64sOf(request.body);
      for (let index = 0; index < x.length; index++) {
        if (!Number.isFinite(x[index])) {
          throw new ProblemError('validation', `x[${index}] is not a finite number.`, { errors: [{ path: `body.${index}`, message: 'Expected a finite float64' }] });
        }
      }
      const evaluation = evaluateOrRefuse(activation, x, { outputs: outputs as EvaluationOutput[], mode, seed }, float64Batch);
      const blocks: { name: string; values: Float64Array }[] = [];
      for (const output of outputs) {
        if (output === 'paramGradients') {
          for (const [name, values] of Object.entries(evaluation.paramGradients ?? {})) blocks.push({ name: `paramGradients.${name}`, values });
        } else {
          const values = evaluation[output];
          if (values !== undefined) blocks.push({ name: output, values });
        }
      }
      const payload = littleEndianBytes(blocks.map(({ values }) => values));
      return reply
        .type(OCTET_STREAM)
        .header('x-count', String(x.length))
        .header('x-outputs', blocks.map(({ name }) => name).join(','))
        .send(payload);
    },
  });
};

export default binaryEvaluateRoutes;
