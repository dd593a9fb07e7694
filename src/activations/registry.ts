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
import type { z } from 'zod';
import type { ActivationRecord } from './types.js';

/** Every activation the service offers, in catalogue order. Adding one is one file and one line here. */
const records = [
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
] as const satisfies readonly ActivationRecord[];

/** The canonical id of every registered activation, as a literal union: `'identity' | 'sigmoid' | …`. */
export type ActivationId = (typeof records)[number]['id'];

/** A registered record, its parameters seen through the common schema type. */
export type RegisteredActivation = ActivationRecord<z.ZodObject, ActivationId>;

/** The records above as one record type, each id still one of the literal union. */
export const activations: readonly RegisteredActivation[] = records;

const byName = new Map<string, RegisteredActivation>(
  activations.flatMap((record) => [record.id, ...record.aliases].map((name) => [name, record] as const)),
);

/** Canonical ids and aliases, every name a request may use. */
export const activationNames: readonly string[] = [...byName.keys()];

/** The record for an id or alias, or undefined. */
export function findActivation(name: string): RegisteredActivation | undefined {
  return byName.get(name);
}
