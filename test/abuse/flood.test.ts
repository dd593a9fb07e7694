import { describeAttacks } from '../support/abuse.js';

/** Floods of the heaviest and of the smallest requests (bench/lib/attacks.ts). */
describeAttacks('floods', ['heavy-mix-16-clients', 'small-request-rate']);
