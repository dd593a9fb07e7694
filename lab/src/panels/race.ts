import { trainingChartSpec, type TrainingChart } from '../../../src/plots/training-charts';
import { withHouseStyle } from '../../../src/plots/spec';
import type { TrainingResponse } from '../../../src/schemas/training';
import { isAbort, NDJSON, ndjsonLines, post, ApiError } from '../api';
import type { ControlSpec, Values } from '../controls';
import { element, formatNumber } from '../dom';
import { Figure } from '../figure';
import { Panel } from '../panel';
import { INIT_SCHEMES } from './flow';

type Entry = TrainingResponse['runs'][number]['history'][number];
type Line = { run: string; entry: Entry } | { result: TrainingResponse } | { problem: { detail?: string; title?: string } };

/** A live chart is redrawn at most this often while entries stream in. */
const LIVE_REDRAW_MS = 250;

const RACERS = ['relu', 'leaky_relu', 'prelu', 'rrelu', 'elu', 'selu', 'gelu', 'silu', 'mish', 'softplus', 'tanh', 'sigmoid'];

const DATASETS: Record<string, { trainSize: number; testSize: number }> = {
  'fashion-mnist': { trainSize: 1000, testSize: 500 },
  spirals: { trainSize: 1000, testSize: 500 },
  circles: { trainSize: 1000, testSize: 500 },
  xor: { trainSize: 1000, testSize: 500 },
  blobs: { trainSize: 1000, testSize: 500 },
};

/**
 * A race of activations trained on the same data, batches and seed, drawn
 * while it runs from POST /v1/training's NDJSON stream. The charts are the
 * service's own: `trainingChartSpec`, the function the service renders its
 * training SVGs with, imported from src/plots and run here on the entries
 * received so far.
 */
export class RacePanel extends Panel {
  readonly id = 'race';
  readonly title = 'Training race';
  readonly intro = 'Train the same network with different activations on the same data, the same batches and the same initial weights, and watch the loss fall and the dead units (outputs exactly 0) spread while it learns. Stopping aborts the request, and the service stops the training.';
  private readonly loss = new Figure('race-loss', 'Loss while training (train solid, test dashed)');
  private readonly dead = new Figure('race-dead', 'Dead units per layer while training');
  private readonly startButton = element('button', { type: 'button', class: 'primary' }, 'Start the race');
  private readonly stopButton = element('button', { type: 'button', disabled: '' }, 'Stop');
  private readonly progress = element('progress', { max: '1', value: '0', 'aria-label': 'Training progress' });
  private readonly scoreboard = element('table', { class: 'facts' });
  private running: AbortController | null = null;

  protected controlSpecs(): ControlSpec[] {
    return [
      { key: 'acts', label: 'Activations in the race', type: 'checkboxes', options: RACERS, default: 'relu,leaky_relu,elu' },
      { key: 'dataset', label: 'Data', type: 'select', options: Object.keys(DATASETS), default: 'fashion-mnist', help: 'Fashion-MNIST: 1000 real 28×28 images of clothes, 10 classes; the others are generated 2-D sets.' },
      { key: 'depth', label: 'Hidden layers', type: 'range', min: 1, max: 10, step: 1, default: '4' },
      { key: 'width', label: 'Width', type: 'select', options: ['16', '32', '64', '128'], default: '64' },
      { key: 'init', label: 'Initialisation', type: 'select', options: INIT_SCHEMES, default: 'xavier_normal' },
      { key: 'optimizer', label: 'Optimizer', type: 'select', options: ['sgd', 'momentum', 'adam'], default: 'sgd' },
      { key: 'lr', label: 'Learning rate', type: 'select', options: ['0.001', '0.01', '0.05', '0.1', '0.2', '0.5', '1'], default: '0.1' },
      { key: 'batchNorm', label: 'Batch norm', type: 'checkbox', default: 'false' },
      { key: 'epochs', label: 'Epochs', type: 'range', min: 1, max: 10, step: 1, default: '3' },
      { key: 'seed', label: 'Seed', type: 'number', min: 0, max: 1000000, step: 1, default: '1' },
    ];
  }

  protected build(): void {
    this.figures = [this.loss, this.dead];
    // One column: the dead-unit chart has a panel per run side by side.
    this.figureBox.classList.add('single');
    this.startButton.addEventListener('click', () => this.start());
    this.stopButton.addEventListener('click', () => this.stop());
    this.figureBox.append(
      element('div', { class: 'race-buttons' }, this.startButton, this.stopButton, this.progress),
      element('div', { class: 'table-scroll' }, this.scoreboard),
      this.loss.element,
      this.dead.element,
    );
  }

  /** The training request of a panel state: one run per activation. */
  requestBody(values: Values): unknown {
    const racers = (values['acts'] ?? '').split(',').filter(Boolean);
    const data = DATASETS[values['dataset'] ?? 'fashion-mnist'] ?? { trainSize: 1000, testSize: 500 };
    return {
      network: { depth: Number(values['depth']), width: Number(values['width']), activation: racers[0] ?? 'relu', init: values['init'], ...(values['batchNorm'] === 'true' ? { batchNorm: true } : {}) },
      data: { dataset: values['dataset'], ...data },
      optimizer: { type: values['optimizer'], learningRate: Number(values['lr']) },
      epochs: Number(values['epochs']),
      batchSize: 32,
      seed: Number(values['seed']),
      runs: racers.map((racer) => ({ label: racer, activation: racer })),
    };
  }

