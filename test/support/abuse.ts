import { afterAll, describe, expect, it } from 'vitest';
import { AbuseHarness, failures, testProfile } from '../../bench/lib/abuse-runner.js';
import { attackById } from '../../bench/lib/attacks.js';

/** Long enough for a failing attack to reach its deadlines and the service to be replaced. */
const ATTACK_TIMEOUT_MS = 90_000;

/**
 * One `it` per attack of bench/lib/attacks.ts, named by the attack's sentence, run in order against a
 * service child from the sources (tsx), judged by the same checks as `npm run bench:abuse` with the test
 * profile's shorter floods and machine-independent /healthz bound; the failed guarantees are the assertion.
 */
export function describeAttacks(name: string, ids: readonly string[]): void {
  describe(name, () => {
    const harness = new AbuseHarness(testProfile);
    afterAll(() => harness.close());
    for (const id of ids) {
      const attack = attackById(id);
      it(attack.title, async () => {
        const result = await harness.run(attack);
        expect(failures(result), `${id}: ${result.notes.join('; ')}`).toEqual([]);
      }, ATTACK_TIMEOUT_MS);
    }
  });
}
