import type { Response } from 'superagent';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ MAX_ELEMENTS: '1000' });

const float64Body = (values: number[]): Buffer => {
  const buffer = Buffer.alloc(values.length * 8);
  values.forEach((value, index) => buffer.writeDoubleLE(value, index * 8));
  return buffer;
};

const readFloat64s = (buffer: Buffer): number[] => Array.from({ length: buffer.length / 8 }, (_, index) => buffer.readDoubleLE(index * 8));

const binary = (response: Response, callback: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

const postBinary = (path: string, values: number[]) =>
  server.http().post(path).set('content-type', 'application/octet-stream').send(float64Body(values));

describe('POST /v1/activations/{id}/evaluate/binary', () => {
  it('answers the same numbers as the JSON endpoint, bit for bit, as raw float64', async () => {
    const x = [-3, -0.5, 1e-300, 2.5, 40];
    const response = await postBinary('/v1/activations/gelu/evaluate/binary', x).buffer(true).parse(binary).expect(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['x-count']).toBe('5');
    expect(response.headers['x-outputs']).toBe('value,derivative');
    const numbers = readFloat64s(response.body as Buffer);
    const json = (await server.http().post('/v1/activations/gelu/evaluate').send({ x }).expect(200)).body;
    expect(numbers.slice(0, 5)).toEqual(json.value);
    expect(numbers.slice(5)).toEqual(json.derivative);
  });

  it('takes parameters and outputs from the query, parameter gradients included', async () => {
    const response = await postBinary('/v1/activations/prelu/evaluate/binary?alpha=0.1&outputs=paramGradients,value', [-2, 3])
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(response.headers['x-outputs']).toBe('paramGradients.alpha,value');
    expect(readFloat64s(response.body as Buffer)).toEqual([-2, 0, -0.2, 3]);
  });

  it('refuses a body that is not a whole number of float64s', async () => {
    const { body } = await server.http().post('/v1/activations/relu/evaluate/binary').set('content-type', 'application/octet-stream').send(Buffer.alloc(12)).expect(400);
    expect(body.detail).toContain('12 bytes');
  });

  it('refuses NaN and infinities, which JSON could not have carried either', async () => {
    const { body } = await postBinary('/v1/activations/relu/evaluate/binary', [1, Number.NaN]).expect(400);
    expect(body.errors[0].path).toBe('body.1');
  });

  it('refuses more elements than the limit with 413', async () => {
    await postBinary('/v1/activations/relu/evaluate/binary', new Array(1001).fill(0)).expect(413);
  });

  it('rejects an unknown parameter in the query', async () => {
    const { body } = await postBinary('/v1/activations/elu/evaluate/binary?alpah=1', [1]).expect(400);
    expect(body.errors[0].path).toBe('querystring.alpah');
  });
});