  /** A change of settings shows the request; the race itself starts on the button (it takes seconds of the service's time). */
  protected render(values: Values): Promise<void> {
    const request = post('/v1/training', this.requestBody(values), NDJSON);
    this.loss.setRequest(request);
    this.dead.setRequest(request);
    if (this.running === null) {
      const racers = (values['acts'] ?? '').split(',').filter(Boolean);
      const message = racers.length === 0 ? 'Pick at least one activation.' : racers.length > 8 ? 'At most 8 runs race at once.' : 'Press “Start the race”.';
      for (const figure of this.figures) if (figure.element.dataset['state'] !== 'ready') figure.setState('idle', message);
      this.startButton.disabled = racers.length === 0 || racers.length > 8;
    }
    return Promise.resolve();
  }

  override hide(): void {
    super.hide();
    this.stop();
  }

  stop(): void {
    this.running?.abort();
  }

  private draw(result: TrainingResponse, chart: TrainingChart, figure: Figure, message: string): Promise<void> {
    return figure.draw(withHouseStyle(trainingChartSpec({ result, chart })), message);
  }

  /** Runs the race: entries stream in, the charts follow them, the stop button (or a new start) aborts it. */
  start(): void {
    this.stop();
    const controller = new AbortController();
    this.running = controller;
    const body = this.requestBody(this.values) as { runs: { label: string }[]; seed: number; epochs: number; batchSize: number; data: { trainSize: number } };
    const request = post('/v1/training', body, NDJSON);
    const totalSteps = Math.ceil((body.epochs * body.data.trainSize) / body.batchSize);
    const partial: TrainingResponse = { runs: [], seed: body.seed, precision: 'float32' } as unknown as TrainingResponse;
    const runs = new Map(body.runs.map(({ label }) => [label, { label, history: [] as Entry[], final: undefined as Entry | undefined, divergedAtStep: null }]));
    let lastStep = 0;
    let lastDraw = 0;
    let drawing: Promise<void> | null = null;
    const live = (): Promise<void> => {
      partial.runs = [...runs.values()].filter((run) => run.final !== undefined) as TrainingResponse['runs'];
      const message = `Training… step ${lastStep} of ${totalSteps}.`;
      return Promise.all([this.draw(partial, 'loss', this.loss, message), this.draw(partial, 'dead', this.dead, message)]).then(() => undefined);
    };
    this.startButton.disabled = true;
    this.stopButton.disabled = false;
    this.progress.value = 0;
    for (const figure of this.figures) figure.setState('loading', 'Starting…');
    const finish = (): void => {
      if (this.running === controller) this.running = null;
      this.startButton.disabled = false;
      this.stopButton.disabled = true;
    };
    void (async () => {
      try {
        for await (const value of ndjsonLines(request, controller.signal)) {
          const line = value as Line;
          if ('problem' in line) throw new ApiError(line.problem.detail ?? line.problem.title ?? 'The training failed.', 500);
          if ('result' in line) {
            await drawing;
            const done = `Done: ${totalSteps} steps.`;
            await Promise.all([this.draw(line.result, 'loss', this.loss, done), this.draw(line.result, 'dead', this.dead, done)]);
            this.progress.value = 1;
            this.renderScoreboard(line.result.runs);
            continue;
          }
          const run = runs.get(line.run);
          if (run === undefined) continue;
          run.history.push(line.entry);
          run.final = line.entry;
          lastStep = Math.max(lastStep, line.entry.step);
          this.progress.value = totalSteps === 0 ? 1 : lastStep / totalSteps;
          if (drawing === null && performance.now() - lastDraw >= LIVE_REDRAW_MS) {
            lastDraw = performance.now();
            drawing = live().finally(() => (drawing = null));
          }
          this.renderScoreboard([...runs.values()].filter((entry) => entry.final !== undefined));
        }
      } catch (error) {
        await drawing;
        if (isAbort(error) || controller.signal.aborted) {
          for (const figure of this.figures) figure.setState('stopped', `Stopped at step ${lastStep} of ${totalSteps}.`);
        } else {
          const message = error instanceof ApiError ? error.message : String(error);
          for (const figure of this.figures) figure.setState('error', message);
        }
      } finally {
        finish();
      }
    })();
  }

  private renderScoreboard(runs: readonly { label: string; final?: Entry | undefined; divergedAtStep?: number | null }[]): void {
    if (runs.length === 0) return;
    const hidden = (entry: Entry): number[] => entry.layers.slice(0, -1).map((layer) => layer.fractionDead);
    this.scoreboard.replaceChildren(
      element('caption', {}, 'The race so far'),
      element('thead', {}, element('tr', {}, ...['activation', 'step', 'train loss', 'test accuracy', 'dead units (hidden layers, mean)', 'diverged at step'].map((text) => element('th', { scope: 'col' }, text)))),
      element(
        'tbody',
        {},
        ...runs.map((run) => {
          const entry = run.final as Entry;
          const dead = hidden(entry);
          const meanDead = dead.length === 0 ? null : dead.reduce((sum, value) => sum + value, 0) / dead.length;
          return element(
            'tr',
            { 'data-run': run.label },
            element('th', { scope: 'row' }, run.label),
            element('td', {}, String(entry.step)),
            element('td', {}, formatNumber(entry.trainLoss)),
            element('td', {}, entry.testAccuracy === null ? '—' : `${(entry.testAccuracy * 100).toFixed(1)} %`),
            element('td', {}, meanDead === null ? '—' : `${(meanDead * 100).toFixed(1)} %`),
            element('td', {}, run.divergedAtStep === null || run.divergedAtStep === undefined ? '—' : String(run.divergedAtStep)),
          );
        }),
      ),
    );
  }
}
