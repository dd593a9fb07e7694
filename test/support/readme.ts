import { parse as parseYaml } from 'yaml';

/**
 * Reads README.md as the README test sees it: its fenced code blocks, its
 * tables with the annotation before each, and the annotated paragraphs.
 *
 * Annotations are HTML comments (invisible on GitHub), one before each table:
 *
 *   <!-- readme-check        YAML: the request behind every cell, and what each column shows -->
 *   <!-- readme-measured: <command that reproduces it> -->
 *   <!-- readme-reference: <why the table holds no figure of the service> -->
 *
 * A `readme-check` whose YAML has `figures:` instead of `columns:` checks the
 * paragraph after it (figures quoted in prose).
 */

export interface CodeBlock {
  language: string;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export interface Table {
  line: number;
  header: string[];
  rows: string[][];
  annotation: Annotation | undefined;
}

export type Annotation =
  | { kind: 'check'; line: number; spec: CheckSpec }
  | { kind: 'measured'; line: number; command: string }
  | { kind: 'reference'; line: number; reason: string };

/** A request: `POST /v1/…` (or `GET /v1/…`) and a JSON body, deep-merged from the table, the row and the column. */
export interface CheckSpec {
  request: string;
  body?: Record<string, unknown>;
  /** Every figure is the mean over these seeds (the body's `seed` set to each). */
  seeds?: number[];
  rows?: RowSpec[];
  /** Per column: `**` (a label, not a figure), or a template: `{expression}` where the live figure stands, `*` for text without digits. */
  columns?: (string | ColumnSpec)[];
  /** Prose: [the figure as printed, in its words; its expression; what the request body changes for it]. */
  figures?: [string, string, Record<string, unknown>?][];
}

export interface RowSpec {
  body?: Record<string, unknown>;
  request?: string;
  /** Templates that replace the column's for this row, by column index. */
  cells?: Record<number, string>;
}

export interface ColumnSpec {
  body?: Record<string, unknown>;
  cell: string;
}

export interface AnnotatedParagraph {
  line: number;
  text: string;
  spec: CheckSpec;
}

export interface Readme {
  blocks: CodeBlock[];
  tables: Table[];
  paragraphs: AnnotatedParagraph[];
}

function parseAnnotation(comment: string, line: number): Annotation | undefined {
  const body = comment.replace(/^<!--\s*/, '').replace(/\s*-->$/, '');
  const match = /^readme-(check|measured|reference)\b:?\s*([\s\S]*)$/.exec(body);
  if (!match) return undefined;
  const [, kind, rest = ''] = match;
  if (kind === 'measured') return { kind, line, command: rest.trim() };
  if (kind === 'reference') return { kind, line, reason: rest.trim() };
  let spec: unknown;
  try {
    spec = parseYaml(rest);
  } catch (error) {
    throw new Error(`README.md:${line}: the readme-check annotation is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (typeof spec !== 'object' || spec === null || typeof (spec as CheckSpec).request !== 'string') {
    throw new Error(`README.md:${line}: a readme-check annotation needs at least \`request: METHOD /path\``);
  }
  return { kind: 'check', line, spec: spec as CheckSpec };
}

const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

export function parseReadme(source: string): Readme {
  const lines = source.split('\n');
  const readme: Readme = { blocks: [], tables: [], paragraphs: [] };
  let pending: Annotation | undefined;
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    const fence = /^```(\S*)/.exec(line);
    if (fence) {
      const start = index;
      index += 1;
      const text: string[] = [];
      while (index < lines.length && !(lines[index] ?? '').startsWith('```')) text.push(lines[index++] ?? '');
      readme.blocks.push({ language: fence[1] ?? '', text: text.join('\n'), line: start + 1 });
      index += 1;
      continue;
    }
    if (line.startsWith('<!--') && !line.startsWith('<!-- prettier')) {
      const start = index;
      const comment = [line];
      while (!(comment.at(-1) ?? '').includes('-->') && index + 1 < lines.length) comment.push(lines[++index] ?? '');
      const annotation = parseAnnotation(comment.join('\n').trim(), start + 1);
      if (annotation) {
        if (pending) throw new Error(`README.md:${pending.line}: an annotation that no table or paragraph follows`);
        pending = annotation;
      }
      index += 1;
      continue;
    }
    if (line.startsWith('|')) {
      const start = index;
      const tableLines: string[] = [];
      while (index < lines.length && (lines[index] ?? '').startsWith('|')) tableLines.push(lines[index++] ?? '');
      const [header = '', , ...body] = tableLines;
      readme.tables.push({ line: start + 1, header: splitRow(header), rows: body.map(splitRow), annotation: pending });
      pending = undefined;
      continue;
    }
    if (line.trim() !== '' && pending) {
      if (pending.kind !== 'check' || !pending.spec.figures) {
        throw new Error(`README.md:${pending.line}: a table annotation followed by text, not by its table`);
      }
      const start = index;
      const paragraph: string[] = [];
      while (index < lines.length && (lines[index] ?? '').trim() !== '') paragraph.push(lines[index++] ?? '');
      readme.paragraphs.push({ line: start + 1, text: paragraph.join('\n'), spec: pending.spec });
      pending = undefined;
      continue;
    }
    index += 1;
  }
  if (pending) throw new Error(`README.md:${pending.line}: an annotation at the end of the file`);
  return readme;
}

