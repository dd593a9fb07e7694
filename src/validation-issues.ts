import type { FieldError } from './problems.js';

/**
 * Turns zod issues (directly, or as wrapped by fastify-type-provider-zod) into
 * the `errors` list of a problem: one entry per offending field, with a dotted path.
 */

interface IssueLike {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
  errors?: readonly (readonly IssueLike[])[];
  /** zod's custom-issue params; `unlisted` marks the issue that only counts further errors (src/schemas/numbers.ts). */
  params?: { unlisted?: number };
}

/** The wrapped form fastify-type-provider-zod puts in `error.validation`. */
interface WrappedIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

export function unwrapFastifyIssue(wrapped: WrappedIssue): IssueLike {
  const params = wrapped.params ?? {};
  return {
    code: wrapped.keyword,
    path: wrapped.instancePath.split('/').filter((segment) => segment !== ''),
    message: wrapped.message ?? 'Invalid value',
    keys: params['keys'] as string[] | undefined,
    errors: params['errors'] as IssueLike[][] | undefined,
    params: params['params'] as IssueLike['params'],
  };
}

/** Longest path or message echoed back; a client's 8 MiB key or id must not come back as an 8 MiB problem. */
export const MAX_ECHO_LENGTH = 200;

/** `text` cut to `MAX_ECHO_LENGTH` characters, saying how long it was. */
export function echo(text: string): string {
  return text.length <= MAX_ECHO_LENGTH ? text : `${text.slice(0, MAX_ECHO_LENGTH)}… (${text.length} characters)`;
}

const joinPath = (segments: readonly PropertyKey[]): string => echo(segments.map(String).join('.'));

/** How many errors the issues counted without listing them (capped number lists report the rest as a count). */
export function unlistedErrors(issues: readonly IssueLike[]): number {
  return issues.reduce((total, issue) => total + (issue.params?.unlisted ?? 0), 0);
}

/** Depth of the deepest issue in a union branch: the branch that got furthest is the one the client meant. */
const branchDepth = (branch: readonly IssueLike[]): number =>
  branch.reduce((deepest, issue) => Math.max(deepest, issue.path.length), 0);

/**
 * The union branch the client most likely meant: the one whose issues go
 * deepest into the value, or, when all fail at the top, the only one whose
 * type matched (a string that is not a known id fails the enum, not the
 * object branch). Undefined when no branch stands out: then the union's own
 * message is the clearest.
 */
function likelyBranch(branches: readonly (readonly IssueLike[])[]): readonly IssueLike[] | undefined {
  const depths = branches.map(branchDepth);
  const deepest = Math.max(...depths);
  if (deepest > 0) {
    // Among the deepest, the branch with the fewest complaints fits best.
    const candidates = branches.filter((_branch, index) => depths[index] === deepest);
    return candidates.reduce((best, branch) => (branch.length < best.length ? branch : best));
  }
  const typeMatched = branches.filter((branch) => branch.some((issue) => issue.code !== 'invalid_type'));
  return typeMatched.length === 1 ? typeMatched[0] : undefined;
}

export function toFieldErrors(issues: readonly IssueLike[], prefix: readonly PropertyKey[] = []): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    if (issue.params?.unlisted !== undefined) return [];
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0) {
      return issue.keys.map((key) => ({
        path: joinPath([...path, key]),
        message: `Unknown field "${echo(key)}"`,
      }));
    }
    if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
      const chosen = likelyBranch(issue.errors);
      if (chosen !== undefined) return toFieldErrors(chosen, path);
    }
    return [{ path: joinPath(path), message: echo(issue.message) }];
  });
}
