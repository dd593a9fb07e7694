/**
 * PyTorch beside our benches: Debian's /usr/bin/python3 with python3-torch (not
 * the python3 first on PATH), one thread, and which BLAS its products really
 * run on. torch.__config__ says only BLAS_INFO=generic for Debian's build (it
 * links libblas.so.3, which Debian's alternatives point at OpenBLAS or at the
 * reference BLAS, ~20× slower), so the probe reads the library the process has
 * mapped after a product.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

export interface TorchSetup {
  version: string;
  threads: number;
  /** torch.__config__'s BLAS_INFO. */
  configuredBlas: string;
  /** The BLAS library mapped into the process after a product (a path), or what stands in for it. */
  loadedBlas: string;
  openBlas: boolean;
}

const PROBE = `
import json, re, torch
torch.set_num_threads(1)
torch.ones(64, 64) @ torch.ones(64, 64)
maps = open("/proc/self/maps").read()
libraries = sorted({line.split()[-1] for line in maps.splitlines() if re.search(r"blas", line.split()[-1] if line.split() else "", re.I)})
info = re.search(r"BLAS_INFO=([^,]+)", torch.__config__.show())
print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "configuredBlas": info.group(1) if info else "?", "libraries": libraries}))
`;

/** null when /usr/bin/python3 cannot import torch. */
export function torchSetup(): TorchSetup | null {
  if (!existsSync(PYTHON)) return null;
  const probe = spawnSync(PYTHON, ['-c', PROBE], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const found = JSON.parse(probe.stdout.trim().split('\n').at(-1) as string) as { version: string; threads: number; configuredBlas: string; libraries: string[] };
  const openBlas = found.libraries.find((library) => /openblas/i.test(library));
  const loadedBlas = openBlas ?? found.libraries[0] ?? "torch's own kernels (no BLAS library mapped)";
  return { version: found.version, threads: found.threads, configuredBlas: found.configuredBlas, loadedBlas, openBlas: openBlas !== undefined };
}

export function describeTorch(setup: TorchSetup): string {
  const warning = setup.openBlas ? '' : ' — not OpenBLAS: install libopenblas0-pthread, the reference BLAS is ~20× slower and flatters us';
  return `PyTorch ${setup.version} from ${PYTHON}, ${setup.threads} thread, BLAS_INFO=${setup.configuredBlas}, products on ${setup.loadedBlas}${warning}`;
}

export const TORCH_MISSING = `PyTorch is not importable from ${PYTHON} (Debian: apt-get install python3-torch libopenblas0-pthread); no side-by-side figures.`;

/** Runs a bench/python script with a JSON config and returns its last output line, parsed. */
export function runPython<Result>(script: string, config: unknown): Result {
  const output = execFileSync(PYTHON, [script, JSON.stringify(config)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output.trim().split('\n').at(-1) as string) as Result;
}
