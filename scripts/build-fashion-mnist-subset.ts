/**
 * Builds the Fashion-MNIST subset the service ships in data/fashion-mnist/:
 * the FIRST 10 000 training images and the FIRST 2 000 test images of the
 * official set (file order, no sampling), written as gzipped IDX files plus a
 * SHA256SUMS file that the loader (src/training/data/fashion-mnist.ts) checks.
 *
 *   npx tsx scripts/build-fashion-mnist-subset.ts [sourceDirectory]
 *
 * sourceDirectory holds the four official files
 * ({train,t10k}-{images-idx3,labels-idx1}-ubyte.gz) and defaults to
 * /usr/share/datasets/fashion-mnist. Their decompressed contents are checked
 * against the MD5 sums published with Fashion-MNIST before anything is written.
 * The script prints the class counts of each subset and fails if a class is
 * more than 20 % away from an even share.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const SOURCE = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const TARGET = fileURLToPath(new URL('../data/fashion-mnist/', import.meta.url));

const TRAIN_COUNT = 10_000;
const TEST_COUNT = 2_000;
const CLASSES = 10;
/** Largest allowed relative deviation of a class count from count / CLASSES. */
const BALANCE_TOLERANCE = 0.2;

/** MD5 of the decompressed official files (as published with Fashion-MNIST). */
const OFFICIAL_MD5: Record<string, string> = {
  'train-images-idx3-ubyte': 'f4a8712d7a061bf5bd6d2ca38dc4d50a',
  'train-labels-idx1-ubyte': '9018921c3c673c538a1fc5bad174d6f9',
  't10k-images-idx3-ubyte': '8181f5470baa50b63fa0f6fddb340f0a',
  't10k-labels-idx1-ubyte': '15d484375f8d13e6eb1aabb0c3f46965',
};

const IDX_UBYTE = 0x08;

/** Reads one official file, checks its MD5, and returns the decompressed IDX bytes. */
function readOfficial(name: string): Buffer {
  const raw = gunzipSync(readFileSync(join(SOURCE, `${name}.gz`)));
  const md5 = createHash('md5').update(raw).digest('hex');
  if (md5 !== OFFICIAL_MD5[name]) throw new Error(`${name}: MD5 ${md5} is not the official ${OFFICIAL_MD5[name]}`);
  return raw;
}

/** The dimensions and payload offset of an unsigned-byte IDX file. */
function idxHeader(bytes: Buffer): { dims: number[]; offset: number } {
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== IDX_UBYTE) throw new Error('not an unsigned-byte IDX file');
  const rank = bytes[3] ?? 0;
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  return { dims, offset: 4 + 4 * rank };
}

/** The first `count` records of an IDX file, as a new IDX file. */
function firstRecords(bytes: Buffer, count: number): Buffer {
  const { dims, offset } = idxHeader(bytes);
  const [records = 0, ...rest] = dims;
  if (records < count) throw new Error(`only ${records} records, ${count} wanted`);
  const recordSize = rest.reduce((a, b) => a * b, 1);
  const header = Buffer.from(bytes.subarray(0, offset));
  header.writeUInt32BE(count, 4);
  return Buffer.concat([header, bytes.subarray(offset, offset + count * recordSize)]);
}

function classCounts(labels: Buffer): number[] {
  const { offset } = idxHeader(labels);
  const counts = new Array<number>(CLASSES).fill(0);
  for (let i = offset; i < labels.length; i++) {
    const label = labels[i] as number;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const splits = [
  { split: 'train', source: 'train', count: TRAIN_COUNT },
  { split: 'test', source: 't10k', count: TEST_COUNT },
] as const;

mkdirSync(TARGET, { recursive: true });
const sums: string[] = [];
let balanced = true;
for (const { split, source, count } of splits) {
  const images = firstRecords(readOfficial(`${source}-images-idx3-ubyte`), count);
  const labels = firstRecords(readOfficial(`${source}-labels-idx1-ubyte`), count);
  const counts = classCounts(labels);
  const even = count / CLASSES;
  const worst = Math.max(...counts.map((c) => Math.abs(c - even) / even));
  console.log(`${split}: ${count} images, class counts ${counts.join(' ')} (largest deviation ${(100 * worst).toFixed(1)} %)`);
  if (worst > BALANCE_TOLERANCE) balanced = false;
  for (const [kind, idx] of [['images', images], ['labels', labels]] as const) {
    const file = `${split}-${kind}.gz`;
    const gz = gzipSync(idx, { level: 9 });
    writeFileSync(join(TARGET, file), gz);
    sums.push(`${sha256(gz)}  ${file}`);
    console.log(`  ${file}: ${gz.length} bytes`);
  }
}
writeFileSync(join(TARGET, 'SHA256SUMS'), `${sums.join('\n')}\n`);
console.log(`wrote ${TARGET}`);
if (!balanced) {
  console.error(`a class is more than ${100 * BALANCE_TOLERANCE} % away from an even share`);
  process.exitCode = 1;
}
