import { describe, expect, it } from 'vitest';
import { LineBatch } from '../src/logging.js';

/** A destination that records what it is handed, and how often it is told to write out synchronously. */
function recorder() {
  const chunks: string[] = [];
  let syncFlushes = 0;
  return {
    chunks,
    syncFlushes: () => syncFlushes,
    destination: {
      write: (chunk: string) => {
        chunks.push(chunk);
        return true;
      },
      flushSync: () => {
        syncFlushes += 1;
      },
    },
  };
}

describe('LineBatch', () => {
  it('holds lines until a chunk is full, then hands them on joined, in order', () => {
    const { chunks, destination } = recorder();
    const batch = new LineBatch(destination, 10);
    batch.write('one\n');
    batch.write('two\n');
    expect(chunks).toEqual([]);
    batch.write('three\n');
    expect(chunks).toEqual(['one\ntwo\nthree\n']);
    batch.write('four\n');
    expect(chunks).toEqual(['one\ntwo\nthree\n']);
  });

  it('hands on what it holds when flushed, and nothing when it holds nothing', () => {
    const { chunks, destination } = recorder();
    const batch = new LineBatch(destination, 4096);
    batch.flush();
    expect(chunks).toEqual([]);
    batch.write('a line\n');
    batch.flush();
    expect(chunks).toEqual(['a line\n']);
  });

  it('writes everything out synchronously at exit: its lines, then the destination', () => {
    const { chunks, destination, syncFlushes } = recorder();
    const batch = new LineBatch(destination, 4096);
    batch.write('last\n');
    batch.flushSync();
    expect(chunks).toEqual(['last\n']);
    expect(syncFlushes()).toBe(1);
  });
});
