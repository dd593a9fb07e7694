import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, startService, type ServiceProcess } from '../../bench/lib/service.js';

/**
 * The Python clients in examples/ work on the first try: every script in
 * examples/python/ runs with Debian's /usr/bin/python3 (and its python3-requests)
 * against the service started from source, exits 0 and prints what it
 * promises; the helper turns problems into exceptions, retries 503s after
 * Retry-After and times out; and examples/notebook.ipynb executes from top to
 * bottom under `jupyter nbconvert --execute` (Debian's jupyter-nbconvert and
 * python3-ipykernel), showing the service's charts inline. .ci/run installs
 * the three packages; a machine without them fails here, with the command that
 * installs them, rather than skipping.
 */

const PYTHON = '/usr/bin/python3';
const JUPYTER = existsSync('/usr/bin/jupyter') ? '/usr/bin/jupyter' : 'jupyter';
const EXAMPLES = join(root, 'examples');
const SCRIPTS = join(EXAMPLES, 'python');
const NOTEBOOK = join(EXAMPLES, 'notebook.ipynb');
const INSTALL = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-requests jupyter-nbconvert python3-ipykernel';

/** What is missing to run the clients, in words; empty when nothing is. */
function missingTools(): string[] {
  const missing: string[] = [];
  const modules = spawnSync(PYTHON, ['-c', 'import requests, ipykernel, nbconvert'], { encoding: 'utf8' });
  if (modules.error !== undefined) missing.push(`${PYTHON} cannot be run (${modules.error.message})`);
  else if (modules.status !== 0) missing.push(`${PYTHON} lacks a module: ${modules.stderr.trim().split('\n').pop() ?? ''}`);
  const nbconvert = spawnSync(JUPYTER, ['nbconvert', '--version'], { encoding: 'utf8' });
  if (nbconvert.error !== undefined || nbconvert.status !== 0) missing.push(`\`${JUPYTER} nbconvert\` cannot be run (${nbconvert.error?.message ?? nbconvert.stderr.trim()})`);
  return missing;
}

const missing = missingTools();
function requireTools(): void {
  if (missing.length > 0) throw new Error(`The Python client tests need Debian's python3-requests, jupyter-nbconvert and python3-ipykernel: ${missing.join('; ')}. Install them with \`${INSTALL}\` (.ci/run does).`);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function run(command: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      // No __pycache__ left in examples/python/; no debugger warnings from ipykernel.
      { cwd: SCRIPTS, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYDEVD_DISABLE_FILE_VALIDATION: '1', ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr: error !== null && code === null ? `${stderr}\n${error.message}` : stderr, seconds: (performance.now() - started) / 1000 });
      },
    );
  });
}

