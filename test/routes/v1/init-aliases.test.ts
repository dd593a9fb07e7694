import { describe, expect, it } from 'vitest';
import { initSchemeAliases } from '../../../src/simulation/init.js';
import { useTestServer } from '../../support/server.js';

const server = useTestServer({ SIMULATION_THREADS: '1' });
const simulate = (init: unknown) => server.http().post('/v1/simulations/feedforward').send({ network: { depth: 3, width: 16, activation: 'relu', init }, seed: 5 });

describe('initialisation names', () => {
  it.each(Object.entries(initSchemeAliases).filter(([, scheme]) => scheme !== 'identity'))('accepts %s as PyTorch or Keras spells %s, with the same answer', async (alias, scheme) => {
    const [aliased, canonical] = await Promise.all([simulate(alias).expect(200), simulate(scheme).expect(200)]);
    expect(aliased.body).toEqual(canonical.body);
  });

  it('accepts the aliases inside the object form too', async () => {
    const [aliased, canonical] = await Promise.all([simulate({ scheme: 'kaiming_uniform', gain: 1.5 }).expect(200), simulate({ scheme: 'he_uniform', gain: 1.5 }).expect(200)]);
    expect(aliased.body).toEqual(canonical.body);
  });

  it('still refuses a name nobody uses, listing the accepted ones', async () => {
    const response = await simulate('kaiming').expect(400);
    expect(JSON.stringify(response.body.errors)).toContain('kaiming_normal');
  });
});
