import type { Precision } from './arithmetic.js';

/**
 * The request's own failures that more than one simulator raises: a shape that
 * does not fit (400) and a forward pass or loss that leaves the floating-point
 * range (422). The worker turns them into problems by class.
 */

/**
 * A request whose shapes do not fit together. `layer` is 1-based (null for the
 * input or the loss); `field` names the offending request field. Maps to 400.
 */
export class NetworkShapeError extends Error {
  override name = 'NetworkShapeError';
  constructor(
    readonly layer: number | null,
    readonly field: string,
    detail: string,
  ) {
    super(layer === null ? `${field}: ${detail}` : `layer ${layer}: ${field} ${detail}`);
  }
}

/** Forward activations or the loss left the floating-point range; maps to 422 (try float64 or smaller weights). */
export class SimulationOverflowError extends Error {
  override name = 'SimulationOverflowError';
  constructor(
    readonly layer: number,
    readonly phase: 'forward' | 'loss' | 'backward',
    precision: Precision,
  ) {
    super(
      phase === 'loss'
        ? `the loss overflows ${precision}`
        : `layer ${layer}: the ${phase === 'forward' ? 'activations' : 'gradients'} overflow ${precision}` +
            (precision === 'float32' ? ' (try precision float64 or smaller weights)' : ' (try smaller weights or input scale)'),
    );
  }
}
