import { describe, expect, it } from 'vitest';
import { resolveActivation } from '../../src/activations/resolve.js';
import { meanField } from '../../src/theory/mean-field.js';
import { MAX_PHASE_DIAGRAM_POINTS_PER_AXIS, phaseDiagram } from '../../src/theory/phase-diagram.js';

const tanh = resolveActivation('tanh');

describe('phaseDiagram', () => {
  it('lays χ₁ out with one row per σ_b² and one column per σ_w², both ends included', () => {
    const diagram = phaseDiagram(tanh, {
      sigmaW2: { start: 0.5, stop: 3, count: 6 },
      sigmaB2: { start: 0, stop: 1, count: 3 },
    });
    expect(diagram.sigmaW2).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    expect(diagram.sigmaB2).toEqual([0, 0.5, 1]);
    expect(diagram.chi1).toHaveLength(3);
    for (const row of diagram.chi1) expect(row).toHaveLength(6);
    const single = meanField(tanh, { sigmaW2: 2, sigmaB2: 0.5, depth: 0 });
    expect(diagram.chi1[1]?.[3]).toBe(single.chi1);
    expect(diagram.qStar[1]?.[3]).toBe(single.qStar);
    expect(diagram.phase[1]?.[3]).toBe(single.phase);
    expect(diagram.fixedPoint[0]?.[0]).toBe('zero');
  });

  it("puts tanh's critical line through (σ_w², σ_b²) = (1, 0) and makes it rise with σ_b²", () => {
    const diagram = phaseDiagram(tanh, {
      sigmaW2: { start: 0.5, stop: 4, count: 15 },
      sigmaB2: { start: 0, stop: 0.5, count: 6 },
    });
    const line = diagram.criticalLine;
    expect(line.map((point) => point.sigmaB2)).toEqual(diagram.sigmaB2);
    expect(line.every((point) => point.branch === 0)).toBe(true);
    expect(line[0]?.sigmaW2).toBeCloseTo(1, 7);
    for (let i = 1; i < line.length; i += 1) {
      expect(line[i]?.sigmaW2).toBeGreaterThan(line[i - 1]?.sigmaW2 ?? Infinity);
    }
    for (const point of line.slice(1)) {
      expect(meanField(tanh, { sigmaW2: point.sigmaW2, sigmaB2: point.sigmaB2, depth: 0 }).chi1).toBeCloseTo(1, 10);
    }
  });

  it('finds the critical point of tanh at σ_b² = 0.05 as a high-precision reference does', () => {
    // mpmath 1.3.0 at 30 digits, findroot of χ₁(σ_w²) − 1 with q* solved at each step: 1.76095463960673913.
    const diagram = phaseDiagram(tanh, {
      sigmaW2: { start: 1, stop: 3, count: 3 },
      sigmaB2: { start: 0.05, stop: 0.05, count: 1 },
    });
    expect(diagram.criticalLine).toHaveLength(1);
    expect(Math.abs((diagram.criticalLine[0]?.sigmaW2 ?? 0) / 1.760954639606739 - 1)).toBeLessThan(1e-10);
  });

  it('puts the critical line of ReLU at He initialisation, σ_w² = 2, for every σ_b²', () => {
    const diagram = phaseDiagram(resolveActivation('relu'), {
      sigmaW2: { start: 0.5, stop: 3.5, count: 7 },
      sigmaB2: { start: 0, stop: 1, count: 5 },
    });
    expect(diagram.criticalLine.map((point) => point.sigmaW2)).toEqual([2, 2, 2, 2, 2]);
    expect(diagram.fixedPoint[2]?.[6]).toBe('diverges');
    expect(diagram.qStar[2]?.[6]).toBeNull();
  });

  it('rejects axes with more than MAX_PHASE_DIAGRAM_POINTS_PER_AXIS points, negative values or stop < start', () => {
    const axis = { start: 0.5, stop: 2, count: 3 };
    const tooMany = { ...axis, count: MAX_PHASE_DIAGRAM_POINTS_PER_AXIS + 1 };
    expect(() => phaseDiagram(tanh, { sigmaW2: tooMany, sigmaB2: axis })).toThrow(RangeError);
    expect(() => phaseDiagram(tanh, { sigmaW2: axis, sigmaB2: { start: -1, stop: 1, count: 3 } })).toThrow(RangeError);
    expect(() => phaseDiagram(tanh, { sigmaW2: { start: 2, stop: 1, count: 3 }, sigmaB2: axis })).toThrow(RangeError);
    expect(() => phaseDiagram(tanh, { sigmaW2: { ...axis, count: 0 }, sigmaB2: axis })).toThrow(RangeError);
  });
});
