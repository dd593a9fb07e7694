import { describeAttacks } from '../support/abuse.js';

/** Clients that leave, and a shutdown with work queued (bench/lib/attacks.ts). */
describeAttacks('clients leaving and shutting down', ['client-disconnects', 'sigterm-32-queued']);
