import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  checkCell,
  compareExcerpt,
  evaluate,
  matchesPrinted,
  merge,
  parseCurl,
  parseExcerpt,
  parseReadme,
  shellCommands,
  type CheckSpec,
  type CodeBlock,
  type Table,
} from './support/readme.js';
import { useTestServer } from './support/server.js';

// The README's examples and figure tables, sent to the service as it is built here.
const readmeText = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const readme = parseReadme(readmeText);
const server = useTestServer({ SIMULATION_THREADS: '2' });
const run = promisify(execFile);

/** The figure tables, the training example and the sweep job are real work (a few seconds each on an idle machine, more on a loaded one). */
const HEAVY = 180_000;

const base = () => `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function send(method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  const response = await fetch(`${base()}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let json: unknown;
  if (/json/.test(response.headers.get('content-type') ?? '')) json = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, json };
}

const answers = new Map<string, Promise<Answer>>();

/** One answer per distinct request; a figure table's cells share them. */
function answer(request: string, body: Record<string, unknown> | undefined): Promise<Answer> {
  const [method = '', path = ''] = request.trim().split(/\s+/);
  const payload = body && Object.keys(body).length > 0 ? JSON.stringify(body) : undefined;
  const key = `${method} ${path} ${payload ?? ''}`;
  let cached = answers.get(key);
  if (!cached) {
    cached = send(method, path, payload ? { 'content-type': 'application/json' } : {}, payload);
    answers.set(key, cached);
  }
  return cached;
}

/** Runs the functions two at a time (the service has two worker threads). */
async function twoAtATime<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all([lane(), lane()]);
  return results;
}

/** The live figure of `expression` for a request: the answer's, or the mean over `seeds`. */
async function figureSource(spec: CheckSpec, request: string, body: Record<string, unknown>) {
  const seeds = spec.seeds ?? [undefined];
  const live = await twoAtATime(seeds.map((seed) => () => answer(request, seed === undefined ? body : merge(body, { seed }))));
  for (const one of live) {
    if (one.status !== 200) throw new Error(`${request} ${JSON.stringify(body)} answered ${one.status}: ${one.text.slice(0, 400)}`);
  }
  return (expression: string): unknown => {
    const values = live.map((one) => evaluate(one.json, expression));
    if (values.length === 1) return values[0];
    if (values.every((value) => typeof value === 'number')) return values.reduce((sum, value) => sum + value, 0) / values.length;
    return values.every((value) => value === values[0]) ? values[0] : values;
  };
}

async function tableProblems(table: Table, spec: CheckSpec): Promise<string[]> {
  const rows = spec.rows ?? [];
  const columns = spec.columns ?? [];
  if (rows.length !== table.rows.length) return [`the annotation names ${rows.length} rows, the table has ${table.rows.length}`];
  if (columns.length !== table.header.length) return [`the annotation names ${columns.length} columns, the table has ${table.header.length}`];
  const cells = rows.flatMap((row, rowIndex) =>
    columns.map((column, columnIndex) => {
      const { body, cell } = typeof column === 'string' ? { body: undefined, cell: column } : column;
      return {
        rowIndex,
        columnIndex,
        template: row.cells?.[columnIndex] ?? cell,
        request: row.request ?? spec.request,
        body: merge(spec.body, row.body, body),
      };
    }),
  );
  const problems = await twoAtATime(
    cells.map((cell) => async () => {
      if (cell.template === '**') return [];
      const figure = await figureSource(spec, cell.request, cell.body);
      const text = table.rows[cell.rowIndex]?.[cell.columnIndex] ?? '';
      return checkCell(text, cell.template, figure).map(
        (problem) => `row ${cell.rowIndex + 1} (${table.rows[cell.rowIndex]?.[0]}), column "${table.header[cell.columnIndex]}": ${problem}`,
      );
    }),
  );
  return problems.flat();
}

const describeTable = (table: Table) => `${table.header.slice(0, 3).join(' | ').slice(0, 70)} (line ${table.line})`;

