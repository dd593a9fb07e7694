import { expect } from 'vitest';
import { type ChartSpec, renderSvg } from '../../src/plots/render.js';

/**
 * Checks on rendered SVG text without an XML library: a small well-formedness
 * scanner (balanced tags, quoted attributes, escaped text) and the text of
 * every visible <text> element.
 */

const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const NAME = /^[A-Za-z_][\w.:-]*/;

function checkEscapes(text: string, where: string): void {
  if (text.includes('<')) throw new Error(`raw "<" in ${where}`);
  for (let index = text.indexOf('&'); index !== -1; index = text.indexOf('&', index + 1)) {
    if (!ENTITY.test(text.slice(index))) throw new Error(`unescaped "&" in ${where}: ${text.slice(index, index + 20)}`);
  }
}

/** Throws on the first well-formedness error. */
export function checkWellFormedXml(xml: string): void {
  const open: string[] = [];
  let position = 0;
  let roots = 0;
  while (position < xml.length) {
    const start = xml.indexOf('<', position);
    const text = xml.slice(position, start === -1 ? xml.length : start);
    if (open.length === 0 && text.trim() !== '') throw new Error(`text outside the root element: ${text.slice(0, 40)}`);
    checkEscapes(text, 'text');
    if (start === -1) break;
    const end = xml.indexOf('>', start);
    if (end === -1) throw new Error('unterminated tag');
    const tag = xml.slice(start + 1, end);
    position = end + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (open.pop() !== name) throw new Error(`</${name}> closes nothing open`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = NAME.exec(body)?.[0];
    if (name === undefined) throw new Error(`bad tag <${tag.slice(0, 40)}>`);
    if (open.length === 0) roots++;
    let attributes = body.slice(name.length);
    const seen = new Set<string>();
    while (attributes.trim() !== '') {
      const match = /^\s+([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(attributes);
      if (match === null) throw new Error(`bad attributes in <${name}>: ${attributes.slice(0, 60)}`);
      const [whole, attribute = '', value = ''] = match;
      if (seen.has(attribute)) throw new Error(`duplicate attribute ${attribute} in <${name}>`);
      seen.add(attribute);
      checkEscapes(value, `attribute ${attribute}`);
      attributes = attributes.slice(whole.length);
    }
    if (!selfClosing) open.push(name);
  }
  if (open.length > 0) throw new Error(`unclosed <${open.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

function decode(text: string): string {
  return text
    .replace(/&#x([0-9a-fA-F]+);/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * The text of every <text> element that is drawn (Vega keeps labels it hides
 * for overlap, with opacity 0), a line per <tspan> of multi-line texts.
 */
export function visibleTexts(svg: string): string[] {
  return [...svg.matchAll(/<text([^>]*)>([\s\S]*?)<\/text>/g)]
    .filter(([, attributes = '']) => !/\sopacity="0"/.test(attributes))
    .flatMap(([, , content = '']) => {
      const lines = [...content.matchAll(/<tspan[^>]*>([\s\S]*?)<\/tspan>/g)].map(([, line = '']) => line);
      return (lines.length > 0 ? lines : [content]).map((line) => decode(line.trim()));
    });
}

export function svgSize(svg: string): { width: number; height: number } {
  const root = /^<svg[^>]*>/.exec(svg)?.[0] ?? '';
  return { width: Number(/\swidth="([\d.]+)"/.exec(root)?.[1]), height: Number(/\sheight="([\d.]+)"/.exec(root)?.[1]) };
}

/** A standalone, well-formed SVG that needs nothing from outside: no scripts, remote links, images or web fonts. */
export function expectSelfContainedSvg(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toMatch(/^<svg[^>]*\sxmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svg).toMatch(/^<svg[^>]*\sviewBox="0 0 [\d.]+ [\d.]+"/);
  const { width, height } = svgSize(svg);
  expect(width).toBeGreaterThan(100);
  expect(height).toBeGreaterThan(100);
  expect(() => checkWellFormedXml(svg)).not.toThrow();
  expect(svg).not.toMatch(/<script/i);
  expect(svg).not.toMatch(/<image|<foreignObject|<style|@import|@font-face/i);
  expect(svg).not.toMatch(/(?:href|src)="(?!#)/);
  expect(svg).not.toMatch(/url\((?!#)/);
  expect(svg).not.toMatch(/\son[a-z]+="/i);
  // A white background covering the whole picture, first after the title.
  expect(svg).toMatch(new RegExp(`<rect width="${width}" height="${height}" fill="white"/>`));
}

/** Renders a spec to SVG, checking Vega warned of nothing and the SVG is self-contained; the SVG and its visible texts. */
export async function renderChecked(spec: ChartSpec): Promise<{ svg: string; texts: string[] }> {
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { onWarning: (message) => warnings.push(message) });
  expect(warnings).toEqual([]);
  expectSelfContainedSvg(svg);
  return { svg, texts: visibleTexts(svg) };
}
