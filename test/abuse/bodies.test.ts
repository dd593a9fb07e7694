import { describeAttacks } from '../support/abuse.js';

/** Request bodies built to exhaust the parser, the validator or the error report (bench/lib/attacks.ts). */
describeAttacks('abusive request bodies', [
  'bad-elements-16MiB',
  'bad-elements-2MiB',
  'constructor-key-64MiB',
  'prototype-keys',
  'deeply-nested-100k',
  'many-keys-500k',
  'long-strings-8MiB',
  'elements-limit',
  'million-x-bad-last',
  'wrong-content-types',
]);
