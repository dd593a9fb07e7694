import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ MAX_ELEMENTS: '1000' });
const evaluateMany = (body: unknown) => server.http().post('/v1/evaluate').send(body as object);

describe('POST /v1/evaluate', () => {
  it('evaluates several activations over the same inputs, in request order', async () => {
    const { body } = await evaluateMany({
      x: [-1, 0, 1],
      activations: ['relu', 'logistic', { id: 'elu', params: { alpha: 0.5 } }],
    }).expect(200);
    expect(body.count).toBe(3);
    expect(body.x).toEqual([-1, 0, 1]);
    expect(body.results.map((result: { activation: string }) => result.activation)).toEqual(['relu', 'sigmoid', 'elu']);
    expect(body.results[0]).toEqual({ activation: 'relu', params: {}, value: [0, 0, 1], derivative: [0, 0, 1] });
    expect(body.results[1].derivative[1]).toBe(0.25);
    expect(body.results[2].params).toEqual({ alpha: 0.5 });
    expect(body.results[2].value[0]).toBeCloseTo(0.5 * (Math.exp(-1) - 1), 15);
  });

  it('gives the same numbers as the single-activation endpoint', async () => {
    const grid = { start: -3, stop: 3, count: 13 };
    const many = (await evaluateMany({ grid, activations: ['gelu', 'mish'] }).expect(200)).body;
    const gelu = (await server.http().post('/v1/activations/gelu/evaluate').send({ grid }).expect(200)).body;
    expect(many.results[0].value).toEqual(gelu.value);
    expect(many.results[0].derivative).toEqual(gelu.derivative);
  });

  it('names the offending activation parameter by its path', async () => {
    const response = await evaluateMany({
      x: [1],
      activations: ['relu', { id: 'hardtanh', params: { minVal: 2, maxVal: 1 } }],
    })
      .set('x-request-id', 'req-path')
      .expect(400);
    expect(response.body).toMatchInlineSnapshot(`
      {
        "detail": "Invalid parameters for hardtanh.",
        "errors": [
          {
            "message": "maxVal must be greater than minVal",
            "path": "activations.1.params.maxVal",
          },
        ],
        "instance": "/v1/evaluate",
        "requestId": "req-path",
        "status": 400,
        "title": "Invalid request",
        "type": "urn:activation-lab:problem:validation",
      }
    `);
  });

  it('rejects an unknown activation id in the body with 400', async () => {
    const { body } = await evaluateMany({ x: [1], activations: ['relu', 'softmax'] }).expect(400);
    expect(body.errors).toEqual([
      { path: 'activations.1', message: 'Unknown activation "softmax"; GET /v1/activations lists them all.' },
    ]);
  });

  it('rejects an activation reference of the wrong type with one clear message', async () => {
    const { body } = await evaluateMany({ x: [1], activations: [42] }).expect(400);
    expect(body.errors).toEqual([
      { path: 'activations.0', message: 'Expected an activation id (a string) or an object { id, params }.' },
    ]);
  });

  it('rejects unknown fields inside an activation reference', async () => {
    const { body } = await evaluateMany({ x: [1], activations: [{ id: 'relu', parms: {} }] }).expect(400);
    expect(body.errors).toEqual([{ path: 'activations.0.parms', message: 'Unknown field "parms"' }]);
  });

  it('counts inputs times activations against the element limit', async () => {
    const { body } = await evaluateMany({ x: new Array(400).fill(1), activations: ['relu', 'tanh', 'sigmoid'] }).expect(413);
    expect(body).toMatchObject({ status: 413, elements: 1200, limit: 1000 });
  });
});
