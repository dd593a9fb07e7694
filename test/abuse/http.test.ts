import { describeAttacks } from '../support/abuse.js';

/** Attacks on the HTTP layer itself: framing, methods, slow and many connections (bench/lib/attacks.ts). */
describeAttacks('HTTP-layer abuse', ['http-framing', 'methods-and-root', 'slow-clients', 'pipelining-500', 'idle-keep-alive-2000']);
