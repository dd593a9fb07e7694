import { describe, expect, it } from 'vitest';
import { measureText } from '../../src/plots/text-metrics.js';
import { type ChartSpec, ExternalResourceError, renderPng, renderSvg, svgToPng } from '../../src/plots/render.js';
import { houseConfig } from '../../src/plots/theme.js';
import { expectSelfContainedSvg, svgSize, visibleTexts } from './svg.js';

const spec: ChartSpec = {
  title: { text: 'Squares <&> "quoted"', subtitle: 'a subtitle' },
  width: 200,
  height: 120,
  data: { values: [1, 2, 3, 4].map((x) => ({ x, y: x * x })) },
  mark: 'line',
  encoding: { x: { field: 'x', type: 'quantitative', title: 'input' }, y: { field: 'y', type: 'quantitative', title: 'square' } },
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('renderSvg', () => {
  it('renders a self-contained SVG with the title, axis titles and an accessible name', async () => {
    const warnings: string[] = [];
    const svg = await renderSvg(spec, { onWarning: (message) => warnings.push(message) });
    expectSelfContainedSvg(svg);
    expect(visibleTexts(svg)).toEqual(expect.arrayContaining(['Squares <&> "quoted"', 'a subtitle', 'input', 'square']));
    expect(svg).toContain('<title>Squares &lt;&amp;&gt; &quot;quoted&quot;</title>');
    expect(warnings).toEqual([]);
  });

  it('applies the house font stack and leaves no text in a default font', async () => {
    const svg = await renderSvg(spec);
    const families = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map(([, family]) => family));
    expect([...families]).toEqual([String(houseConfig.font).replace(/"/g, '&quot;')]);
  });

  it('sizes the picture from measured text, not from Vega’s 0.8 em per character guess', async () => {
    const long = 'A fairly long subtitle that Vega would guess to be far wider than it is when drawn';
    const svg = await renderSvg({ ...spec, title: { text: 'Squares', subtitle: long } });
    // padding + the subtitle as DejaVu Sans draws it, give or take the rounding.
    expect(svgSize(svg).width).toBeLessThan(0.8 * long.length * 11);
    expect(svgSize(svg).width).toBeGreaterThanOrEqual(Math.floor(measureText(long, 11)));
  });

  it('gives the same bytes for the same spec', async () => {
    expect(await renderSvg(spec)).toBe(await renderSvg(spec));
  });

  it('refuses specs that would load data from a URL', async () => {
    const remote = { ...spec, data: { url: 'https://example.org/data.json' } } as ChartSpec;
    await expect(renderSvg(remote, { onWarning: () => {} })).rejects.toBeInstanceOf(ExternalResourceError);
  });
});

describe('measureText', () => {
  it('uses DejaVu Sans advance widths, wider in bold', () => {
    // DejaVu Sans: "A" advances 1401/2048 em, space 651/2048 em.
    expect(measureText('A A', 2048)).toBeCloseTo(1401 + 651 + 1401, 6);
    expect(measureText('Title', 15, 'bold')).toBeGreaterThan(measureText('Title', 15));
  });
});

describe('renderPng', () => {
  it('rasterises at the requested scale with a PNG signature', async () => {
    const svg = await renderSvg(spec);
    const png = await svgToPng(svg, 2);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const { width, height } = svgSize(svg);
    expect(pngSize(png)).toEqual({ width: 2 * width, height: 2 * height });
    expect(pngSize(await renderPng(spec, { scale: 1 }))).toEqual({ width, height });
  });

  it('draws text with the shipped font even when the SVG asks for Helvetica', async () => {
    const page = (text: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/><text x="4" y="28" font-family="Helvetica, Arial, sans-serif" font-size="20">${text}</text></svg>`;
    const blank = await svgToPng(page(''), 1);
    expect((await svgToPng(page('‖∂L/∂W‖ 10⁻³'), 1)).equals(blank)).toBe(false);
    expect((await svgToPng(page('χ₁'), 1)).equals(blank)).toBe(false);
  });

  it('rejects a scale outside (0, 4]', async () => {
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', 0)).rejects.toBeInstanceOf(RangeError);
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', 5)).rejects.toBeInstanceOf(RangeError);
  });
});
