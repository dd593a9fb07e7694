import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The fonts charts are laid out with (text widths) and PNGs are drawn with:
 * DejaVu Sans, shipped in assets/fonts (see its README). The same relative
 * path holds from src/plots and from dist/plots.
 */
const FONT_DIRECTORY = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));

export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_FILES = {
  regular: `${FONT_DIRECTORY}DejaVuSans.ttf`,
  bold: `${FONT_DIRECTORY}DejaVuSans-Bold.ttf`,
} as const;

export type FontWeight = keyof typeof FONT_FILES;

/** Horizontal advance of one character in em, or undefined when the font has no glyph for it. */
export type AdvanceTable = (codePoint: number) => number | undefined;

/**
 * Reads the advance widths of a TrueType font: `cmap` (format 4, the Basic
 * Multilingual Plane) maps characters to glyphs, `hmtx` gives each glyph's
 * advance in font units, `head.unitsPerEm` converts units to em.
 */
export function readAdvanceTable(font: Buffer): AdvanceTable {
  const tables = new Map<string, number>();
  const tableCount = font.readUInt16BE(4);
  for (let index = 0; index < tableCount; index++) {
    const record = 12 + 16 * index;
    tables.set(font.toString('latin1', record, record + 4), font.readUInt32BE(record + 8));
  }
  const offset = (tag: string) => {
    const start = tables.get(tag);
    if (start === undefined) throw new Error(`The font has no "${tag}" table.`);
    return start;
  };
  const unitsPerEm = font.readUInt16BE(offset('head') + 18);
  const metricCount = font.readUInt16BE(offset('hhea') + 34);
  const hmtx = offset('hmtx');
  // Glyphs past the last long metric share its advance.
  const advance = (glyph: number) => font.readUInt16BE(hmtx + 4 * Math.min(glyph, metricCount - 1)) / unitsPerEm;

  const cmap = offset('cmap');
  let format4: number | undefined;
  for (let index = 0; index < font.readUInt16BE(cmap + 2); index++) {
    const record = cmap + 4 + 8 * index;
    const subtable = cmap + font.readUInt32BE(record + 4);
    // Windows Unicode BMP (3, 1) or Unicode (0, *), format 4.
    const platform = font.readUInt16BE(record);
    if ((platform === 3 && font.readUInt16BE(record + 2) === 1) || platform === 0) {
      if (font.readUInt16BE(subtable) === 4) format4 = subtable;
    }
  }
  if (format4 === undefined) throw new Error('The font has no format-4 Unicode cmap.');
  const segments = font.readUInt16BE(format4 + 6) / 2;
  const endCodes = format4 + 14;
  const startCodes = endCodes + 2 * segments + 2;
  const deltas = startCodes + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;

  return (codePoint) => {
    if (codePoint > 0xffff) return undefined;
    for (let segment = 0; segment < segments; segment++) {
      if (font.readUInt16BE(endCodes + 2 * segment) < codePoint) continue;
      const start = font.readUInt16BE(startCodes + 2 * segment);
      if (start > codePoint) return undefined;
      const delta = font.readUInt16BE(deltas + 2 * segment);
      const rangeOffsetAt = rangeOffsets + 2 * segment;
      const rangeOffset = font.readUInt16BE(rangeOffsetAt);
      let glyph: number;
      if (rangeOffset === 0) glyph = (codePoint + delta) & 0xffff;
      else {
        const raw = font.readUInt16BE(rangeOffsetAt + rangeOffset + 2 * (codePoint - start));
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      return glyph === 0 ? undefined : advance(glyph);
    }
    return undefined;
  };
}

const loaded = new Map<FontWeight, AdvanceTable>();

/** The advance table of the shipped font, read once. */
export function advanceTable(weight: FontWeight): AdvanceTable {
  let table = loaded.get(weight);
  if (table === undefined) {
    table = readAdvanceTable(readFileSync(FONT_FILES[weight]));
    loaded.set(weight, table);
  }
  return table;
}
