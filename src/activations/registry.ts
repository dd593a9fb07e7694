import { celu } from './celu.js';
import { elu } from './elu.js';
import { gelu } from './gelu.js';
import { hardshrink } from './hardshrink.js';
import { hardsigmoid } from './hardsigmoid.js';
import { hardswish } from './hardswish.js';
import { hardtanh } from './hardtanh.js';
import { identity } from './identity.js';
import { leakyRelu } from './leaky-relu.js';
import { logsigmoid } from './logsigmoid.js';
import { mish } from './mish.js';
import { prelu } from './prelu.js';
import { relu } from './relu.js';
import { relu6 } from './relu6.js';
import { rrelu } from './rrelu.js';
import { selu } from './selu.js';
import { sigmoid } from './sigmoid.js';
import { silu } from './silu.js';
import { softplus } from './softplus.js';
import { softshrink } from './softshrink.js';
import { softsign } from './softsign.js';
import { swish } from './swish.js';
import { tanh } from './tanh.js';
import { tanhshrink } from './tanhshrink.js';
import { threshold } from './threshold.js';
import type { ActivationRecord } from './types.js';

/** Every activation the service offers, in catalogue order. Adding one is one file and one line here. */
export const activations: readonly ActivationRecord[] = [
  identity,
  sigmoid,
  tanh,
  relu,
  relu6,
  leakyRelu,
  prelu,
  rrelu,
  elu,
  selu,
  celu,
  gelu,
  silu,
  swish,
  mish,
  hardsigmoid,
  hardswish,
  hardtanh,
  softplus,
  softsign,
  tanhshrink,
  softshrink,
  hardshrink,
  logsigmoid,
  threshold,
] as readonly ActivationRecord[];

const byName = new Map<string, ActivationRecord>(
  activations.flatMap((record) => [record.id, ...record.aliases].map((name) => [name, record] as const)),
);

/** Canonical ids and aliases, every name a request may use. */
export const activationNames: readonly string[] = [...byName.keys()];

/** The record for an id or alias, or undefined. */
export function findActivation(name: string): ActivationRecord | undefined {
  return byName.get(name);
}
