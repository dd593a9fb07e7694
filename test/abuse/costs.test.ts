import { describeAttacks } from '../support/abuse.js';

/** Requests the cost model prices too low, or answers too large for their price (bench/lib/attacks.ts). */
describeAttacks('cost-model escapes', [
  'jacobian-every-layer-x4',
  'orthogonal-2048',
  'deep-thin-trials',
  'phase-diagram-200x200',
  'phase-diagram-svg',
  'float64-feedforward',
  'float64-recurrent',
  'wide-recurrent-orthogonal',
  'long-thin-recurrent',
  'tiny-png-scale',
]);
