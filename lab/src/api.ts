/**
 * The lab talks to the service only through its public API: every figure is
 * one request, described here as plain data so that the page can send it,
 * show it and hand it over as curl or Python.
 */

export const JSON_TYPE = 'application/json';
export const VEGA_LITE = 'application/vnd.vegalite+json';
export const NDJSON = 'application/x-ndjson';

export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/v1/simulations/feedforward?chart=statistics`. */
  path: string;
  body?: unknown;
  accept: string;
}

/** A problem+json answer (or a network failure), with the service's own words. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

async function problemOf(response: Response): Promise<ApiError> {
  let detail = `${response.status} ${response.statusText}`;
  try {
    const problem = (await response.json()) as { title?: string; detail?: string };
    detail = problem.detail ?? problem.title ?? detail;
  } catch {
    // Not a problem document: keep the status line.
  }
  return new ApiError(detail, response.status);
}

export async function send(request: ApiRequest, signal?: AbortSignal): Promise<Response> {
  const init: RequestInit = { method: request.method, headers: { accept: request.accept }, signal: signal ?? null };
  if (request.body !== undefined) {
    init.body = JSON.stringify(request.body);
    init.headers = { accept: request.accept, 'content-type': JSON_TYPE };
  }
  const response = await fetch(request.path, init);
  if (!response.ok) throw await problemOf(response);
  return response;
}

export async function fetchJson<T>(request: ApiRequest, signal?: AbortSignal): Promise<T> {
  return (await (await send(request, signal)).json()) as T;
}

/** Every JSON line of an NDJSON answer, as it arrives. */
export async function* ndjsonLines(request: ApiRequest, signal: AbortSignal): AsyncGenerator<unknown> {
  const response = await send(request, signal);
  if (response.body === null) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line !== '') yield JSON.parse(line);
      newline = buffered.indexOf('\n');
    }
  }
  if (buffered.trim() !== '') yield JSON.parse(buffered);
}

export const post = (path: string, body: unknown, accept = JSON_TYPE): ApiRequest => ({ method: 'POST', path, body, accept });
export const get = (path: string, accept = JSON_TYPE): ApiRequest => ({ method: 'GET', path, accept });

/** A shell word in single quotes. */
const shellQuoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** The request as a curl command line (pretty JSON body, the lab's own Accept). */
export function curlOf(request: ApiRequest, origin: string): string {
  // -N: curl prints a stream's lines as they arrive.
  const flags = request.accept === NDJSON ? '-sN' : '-s';
  const lines = [`curl ${flags} ${request.method === 'GET' ? '' : '-X POST '}${shellQuoted(origin + request.path)}`, `  -H ${shellQuoted(`accept: ${request.accept}`)}`];
  if (request.body !== undefined) {
    lines.push(`  -H 'content-type: application/json'`);
    lines.push(`  -d ${shellQuoted(JSON.stringify(request.body, null, 2))}`);
  }
  const tail = request.accept === VEGA_LITE ? ["# the same chart as a picture: -H 'accept: image/svg+xml' -o chart.svg (or image/png)"] : [];
  return [lines.join(' \\\n'), ...tail].join('\n');
}

/** JSON as a Python literal (true/false/null spelled the Python way). */
function pythonLiteral(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent + 4);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item !== 'object' || item === null)) return `[${value.map((item) => pythonLiteral(item)).join(', ')}]`;
    return `[\n${value.map((item) => pad + pythonLiteral(item, indent + 4)).join(',\n')},\n${' '.repeat(indent)}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${pad}${JSON.stringify(key)}: ${pythonLiteral(item, indent + 4)}`).join(',\n')},\n${' '.repeat(indent)}}`;
}

/** The request as a Python script with `requests`. */
export function pythonOf(request: ApiRequest, origin: string): string {
  const call = request.method === 'GET' ? 'requests.get' : 'requests.post';
  const lines = ['import requests', ''];
  if (request.body !== undefined) lines.push(`body = ${pythonLiteral(request.body)}`, '');
  const args = [JSON.stringify(origin + request.path), ...(request.body === undefined ? [] : ['json=body']), `headers={"accept": ${JSON.stringify(request.accept)}}`];
  if (request.accept === NDJSON) {
    lines.push(`with ${call}(${args.join(', ')}, stream=True) as response:`, '    response.raise_for_status()', '    for line in response.iter_lines():', '        print(line.decode())');
    return lines.join('\n');
  }
  lines.push(`response = ${call}(${args.join(', ')})`, 'response.raise_for_status()');
  if (request.accept === VEGA_LITE) {
    lines.push('spec = response.json()  # a Vega-Lite spec: altair.Chart.from_dict(spec) draws it', '# the same chart as a picture: headers={"accept": "image/svg+xml"}, then response.text');
  } else {
    lines.push('result = response.json()');
  }
  return lines.join('\n');
}