const describeRun = (result: Run): string => `exit ${result.code} after ${result.seconds.toFixed(1)} s\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

/** What each script must print (each pattern somewhere in its stdout). */
const EXPECTED: Record<string, RegExp[]> = {
  'evaluate.py': [/catalogue: 25 activations/, /sigmoid +max derivative 0\.2500/, /sigmoid'\(0\) = 0\.25/, /d\/dalpha \[-2, 0, 0\]/],
  'evaluate_binary.py': [/tanh on 200001 points/, /largest derivative 1 at x = 0;/, /identical: True/],
  'feedforward.py': [/sigmoid, Xavier +-17\.\d+ .*verdict: vanishing/, /relu, He .*verdict: stable/, /sigmoid, Xavier, batch norm .*verdict: stable/, /chi1 = 0\.0557 \(ordered\)/],
  'recurrent.py': [/RNN, tanh.*verdict: vanishing/, /LSTM, forget bias 1 .*ratio 10\^-6\./, /the LSTM carries 10\^7\.\d times more gradient/],
  'theory.py': [/sigmoid, Xavier .*chi1 0\.0557 +ordered/, /relu, He .*chi1 1\.0000 +critical +depth scale +infinite/, /tanh phase diagram/, /critical line \(chi1 = 1\): sigma_w\^2 = 1\.000 at sigma_b\^2 = 0,/],
  'training_race.py': [/sigmoid \+ Xavier +2\.\d\d -> +2\.\d\d/, /relu \+ He/, /winner: (sigmoid \+ Xavier \+ batch norm|relu \+ He) /],
  'training_stream.py': [/relu \+ He +step +0 /, /tanh \+ Xavier +step +600 /, /result after 14 streamed entries/],
};

let service: ServiceProcess;
beforeAll(async () => {
  service = await startService();
}, 60_000);
afterAll(async () => {
  await service?.stop();
});

describe('the Python clients in examples/', () => {
  it("have Debian's python3 with requests and ipykernel, and jupyter nbconvert", () => {
    requireTools();
  });

  it('cover every script in examples/python/', () => {
    const scripts = readdirSync(SCRIPTS).filter((name) => name.endsWith('.py') && name !== 'activation_lab.py');
    expect(scripts.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [script, patterns] of Object.entries(EXPECTED)) {
    it(`${script} runs against the service, exits 0 and prints its findings`, async () => {
      requireTools();
      const result = await run(PYTHON, [script], { ACTIVATION_LAB_URL: service.url });
      expect(result.code, describeRun(result)).toBe(0);
      for (const pattern of patterns) expect(result.stdout, describeRun(result)).toMatch(pattern);
      if (script === 'training_stream.py') {
        // Entries are printed as they arrive: the first one well before the result.
        const times = [...result.stdout.matchAll(/^ *([0-9.]+) s /gm)].map((match) => Number(match[1]));
        expect(times.length, describeRun(result)).toBe(15);
        expect(times[0] as number, describeRun(result)).toBeLessThan(times[times.length - 1] as number);
      }
    }, 120_000);
  }

  it('exit 1 with the problem+json detail on an HTTP error', async () => {
    requireTools();
    const result = await run(PYTHON, ['evaluate.py'], { ACTIVATION_LAB_URL: `${service.url}/nope` });
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toMatch(/^error: 404 Not found \(GET http:\/\/127\.0\.0\.1:\d+\/nope\/v1\/activations\)$/m);
    expect(result.stderr).toMatch(/detail: No route GET \/nope\/v1\/activations\./);
    expect(result.stderr).not.toMatch(/Traceback/);
  });

  it('exit 1 with a clear line when the service cannot be reached', async () => {
    requireTools();
    const result = await run(PYTHON, ['theory.py'], { ACTIVATION_LAB_URL: 'http://127.0.0.1:1' });
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toMatch(/error: cannot reach activation-lab at http:\/\/127\.0\.0\.1:1/);
  });

  it('the helper raises ProblemError with the title, detail and field errors of a 400', async () => {
    requireTools();
    const snippet = [
      'import json',
      'from activation_lab import ActivationLab, ProblemError',
      'try:',
      '    ActivationLab().post("/v1/theory/mean-field", {"activation": "relu", "sigmaW2": -1, "colour": 1})',
      'except ProblemError as error:',
      '    print(json.dumps({"status": error.status, "title": error.title, "detail": error.detail, "errors": error.errors, "requestId": error.request_id}))',
    ].join('\n');
    const result = await run(PYTHON, ['-c', snippet], { ACTIVATION_LAB_URL: service.url });
    expect(result.code, describeRun(result)).toBe(0);
    const problem = JSON.parse(result.stdout) as { status: number; title: string; detail: string; errors: { path: string }[]; requestId: string };
    expect(problem.status).toBe(400);
    expect(problem.title).toBe('Invalid request');
    expect(problem.detail).toMatch(/invalid/);
    expect([...new Set(problem.errors.map((error) => error.path))].sort()).toEqual(['colour', 'sigmaW2']);
    expect(problem.requestId).toEqual(expect.any(String));
  });

  describe('against a stand-in server', () => {
    let stub: Server;
    let stubUrl: string;
    let requests = 0;
    let behaviour: 'busy-twice' | 'always-busy' | 'silent' = 'busy-twice';
    beforeAll(async () => {
      stub = createServer((request, response) => {
        requests += 1;
        if (behaviour === 'silent') return; // never answers: the client's timeout must end it
        if (behaviour === 'always-busy' || requests <= 2) {
          response.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1' });
          response.end(JSON.stringify({ type: 'urn:activation-lab:problem:unavailable', title: 'Service unavailable', status: 503, detail: 'Every thread is busy. Retry shortly.' }));
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'ok' }));
      });
      await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
      stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      stub.closeAllConnections();
      await new Promise((resolve) => stub.close(resolve));
    });

    it('the helper retries a 503 after its Retry-After', async () => {
      requireTools();
      behaviour = 'busy-twice';
      requests = 0;
      const snippet = 'import json\nfrom activation_lab import ActivationLab\nlab = ActivationLab()\nprint(json.dumps({"body": lab.get("/healthz"), "waited": lab.waited}))';
      const result = await run(PYTHON, ['-c', snippet], { ACTIVATION_LAB_URL: stubUrl });
      expect(result.code, describeRun(result)).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ body: { status: 'ok' }, waited: [1, 1] });
      expect(requests).toBe(3);
      expect(result.seconds).toBeGreaterThanOrEqual(2);
    });

    it('a script gives up after its retries and prints the 503', async () => {
      requireTools();
      behaviour = 'always-busy';
      requests = 0;
      const result = await run(PYTHON, ['-c', 'from activation_lab import ActivationLab, run\nrun(lambda lab: ActivationLab(retries=1).get("/healthz"))'], { ACTIVATION_LAB_URL: stubUrl });
      expect(result.code, describeRun(result)).toBe(1);
      expect(requests).toBe(2);
      expect(result.stderr).toMatch(/retrying in 1 s, attempt 1 of 1/);
      expect(result.stderr).toMatch(/error: 503 Service unavailable .*\n {2}detail: Every thread is busy\. Retry shortly\./);
    });

    it('a script times out on a service that does not answer', async () => {
      requireTools();
      behaviour = 'silent';
      const result = await run(PYTHON, ['evaluate.py'], { ACTIVATION_LAB_URL: stubUrl, ACTIVATION_LAB_TIMEOUT: '0.5' });
      expect(result.code, describeRun(result)).toBe(1);
      expect(result.stderr).toMatch(/did not answer in time/);
      expect(result.seconds).toBeLessThan(30);
    });
  });

  it('notebook.ipynb is committed with its outputs cleared', () => {
    const notebook = JSON.parse(readFileSync(NOTEBOOK, 'utf8')) as { cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[] };
    const code = notebook.cells.filter((cell) => cell.cell_type === 'code');
    expect(code.length).toBeGreaterThan(5);
    for (const cell of code) {
      expect(cell.outputs).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
  });

  it('notebook.ipynb executes under jupyter nbconvert and shows the story with its charts', async () => {
    requireTools();
    const folder = await mkdtemp(join(tmpdir(), 'activation-lab-notebook-'));
    try {
      const output = join(folder, 'story.ipynb');
      const result = await run(JUPYTER, ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=300', '--output', output, NOTEBOOK], { ACTIVATION_LAB_URL: service.url }, 400_000);
      expect(result.code, describeRun(result)).toBe(0);
      const executed = JSON.parse(await readFile(output, 'utf8')) as { cells: { cell_type: string; outputs?: { output_type: string; text?: string | string[]; data?: Record<string, string | string[]> }[] }[] };
      const outputs = executed.cells.flatMap((cell) => cell.outputs ?? []);
      const joined = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join('') : (value ?? ''));
      const text = outputs.filter((item) => item.output_type === 'stream').map((item) => joined(item.text)).join('');
      const svgs = outputs.filter((item) => item.data?.['image/svg+xml'] !== undefined).map((item) => joined(item.data?.['image/svg+xml']));
      expect(outputs.filter((item) => item.output_type === 'error')).toEqual([]);
      for (const marker of [
        /sigmoid +max derivative 0\.2500/,
        /verdict: vanishing/,
        /verdict: stable/,
        /relu, He +chi1 = 1\.0000 \(critical\)/,
        /the LSTM brings 10\^7\.\d times more gradient/,
        /sigmoid \+ Xavier \+ batch norm +step +63 /,
        /final: sigmoid \+ Xavier +test accuracy/,
      ]) {
        expect(text, text).toMatch(marker);
      }
      // Every chart the notebook asks for is shown inline as SVG.
      expect(svgs.length).toBe(9);
      for (const svg of svgs) expect(svg).toMatch(/<svg[\s>]/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 420_000);
});
