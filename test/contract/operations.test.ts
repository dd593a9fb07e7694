import { describe, expect, it } from 'vitest';
import { useContractServer } from '../support/contract-client.js';
import { documentedOperations } from '../support/contract.js';
import { representativeRequests } from './representative-requests.js';

const { client } = useContractServer({ SIMULATION_THREADS: '1' });
const operations = documentedOperations();

describe('every operation in openapi/openapi.json', () => {
  it('has a representative request in the contract suite', () => {
    const missing = operations.map(({ method, template }) => `${method} ${template}`).filter((key) => representativeRequests[key] === undefined);
    expect(missing).toEqual([]);
  });

  it.each(operations.map(({ method, template }) => [`${method} ${template}`]))('%s answers its representative request with a documented 2xx', async (key) => {
    const request = representativeRequests[key];
    if (request === undefined) return; // reported by the test above
    const response = await client.request(request);
    expect(response.status, JSON.stringify(response.body)?.slice(0, 400)).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
  });
});
