// A profile file's text into a Profile, or a ProfileError that names the file and the JSON path
// of every problem (`site.json: $.syncs[0].target.host: must be ...`). Pure: the store reads.
import * as v from 'valibot';
import { ConfigError } from '../../core/config/model';
import { LIMITS, ProfileSchema, type Profile } from './profile-schema';

/** One problem in a profile: where in the JSON, and what is wrong. */
export interface ProfileIssue {
  /** `$`, `$.syncs[0].target.host` */
  readonly path: string;
  readonly message: string;
}

/** A profile that cannot be used; a ConfigError, so every face reports it as a bad config (exit 2). */
export class ProfileError extends ConfigError {
  override name = 'ProfileError';
  constructor(
    readonly file: string,
    readonly issues: readonly ProfileIssue[],
  ) {
    const first = issues[0] ?? { path: '$', message: 'invalid profile' };
    super({ file, line: 0 }, `${first.path}: ${first.message}`);
    this.message = issues.map((issue) => `${file}: ${issue.path}: ${issue.message}`).join('\n');
  }
}

/** Keys that would reach an object's prototype if some later code copied them naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 16;

/** `$.syncs[0].target`: a JSON path as people read it. */
export function jsonPath(keys: readonly (string | number)[]): string {
  return keys.reduce<string>((path, key) => (typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`), '$');
}

/** Keys no schema should ever see, and nesting no profile needs. */
function structuralIssues(value: unknown, keys: (string | number)[] = [], issues: ProfileIssue[] = []): ProfileIssue[] {
  if (keys.length > MAX_DEPTH) {
    issues.push({ path: jsonPath(keys), message: `is nested more than ${MAX_DEPTH} levels deep` });
    return issues;
  }
  if (Array.isArray(value)) value.forEach((item, index) => structuralIssues(item, [...keys, index], issues));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) issues.push({ path: jsonPath([...keys, key]), message: `'${key}' is not allowed as a key` });
      else structuralIssues(item, [...keys, key], issues);
    }
  }
  return issues;
}

function issueOf(issue: v.BaseIssue<unknown>): ProfileIssue {
  const keys = (issue.path ?? []).map((item) => (typeof item.key === 'number' ? item.key : String(item.key)));
  // A strict object's unknown key: valibot says "Expected never"; say which key and what is known.
  if (issue.expected === 'never') return { path: jsonPath(keys), message: 'is not a known key here' };
  if (issue.message.startsWith('Invalid key')) return { path: jsonPath(keys), message: 'is required' };
  const message = issue.message.startsWith('Invalid type') ? `must be ${issue.expected ?? 'something else'} (got ${issue.received})` : issue.message;
  return { path: jsonPath(keys), message };
}

/** A parsed JSON value (already read) into a Profile. */
export function parseProfileValue(value: unknown, file: string): Profile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProfileError(file, [{ path: '$', message: 'must be a JSON object ({ "enabled": true, "syncs": [...] })' }]);
  const structural = structuralIssues(value);
  if (structural.length > 0) throw new ProfileError(file, structural);
  const result = v.safeParse(ProfileSchema, value, { abortEarly: false });
  if (!result.success) throw new ProfileError(file, result.issues.map(issueOf));
  return result.output;
}

/** A profile file's text into a Profile. */
export function parseProfileText(text: string, file: string): Profile {
  if (text.length > LIMITS.fileBytes) throw new ProfileError(file, [{ path: '$', message: `the file is larger than ${LIMITS.fileBytes} bytes` }]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(file, [{ path: '$', message: `is not JSON: ${(error as Error).message}` }]);
  }
  return parseProfileValue(value, file);
}
