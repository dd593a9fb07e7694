import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ SIMULATION_THREADS: '1' });

describe('POST /v1/simulations/recurrent with a GRU', () => {
  it('reports ‖∂L/∂h_t‖ and the mean reset, update and candidate gates at every step, with the summary', async () => {
    const { body } = await server.http().post('/v1/simulations/recurrent').send({ cell: 'gru', inputSize: 4, hiddenSize: 8, steps: 20, seed: 2 }).expect(200);
    expect(body.cell).toBe('gru');
    expect(body.steps).toHaveLength(20);
    for (const step of body.steps) {
      expect(Object.keys(step.gates).sort()).toEqual(['candidate', 'reset', 'update']);
      expect(step.gates.reset).toBeGreaterThan(0);
      expect(step.gates.update).toBeLessThan(1);
    }
    expect(body.summary.log10GradientRatio).toBeCloseTo(body.steps[0].log10GradientNorm - body.steps[19].log10GradientNorm, 10);
  });

  it('draws its through-time chart', async () => {
    const chart = await server.http().post('/v1/simulations/recurrent').set('accept', 'image/svg+xml').send({ cell: 'gru', inputSize: 4, hiddenSize: 8, steps: 20 }).expect(200);
    expect(chart.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('refuses the LSTM\'s forgetBias for a GRU with a 400 naming it', async () => {
    const response = await server.http().post('/v1/simulations/recurrent').send({ cell: 'gru', inputSize: 4, hiddenSize: 8, steps: 5, forgetBias: 1 }).expect(400);
    expect(response.body.errors[0].path).toBe('forgetBias');
  });
});