// ---------------------------------------------------------------- curl examples

export interface CurlRequest {
  method: string;
  /** Path and query, as written (`/v1/…?…`). */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** The status the README shows (`# 202`) or implies (a problem's `status`; else 2xx). */
  expectedStatus: number | undefined;
  /** A JSON answer written after the command (`# {"status":"ok"}`), if any. */
  inlineAnswer: string | undefined;
  source: string;
}

/** Splits a command line as a POSIX shell would (single and double quotes, backslashes), up to an unquoted `#`. */
export function shellWords(command: string): { words: string[]; comment: string | undefined } {
  const words: string[] = [];
  let word: string | undefined;
  let index = 0;
  const push = (text: string) => {
    word = (word ?? '') + text;
  };
  while (index < command.length) {
    const char = command[index] ?? '';
    if (char === "'") {
      const end = command.indexOf("'", index + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${command}`);
      push(command.slice(index + 1, end));
      index = end + 1;
    } else if (char === '"') {
      let text = '';
      index += 1;
      while (index < command.length && command[index] !== '"') {
        if (command[index] === '\\' && /["\\$`]/.test(command[index + 1] ?? '')) index += 1;
        text += command[index];
        index += 1;
      }
      push(text);
      index += 1;
    } else if (char === '\\') {
      push(command[index + 1] ?? '');
      index += 2;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      index += 1;
    } else if (char === '#' && word === undefined) {
      return { words, comment: command.slice(index + 1).trim() };
    } else {
      push(char);
      index += 1;
    }
  }
  if (word !== undefined) words.push(word);
  return { words, comment: undefined };
}

/** Joins `\`-continued lines and single-quoted strings that span lines into whole commands. */
export function shellCommands(text: string): string[] {
  const commands: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    current = current === '' ? line : `${current}\n${line}`;
    const quotes = (current.replace(/"[^"']*"/g, '').match(/'/g) ?? []).length;
    if (quotes % 2 === 1) continue;
    if (/\\$/.test(current)) {
      current = current.replace(/\\$/, '');
      continue;
    }
    if (current.trim() !== '') commands.push(current);
    current = '';
  }
  if (current.trim() !== '') commands.push(current);
  return commands;
}

/** The balanced JSON value at the start of `text` (`{"status":"ok"}; 503 …` → `{"status":"ok"}`). */
function leadingJson(text: string): string | undefined {
  if (!text.startsWith('{')) return undefined;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}' && --depth === 0) return text.slice(0, index + 1);
  }
  return undefined;
}

