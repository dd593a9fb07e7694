import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ SIMULATION_THREADS: '1' });
const post = (path: string, body: unknown) => server.http().post(path).send(body as object);

describe('POST /v1/theory/mean-field', () => {
  it('gives ReLU at He initialisation χ₁ = 1 exactly: the critical point', async () => {
    const { body } = await post('/v1/theory/mean-field', { activation: 'relu', sigmaW2: 2, sigmaB2: 0, depth: 5 }).expect(200);
    expect(body).toMatchObject({ activation: 'relu', chi1: 1, phase: 'critical', fixedPoint: 'converged', log10GradientChange: 0 });
  });

  it('gives ReLU χ₁ = σ_w²/2 and q* = σ_b²/(1 − σ_w²/2) in the ordered phase', async () => {
    const { body } = await post('/v1/theory/mean-field', { activation: 'relu', sigmaW2: 1.5, sigmaB2: 0.1 }).expect(200);
    expect(body.chi1).toBe(0.75);
    expect(body.qStar).toBeCloseTo(0.1 / (1 - 0.75), 14);
    expect(body.phase).toBe('ordered');
    expect(body.xiC).toBeCloseTo(-1 / Math.log(0.75), 12);
  });

  it('reports no fixed point, honestly, where the length map diverges', async () => {
    const { body } = await post('/v1/theory/mean-field', { activation: 'identity', sigmaW2: 1.5, sigmaB2: 0.1 }).expect(200);
    expect(body).toMatchObject({ fixedPoint: 'diverges', qStar: null, chi1: 1.5, phase: 'chaotic' });
  });

  it('puts tanh with σ_b² = 0 at criticality for σ_w² = 1, with q* = 0', async () => {
    const { body } = await post('/v1/theory/mean-field', { activation: 'tanh', sigmaW2: 1 }).expect(200);
    expect(body).toMatchObject({ fixedPoint: 'zero', qStar: 0, phase: 'critical' });
  });

  it('rejects a negative variance and an unknown activation with 400', async () => {
    const negative = await post('/v1/theory/mean-field', { activation: 'tanh', sigmaW2: -1 }).expect(400);
    expect(negative.body.errors[0].path).toBe('sigmaW2');
    await post('/v1/theory/mean-field', { activation: 'softmax', sigmaW2: 1 }).expect(400);
  });
});

describe('POST /v1/theory/phase-diagram', () => {
  it('returns χ₁ on the grid and a critical line through tanh\'s (1, 0)', async () => {
    const { body } = await post('/v1/theory/phase-diagram', {
      activation: 'tanh',
      sigmaW2: { start: 0.5, stop: 3, count: 11 },
      sigmaB2: { start: 0, stop: 0.3, count: 4 },
    }).expect(200);
    expect(body.chi1).toHaveLength(4);
    expect(body.chi1[0]).toHaveLength(11);
    const first = body.criticalLine.find((point: { sigmaB2: number }) => point.sigmaB2 === 0);
    expect(first.sigmaW2).toBeCloseTo(1, 6);
    const rising = body.criticalLine.map((point: { sigmaW2: number }) => point.sigmaW2);
    expect(rising).toEqual([...rising].sort((a, b) => a - b));
  });

  it('refuses a grid larger than 200 points per axis', async () => {
    const { body } = await post('/v1/theory/phase-diagram', { activation: 'tanh', sigmaW2: { start: 0, stop: 4, count: 201 } }).expect(400);
    expect(body.errors[0].path).toBe('sigmaW2.count');
  });

  it('draws a heat map for Accept: image/svg+xml', async () => {
    const response = await post('/v1/theory/phase-diagram', { activation: 'relu' }).set('accept', 'image/svg+xml').expect(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });
});

describe('POST /v1/simulations/jacobian', () => {
  it('finds every singular value of an orthogonal linear network equal to 1', async () => {
    const { body } = await post('/v1/simulations/jacobian', {
      network: { depth: 10, width: 32, activation: 'identity', init: 'orthogonal', bias: false },
    }).expect(200);
    expect(body.spectrum.count).toBe(32);
    for (const sigma of body.spectrum.singularValues) expect(Math.abs(sigma - 1)).toBeLessThan(1e-10);
    expect(body.spectrum.conditionNumber).toBeCloseTo(1, 10);
  });

  it('shows a ReLU network far from isometry', async () => {
    const { body } = await post('/v1/simulations/jacobian', { network: { depth: 12, width: 64, activation: 'relu', init: 'he_normal' } }).expect(200);
    expect(body.spectrum.squaredSingularValues.relativeVariance).toBeGreaterThan(1);
    expect(body.depthProfile).toHaveLength(12);
  });

  it('refuses batch normalisation, naming the layer', async () => {
    const { body } = await post('/v1/simulations/jacobian', {
      network: { inputSize: 4, layers: [{ width: 4, activation: 'tanh', batchNorm: true }] },
    }).expect(400);
    expect(body.errors[0].path).toBe('network.layers.0.batchNorm');
  });

  it('draws the histogram for Accept: image/png', async () => {
    const response = await post('/v1/simulations/jacobian', { network: { depth: 4, width: 16, activation: 'tanh' } })
      .set('accept', 'image/png')
      .expect(200);
    expect(response.headers['content-type']).toBe('image/png');
  });
});

describe('theory beside the feed-forward simulation', () => {
  it('predicts the per-layer gradient gain of a wide tanh network within its statistical spread', async () => {
    const { body } = await post('/v1/simulations/feedforward', {
      network: { depth: 12, width: 256, activation: 'tanh', init: { scheme: 'xavier_normal', gain: 1.2 } },
      input: { batchSize: 256 },
    }).expect(200);
    expect(body.theory.sigmaW2).toBeCloseTo(1.44, 12);
    expect(Math.abs(body.theory.predictedMeanLog10GainPerLayer - body.theory.measuredMeanLog10GainPerLayer)).toBeLessThan(0.01);
    for (const layer of body.theory.layers) {
      expect(Math.abs(layer.measuredPreactivationVariance / layer.preactivationVariance - 1)).toBeLessThan(0.1);
    }
  });

  it('leaves the theory out for a network it does not describe', async () => {
    const { body } = await post('/v1/simulations/feedforward', { network: { depth: 3, width: 16, activation: 'tanh', batchNorm: true } }).expect(200);
    expect(body.theory).toBeUndefined();
  });
});
