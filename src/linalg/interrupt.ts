/**
 * Cooperative interruption of long computations, for the threads that run
 * them. A thread that is terminated while it is inside a native product
 * (onnxruntime's) takes the whole process down (the binding throws a C++
 * exception nobody catches), so work is stopped by asking instead: whoever
 * owns the thread sets a flag in shared memory, and the computation throws
 * `ComputationInterrupted` at its next checkpoint (every GEMM call, every
 * training step). The flags also say whether the thread is inside a native
 * call right now, so that an owner that must terminate it can wait for a
 * moment when that is safe.
 */

/** Index of "stop requested" (0 or 1) in the flags. */
export const STOP_REQUESTED = 0;
/** Index of "inside a native call" (0 or 1) in the flags. */
export const IN_NATIVE_CALL = 1;
export const INTERRUPT_FLAG_COUNT = 2;

export class ComputationInterrupted extends Error {
  override name = 'ComputationInterrupted';
  constructor() {
    super('the computation was asked to stop');
  }
}

let flags: Int32Array | null = null;

/** The flags of the computation this thread runs now (null: none, nothing is checked). */
export function setInterruptFlags(next: Int32Array | null): void {
  flags = next;
}

/** Throws ComputationInterrupted when a stop was requested. */
export function checkInterrupt(): void {
  if (flags !== null && Atomics.load(flags, STOP_REQUESTED) === 1) throw new ComputationInterrupted();
}

/** Runs a native call with IN_NATIVE_CALL set (after a checkpoint). */
export function nativeCall<Result>(call: () => Result): Result {
  checkInterrupt();
  if (flags === null) return call();
  const current = flags;
  Atomics.store(current, IN_NATIVE_CALL, 1);
  try {
    return call();
  } finally {
    Atomics.store(current, IN_NATIVE_CALL, 0);
  }
}

/** Fresh flags on shared memory, for the owner to keep and the thread to receive. */
export function createInterruptFlags(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(INTERRUPT_FLAG_COUNT * Int32Array.BYTES_PER_ELEMENT));
}