/** Parses one `curl …` command of the README into the request it sends. */
export function parseCurl(command: string): CurlRequest {
  const { words, comment } = shellWords(command);
  if (words[0] !== 'curl') throw new Error(`not a curl command: ${command}`);
  let method: string | undefined;
  let url: string | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let index = 1; index < words.length; index += 1) {
    const word = words[index] ?? '';
    const next = () => {
      index += 1;
      const value = words[index];
      if (value === undefined) throw new Error(`${word} without its value in: ${command}`);
      return value;
    };
    if (word === '-H' || word === '--header') {
      const header = next();
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (word === '-d' || word === '--data' || word === '--data-binary' || word === '--data-raw') body = next();
    else if (word === '-X' || word === '--request') method = next();
    else if (word === '-o' || word === '--output' || word === '>') next();
    else if (/^-[a-zA-Z]+$/.test(word) && /^[siNLfS]+$/.test(word.slice(1))) continue;
    else if (word.startsWith('-')) throw new Error(`the README test does not know curl's ${word} (in: ${command})`);
    else if (url === undefined) url = word;
    else throw new Error(`two addresses in: ${command}`);
  }
  if (url === undefined) throw new Error(`no address in: ${command}`);
  const path = url.replace(/^(https?:\/\/)?(localhost|127\.0\.0\.1):3000/, '');
  if (!path.startsWith('/')) throw new Error(`an address that is not the local service's: ${url}`);
  if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const status = comment ? /^(\d{3})\b/.exec(comment) : null;
  return {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    path,
    headers,
    body,
    expectedStatus: status ? Number(status[1]) : undefined,
    inlineAnswer: comment ? leadingJson(comment) : undefined,
    source: command.trim(),
  };
}

// ---------------------------------------------------------------- figures as printed

/** U+2212, the minus sign the README prints (an en dash is a range: 0.67–0.90). */
const MINUS = /−/g;

/** The number a figure prints (`−17.47`, `+0.29`, `2.3e−5`, `11/48`), or undefined. */
export function printedNumber(text: string): number | undefined {
  const plain = text.replace(MINUS, '-').replace(/^\+/, '');
  const fraction = /^(-?\d+)\/(\d+)$/.exec(plain);
  if (fraction) return Number(fraction[1]) / Number(fraction[2]);
  return /^-?\d+(\.\d+)?(e[-+]?\d+)?$/.test(plain) ? Number(plain) : undefined;
}

/**
 * Whether `live` reads as `shown` at the precision shown: the same double when
 * every digit is shown, else `live` rounded to as many decimals (or mantissa
 * digits) as `shown` has; an integer means that integer; a fraction a/b to 1e−12.
 */
export function matchesPrinted(shown: string, live: unknown): boolean {
  if (typeof live !== 'number') return false;
  const plain = shown.replace(MINUS, '-').replace(/^\+/, '');
  const value = printedNumber(plain);
  if (value === undefined) return false;
  if (Object.is(value, live) || value === live) return true;
  if (plain.includes('/')) return Math.abs(live - value) <= 1e-12 * Math.max(1, Math.abs(value));
  const negativeZero = (text: string) => text.replace(/^-(?=0(\.0*)?(e|$))/, '');
  const exponent = /^(-?\d+)(?:\.(\d+))?e([-+]?\d+)$/.exec(plain);
  if (exponent) {
    const digits = exponent[2]?.length ?? 0;
    const normal = (text: string) => text.replace('e+', 'e').replace(/e(-?)0+(\d)/, 'e$1$2');
    return normal(live.toExponential(digits)) === normal(plain);
  }
  const decimals = /\.(\d+)$/.exec(plain)?.[1]?.length ?? 0;
  if (decimals === 0) return false; // an integer is shown exactly
  return negativeZero(live.toFixed(decimals)) === negativeZero(plain);
}

// ---------------------------------------------------------------- expressions over an answer

/** The value at a dotted path (`layers.0.gradient.log10WeightNorm`; `-1` the last element; `*` every element). */
export function valueAt(answer: unknown, path: string): unknown {
  let values: unknown[] = [answer];
  let spread = false;
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const value of values) {
      if (key === '*') {
        if (!Array.isArray(value)) throw new Error(`${path}: * on something that is not a list`);
        next.push(...(value as unknown[]));
        spread = true;
      } else if (Array.isArray(value)) {
        const position = Number(key);
        if (!Number.isInteger(position)) throw new Error(`${path}: ${key} is not an index`);
        next.push(value.at(position));
      } else if (typeof value === 'object' && value !== null) next.push((value as Record<string, unknown>)[key]);
      else next.push(undefined);
    }
    values = next;
  }
  return spread ? values : values[0];
}

const reducers: Record<string, (values: number[]) => number> = {
  min: (values) => Math.min(...values),
  max: (values) => Math.max(...values),
  mean: (values) => values.reduce((sum, value) => sum + value, 0) / values.length,
};

