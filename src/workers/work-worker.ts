import { move, transferableSymbol, valueSymbol } from 'piscina';
import { setInterruptFlags } from '../linalg/interrupt.js';
import { initLinalg } from '../linalg/matmul.js';
import { perform, type WorkOutcome, type WorkTask } from '../requests/task.js';
import { PROGRESS_END, type PooledTask } from './pool.js';

/** Runs in each pool thread: one GEMM engine per thread, loaded once. */
const engineReady = initLinalg({ threads: 1 });

/**
 * The answer's bytes are moved to the event loop rather than copied, when they
 * own their whole ArrayBuffer (small Buffers share Node's pool slab, which must
 * not be detached).
 */
function movedWhereOwned(outcome: WorkOutcome): unknown {
  if (!outcome.ok) return outcome;
  const { body } = outcome.answer;
  if (body.byteOffset !== 0 || body.buffer.byteLength !== body.byteLength || !(body.buffer instanceof ArrayBuffer)) return outcome;
  return move({ [transferableSymbol]: body.buffer, [valueSymbol]: outcome });
}

export default async function runTask({ task, progress, interrupt }: PooledTask<WorkTask | null>): Promise<unknown> {
  await engineReady;
  if (task === null) return null; // WorkPool.warmUp
  setInterruptFlags(interrupt);
  try {
    return movedWhereOwned(await perform(task, progress === null ? undefined : (message) => progress.postMessage(message)));
  } finally {
    setInterruptFlags(null);
    // The event loop closes the pair once it has this marker (closing here could drop messages in flight).
    progress?.postMessage(PROGRESS_END);
  }
}