describe('README.md', () => {
  it('says of every table whether it is checked against the service, measured by a named command, or holds no figure of the service', () => {
    const unmarked = readme.tables.filter((table) => table.annotation === undefined).map(describeTable);
    expect(unmarked, 'tables without a <!-- readme-check / readme-measured / readme-reference --> annotation').toEqual([]);
    expect(readme.tables.length).toBeGreaterThan(20);
  });

  it('names for every measured table a command that exists', () => {
    const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const problems: string[] = [];
    for (const table of readme.tables) {
      const annotation = table.annotation;
      if (annotation?.kind === 'reference' && annotation.reason === '') problems.push(`${describeTable(table)}: a reference table without its reason`);
      if (annotation?.kind !== 'measured') continue;
      const npmRun = [...annotation.command.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1] ?? '');
      const files = [...annotation.command.matchAll(/\b((?:scripts|bench)\/[\w./-]+\.ts)\b/g)].map((match) => match[1] ?? '');
      if (npmRun.length + files.length === 0) problems.push(`${describeTable(table)}: "${annotation.command}" names no npm script or script file`);
      for (const name of npmRun) if (!(name in scripts)) problems.push(`${describeTable(table)}: no npm script "${name}"`);
      for (const file of files) if (!existsSync(new URL(`../${file}`, import.meta.url))) problems.push(`${describeTable(table)}: no file ${file}`);
    }
    expect(problems).toEqual([]);
  });

  const checked = readme.tables.filter((table) => table.annotation?.kind === 'check');
  it.each(checked.map((table) => [describeTable(table), table] as const))('shows the live answers in the table %s', async (_name, table) => {
    if (table.annotation?.kind !== 'check') throw new Error('unreachable');
    expect(await tableProblems(table, table.annotation.spec)).toEqual([]);
  }, HEAVY);

  it.each(readme.paragraphs.map((paragraph) => [`line ${paragraph.line}`, paragraph] as const))(
    'quotes the live figures in the paragraph at %s',
    async (_name, paragraph) => {
      const problems: string[] = [];
      for (const [shown, expression, change] of paragraph.spec.figures ?? []) {
        const figure = await figureSource(paragraph.spec, paragraph.spec.request, merge(paragraph.spec.body, change));
        if (!paragraph.text.replace(/\s+/g, ' ').includes(shown)) problems.push(`"${shown}" is not in the paragraph`);
        // The figure is the last number of the quoted words (`10^−18.7 of the last` → −18.7).
        const number = [...shown.matchAll(/[−+-]?\d+(?:\.\d+)?(?:e[−+-]?\d+)?/g)].at(-1)?.[0] ?? shown;
        if (!matchesPrinted(number, figure(expression))) problems.push(`${shown} is shown for ${expression}, the service answers ${String(figure(expression))}`);
      }
      expect(problems).toEqual([]);
    },
    HEAVY,
  );

  const examples = readme.blocks.filter((block) => block.language === 'sh' && /^\s*curl\b/m.test(block.text));
  it.each(examples.map((block, position) => [`line ${block.line}`, block, readme.blocks[readme.blocks.indexOf(block) + 1], position] as const))(
    'answers the example at %s as the README shows',
    async (_name, block: CodeBlock, following: CodeBlock | undefined) => {
      // A JSON block right after an example is the answer of its last command.
      const between = readmeText.split('\n').slice(block.line + block.text.split('\n').length + 1, following ? following.line - 1 : 0);
      const excerpt = following?.language === 'json' && between.every((line) => line.trim() === '') ? following.text : undefined;

      if (/\|\s*$|\|\s*\n|\|\s+curl/m.test(block.text)) {
        // A pipeline (raw float64 in and out): run it as written against this server; the comment after it is its output.
        const script = block.text.replaceAll('localhost:3000', base().replace('http://', ''));
        const expected = block.text.split('\n').filter((line) => line.startsWith('# ')).map((line) => line.slice(2)).join('\n');
        const { stdout } = await run('bash', ['-o', 'pipefail', '-c', script], { timeout: 20_000 });
        expect(stdout.trim()).toBe(expected);
        return;
      }

      // A comment line under a command (`# 202, Location: …`) says what it answers.
      const commands: string[] = [];
      for (const command of shellCommands(block.text)) {
        if (/^\s*curl\b/.test(command)) commands.push(command);
        else if (/^\s*#/.test(command) && commands.length > 0) commands[commands.length - 1] += ` ${command.trim()}`;
      }
      let jobId: string | undefined;
      for (const [position, command] of commands.entries()) {
        const request = parseCurl(command.replaceAll('<id>', jobId ?? '<id>'));
        const live = await send(request.method, request.path, request.headers, request.body);
        const isLast = position === commands.length - 1;
        const shown = isLast && excerpt !== undefined ? parseExcerpt(excerpt.trim()) : undefined;
        const shownStatus =
          shown?.kind === 'object' ? shown.members.find(([key]) => key === 'status')?.[1] : undefined;
        const expectedStatus =
          request.expectedStatus ?? (shownStatus?.kind === 'number' && shown?.kind === 'object' && shown.members.some(([key]) => key === 'type') ? Number(shownStatus.text) : 200);
        expect(live.status, `${request.source}\n${live.text.slice(0, 300)}`).toBe(expectedStatus);
        const location = live.headers.get('location');
        if (location?.startsWith('/v1/jobs/')) jobId = location.slice('/v1/jobs/'.length);
        if (request.inlineAnswer !== undefined) expect(compareExcerpt(parseExcerpt(request.inlineAnswer), live.json)).toEqual([]);
        if (shown) expect(compareExcerpt(shown, live.json), request.source).toEqual([]);
      }
    },
    HEAVY,
  );

  it('runs, in .ci/run, the test command the quick start gives', () => {
    const quickStart = readme.blocks.find((block) => /npm test/.test(block.text));
    const command = quickStart?.text.split('#')[0]?.trim();
    expect(command).toBe('npm ci && npm test');
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
    // .ci/run may add npm's quiet flags (--no-audit --no-fund), nothing else.
    const withoutFlags = (line: string) => line.replace(/\s--no-(audit|fund)\b/g, '').trim();
    expect(ci.split('\n').some((line) => withoutFlags(line) === command)).toBe(true);
  });
});