/** Evaluates `path`, `min(path)`, `max(path)`, `mean(path)`, and sums and differences of them (`a - b`, spaced). */
export function evaluate(answer: unknown, expression: string): unknown {
  const terms = expression.trim().split(/\s+([-+])\s+/);
  const term = (text: string): unknown => {
    const call = /^(min|max|mean)\((.+)\)$/.exec(text.trim());
    if (call) {
      const values = valueAt(answer, call[2] ?? '');
      if (!Array.isArray(values) || !values.every((value) => typeof value === 'number')) {
        throw new Error(`${text}: not a list of numbers`);
      }
      return reducers[call[1] ?? '']?.(values);
    }
    return valueAt(answer, text.trim());
  };
  let result = term(terms[0] ?? '');
  for (let index = 1; index < terms.length; index += 2) {
    const right = term(terms[index + 1] ?? '');
    if (typeof result !== 'number' || typeof right !== 'number') return undefined;
    result = terms[index] === '-' ? result - right : result + right;
  }
  return result;
}

// ---------------------------------------------------------------- cells against templates

const NUMBER = String.raw`([−+-]?\d+(?:\.\d+)?(?:e[−+-]?\d+)?|\d+\/\d+)`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Checks one table cell against its template and the live figures:
 * returns the problems (empty when the cell reads as the live answer).
 * `figure(expression)` gives the live value of a `{expression}`.
 */
export function checkCell(cell: string, template: string, figure: (expression: string) => unknown): string[] {
  if (template === '**') return [];
  const parts = template.split(/(\{[^}]+\}|\*)/).filter((part) => part !== '');
  const expressions: string[] = [];
  let pattern = '';
  for (const part of parts) {
    if (part === '*') pattern += '[^0-9]*?';
    else if (part.startsWith('{')) {
      const expression = part.slice(1, -1);
      const value = figure(expression);
      if (typeof value === 'number') {
        pattern += NUMBER;
        expressions.push(expression);
      } else if (typeof value === 'string') pattern += escape(value);
      else return [`{${expression}} is ${JSON.stringify(value)} in the live answer`];
    } else pattern += escape(part);
  }
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
  const match = new RegExp(`^${pattern}$`).exec(normalise(cell));
  if (!match) return [`"${cell}" does not read as "${template}" (live: ${parts.map((part) => (part.startsWith('{') ? JSON.stringify(figure(part.slice(1, -1))) : part)).join('')})`];
  const problems: string[] = [];
  expressions.forEach((expression, position) => {
    const shown = match[position + 1] ?? '';
    const live = figure(expression);
    if (!matchesPrinted(shown, live)) problems.push(`${shown} is shown for ${expression}, the service answers ${String(live)}`);
  });
  return problems;
}

// ---------------------------------------------------------------- JSON answer excerpts

const ELLIPSIS = Symbol('…');

export type Excerpt =
  | { kind: 'any' }
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'literal'; value: boolean | null }
  | { kind: 'array'; items: Excerpt[]; open: boolean }
  | { kind: 'object'; members: [string, Excerpt][]; open: boolean };

