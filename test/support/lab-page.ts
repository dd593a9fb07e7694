/// <reference lib="dom" />
/**
 * What the lab's page exposes as `window.lab` (lab/src/figure.ts): every
 * figure's state, its request and spec, and the data behind its chart. The
 * browser tests and bench/lab.ts read it through page.evaluate.
 */

export interface LabFigure {
  state: 'idle' | 'loading' | 'ready' | 'error' | 'stopped';
  /** Incremented at every completed draw. */
  version: number;
  /** performance.now() in the page when the last draw completed. */
  drawnAt: number | null;
  message: string;
  spec: unknown;
  request: { method: string; path: string; body?: unknown; accept: string } | null;
}

declare global {
  interface Window {
    lab: {
      figures: Record<string, LabFigure>;
      /** performance.now() of the last control change a panel received. */
      lastChange: number | null;
      data(id: string): Record<string, unknown[]>;
      tour: { title: string; panel: string }[];
    };
  }
}
