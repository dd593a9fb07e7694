import { jobIdFor } from '../../src/jobs/engine.js';
import type { ContractRequest } from '../support/contract-client.js';

/** The job the POST below makes (an idempotency key fixes its id); the operations run in the document's order, the POST first. */
const CONTRACT_JOB_KEY = 'contract-representative-job';
const contractJob = `/v1/jobs/${jobIdFor(CONTRACT_JOB_KEY)}`;

/**
 * One small, valid request per operation, keyed `METHOD /template` as in
 * openapi/openapi.json. A documented operation missing here fails
 * operations.test.ts: add its request when adding a route.
 */
export const representativeRequests: Record<string, ContractRequest> = {
  'GET /healthz': { method: 'GET', path: '/healthz' },
  'GET /readyz': { method: 'GET', path: '/readyz' },
  'GET /metrics': { method: 'GET', path: '/metrics' },
  'GET /v1/activations': { method: 'GET', path: '/v1/activations' },
  'GET /v1/activations/{id}': { method: 'GET', path: '/v1/activations/logistic' },
  'POST /v1/activations/{id}/evaluate': { method: 'POST', path: '/v1/activations/tanh/evaluate', json: { grid: { start: -2, stop: 2, count: 5 } } },
  'POST /v1/activations/{id}/evaluate/binary': {
    method: 'POST',
    path: '/v1/activations/tanh/evaluate/binary',
    raw: Buffer.from(new Float64Array([-1, 0, 1]).buffer),
    headers: { 'content-type': 'application/octet-stream' },
  },
  'POST /v1/evaluate': { method: 'POST', path: '/v1/evaluate', json: { x: [-1, 0, 1], activations: ['sigmoid', { id: 'elu', params: { alpha: 0.5 } }] } },
  'GET /v1/activations/{id}/plot': { method: 'GET', path: '/v1/activations/relu/plot?points=21' },
  'POST /v1/plots/activations': { method: 'POST', path: '/v1/plots/activations', json: { activations: ['sigmoid', 'tanh'], points: 21 } },
  'POST /v1/simulations/feedforward': {
    method: 'POST',
    path: '/v1/simulations/feedforward',
    json: { network: { depth: 3, width: 4, activation: 'sigmoid' }, input: { batchSize: 4 }, seed: 1 },
  },
  'POST /v1/simulations/recurrent': {
    method: 'POST',
    path: '/v1/simulations/recurrent',
    json: { cell: 'lstm', inputSize: 3, hiddenSize: 4, steps: 5, batchSize: 2, seed: 1 },
  },
  'POST /v1/simulations/jacobian': {
    method: 'POST',
    path: '/v1/simulations/jacobian',
    json: { network: { depth: 3, width: 4, activation: 'tanh', init: 'orthogonal' }, seed: 1 },
  },
  'POST /v1/theory/mean-field': { method: 'POST', path: '/v1/theory/mean-field', json: { activation: 'tanh', sigmaW2: 1.5, sigmaB2: 0.05, depth: 10 } },
  'POST /v1/training': {
    method: 'POST',
    path: '/v1/training',
    json: { network: { depth: 2, width: 8, activation: 'prelu' }, data: { dataset: 'xor', trainSize: 64, testSize: 32 }, steps: 10, evaluateEvery: 5, runs: [{ label: 'prelu' }, { label: 'tanh', activation: 'tanh' }] },
  },
  'GET /v1/jobs': { method: 'GET', path: '/v1/jobs?limit=5' },
  'POST /v1/jobs': {
    method: 'POST',
    path: '/v1/jobs',
    json: { kind: 'feedforward', request: { network: { depth: 3, width: 8, activation: 'tanh' } }, idempotencyKey: CONTRACT_JOB_KEY },
  },
  'GET /v1/jobs/{id}/events': { method: 'GET', path: `${contractJob}/events` },
  'GET /v1/jobs/{id}/result': { method: 'GET', path: `${contractJob}/result` },
  'GET /v1/jobs/{id}': { method: 'GET', path: contractJob },
  'DELETE /v1/jobs/{id}': { method: 'DELETE', path: contractJob },
  'POST /v1/theory/phase-diagram': {
    method: 'POST',
    path: '/v1/theory/phase-diagram',
    json: { activation: 'tanh', sigmaW2: { start: 0.5, stop: 2, count: 3 }, sigmaB2: { start: 0, stop: 0.2, count: 2 } },
  },
};