/** Parses a JSON answer as the README prints it: JSON where `…` stands for any value, or for more members or elements. */
export function parseExcerpt(text: string): Excerpt {
  let index = 0;
  const space = () => {
    while (/\s/.test(text[index] ?? '')) index += 1;
  };
  const fail = (what: string): never => {
    throw new Error(`JSON excerpt: ${what} at ${index}: ${text.slice(index, index + 40)}`);
  };
  const string = (): string => {
    const start = index;
    index += 1;
    while (text[index] !== '"') {
      if (index >= text.length) fail('unterminated string');
      if (text[index] === '\\') index += 1;
      index += 1;
    }
    index += 1;
    return JSON.parse(text.slice(start, index)) as string;
  };
  const value = (): Excerpt | typeof ELLIPSIS => {
    space();
    const char = text[index];
    if (char === '…') {
      index += 1;
      return ELLIPSIS;
    }
    if (char === '"') return { kind: 'string', value: string() };
    if (char === '{') {
      index += 1;
      const members: [string, Excerpt][] = [];
      let open = false;
      space();
      if (text[index] === '}') {
        index += 1;
        return { kind: 'object', members, open };
      }
      for (;;) {
        space();
        if (text[index] === '…') {
          index += 1;
          open = true;
        } else {
          if (text[index] !== '"') fail('a key expected');
          const key = string();
          space();
          if (text[index] !== ':') fail('":" expected');
          index += 1;
          const member = value();
          members.push([key, member === ELLIPSIS ? { kind: 'any' } : member]);
        }
        space();
        if (text[index] === ',') index += 1;
        else if (text[index] === '}') {
          index += 1;
          return { kind: 'object', members, open };
        } else fail('"," or "}" expected');
      }
    }
    if (char === '[') {
      index += 1;
      const items: Excerpt[] = [];
      let open = false;
      space();
      if (text[index] === ']') {
        index += 1;
        return { kind: 'array', items, open };
      }
      for (;;) {
        const item = value();
        if (item === ELLIPSIS) open = true;
        else if (open) fail('an element after "…"');
        else items.push(item);
        space();
        if (text[index] === ',') index += 1;
        else if (text[index] === ']') {
          index += 1;
          return { kind: 'array', items, open };
        } else fail('"," or "]" expected');
      }
    }
    const literal = /^(true|false|null)/.exec(text.slice(index));
    if (literal) {
      index += literal[0].length;
      return { kind: 'literal', value: literal[0] === 'null' ? null : literal[0] === 'true' };
    }
    const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(index));
    if (number) {
      index += number[0].length;
      return { kind: 'number', text: number[0] };
    }
    return fail('a value expected');
  };
  const result = value();
  space();
  if (index !== text.length) fail('text after the value');
  return result === ELLIPSIS ? { kind: 'any' } : result;
}

/** Compares a live answer with the README's excerpt; returns the differences, each with its dotted path. */
export function compareExcerpt(excerpt: Excerpt, live: unknown, path = '(answer)'): string[] {
  const at = (key: string | number) => (path === '(answer)' ? String(key) : `${path}.${key}`);
  switch (excerpt.kind) {
    case 'any':
      return live === undefined ? [`${path}: missing`] : [];
    case 'number':
      return matchesPrinted(excerpt.text, live) ? [] : [`${path}: the README shows ${excerpt.text}, the service answers ${JSON.stringify(live)}`];
    case 'literal':
      return live === excerpt.value ? [] : [`${path}: the README shows ${String(excerpt.value)}, the service answers ${JSON.stringify(live)}`];
    case 'string': {
      if (typeof live !== 'string') return [`${path}: the README shows a string, the service answers ${JSON.stringify(live)}`];
      const pattern = new RegExp(`^${excerpt.value.split('…').map(escape).join('[\\s\\S]*')}$`);
      return pattern.test(live) ? [] : [`${path}: the README shows ${JSON.stringify(excerpt.value)}, the service answers ${JSON.stringify(live)}`];
    }
    case 'array': {
      if (!Array.isArray(live)) return [`${path}: the README shows a list, the service answers ${JSON.stringify(live)}`];
      const problems: string[] = [];
      if (excerpt.open ? live.length < excerpt.items.length : live.length !== excerpt.items.length) {
        problems.push(`${path}: the README shows ${excerpt.items.length}${excerpt.open ? ' or more' : ''} elements, the service answers ${live.length}`);
      }
      excerpt.items.forEach((item, position) => problems.push(...compareExcerpt(item, live[position], at(position))));
      return problems;
    }
    case 'object': {
      if (typeof live !== 'object' || live === null || Array.isArray(live)) {
        return [`${path}: the README shows an object, the service answers ${JSON.stringify(live)}`];
      }
      const record = live as Record<string, unknown>;
      const problems: string[] = [];
      const shown = new Set(excerpt.members.map(([key]) => key));
      if (!excerpt.open) {
        for (const key of Object.keys(record)) if (!shown.has(key)) problems.push(`${at(key)}: in the answer, not in the README (or write "…")`);
      }
      for (const [key, member] of excerpt.members) {
        if (!(key in record)) problems.push(`${at(key)}: in the README, not in the answer`);
        else problems.push(...compareExcerpt(member, record[key], at(key)));
      }
      return problems;
    }
  }
}

/** Deep merge of plain objects (later wins; arrays and scalars replace). */
export function merge(...objects: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const object of objects) {
    for (const [key, value] of Object.entries(object ?? {})) {
      const previous = result[key];
      const plain = (candidate: unknown): candidate is Record<string, unknown> =>
        typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate);
      result[key] = plain(previous) && plain(value) ? merge(previous, value) : value;
    }
  }
  return result;
}
