// Collects config problems with their lines, so one run reports every mistake at once, and
// checks the plain types of Lua values with messages that name the key.

import { ConfigError, type ConfigWarning } from './model';
import { locateKey } from './lua-source-locate';
import { describeLua, type LuaValue } from './lua-values';

/** Several problems in one error: origin and detail of the first, every problem in the message. */
export class ConfigErrorList extends ConfigError {
  constructor(readonly errors: readonly ConfigError[]) {
    const first = errors[0] ?? new ConfigError({ file: '<config>', line: 0 }, 'invalid config');
    super(first.origin, first.detail);
    this.message = errors.map((error) => error.message).join('\n');
  }
}

export class Problems {
  private readonly errors: ConfigError[] = [];
  readonly warnings: ConfigWarning[] = [];

  constructor(
    readonly file: string,
    readonly source: string,
    /** Texts of the files the config included (dofile), by the name calls record. */
    readonly includes: ReadonlyMap<string, string> = new Map(),
  ) {}

  add(line: number, detail: string, file: string = this.file): void {
    this.errors.push(new ConfigError({ file, line }, detail));
  }

  warn(line: number, detail: string, file: string = this.file): void {
    this.warnings.push({ origin: { file, line }, detail, message: `${file}:${line}: ${detail}` });
  }

  get count(): number {
    return this.errors.length;
  }

  /** The text of the config or of one of its includes ('' when unknown). */
  sourceOf(file: string): string {
    return file === this.file ? this.source : (this.includes.get(file) ?? '');
  }

  /** Throws the first problem alone, or all of them (the config's first, each file by line) as a ConfigErrorList. */
  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const rank = (error: ConfigError): number => (error.origin.file === this.file ? 0 : 1);
    const sorted = [...this.errors].sort((a, b) => rank(a) - rank(b) || a.origin.file.localeCompare(b.origin.file) || a.origin.line - b.origin.line);
    throw sorted.length === 1 ? sorted[0] : new ConfigErrorList(sorted);
  }
}

/** One call's table (a sync{} or the settings): reports problems at the line of the key. */
export class Scope {
  constructor(
    readonly problems: Problems,
    readonly callee: 'sync' | 'settings',
    readonly line: number,
    /** The file the call was made in: the config, or an included file. */
    readonly file: string = problems.file,
  ) {}

  get source(): string {
    return this.problems.sourceOf(this.file);
  }

  lineOf(path: readonly string[]): number {
    return locateKey(this.source, this.line, this.callee, path) ?? this.line;
  }

  error(path: readonly string[], detail: string): void {
    this.problems.add(path.length === 0 ? this.line : this.lineOf(path), detail, this.file);
  }

  /** An error at a line found some other way (a key written outside the call's table). */
  errorAt(line: number, detail: string): void {
    this.problems.add(line, detail, this.file);
  }

  warn(path: readonly string[], detail: string): void {
    this.problems.warn(path.length === 0 ? this.line : this.lineOf(path), detail, this.file);
  }

  /** `name` as written in messages: 'delay', 'rsync.compress'. */
  static label(path: readonly string[]): string {
    return path.join('.');
  }

  string(path: readonly string[], value: LuaValue): string | undefined {
    if (typeof value === 'string' && value !== '') return value;
    this.error(path, `${Scope.label(path)} must be a non-empty string (got ${describeLua(value)})`);
    return undefined;
  }

  boolean(path: readonly string[], value: LuaValue): boolean | undefined {
    if (typeof value === 'boolean') return value;
    this.error(path, `${Scope.label(path)} must be true or false (got ${describeLua(value)})`);
    return undefined;
  }

  /** A finite number >= min; integers only when asked. */
  number(path: readonly string[], value: LuaValue, rule: { min: number; integer?: boolean }): number | undefined {
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= rule.min && (!rule.integer || Number.isInteger(value));
    if (ok) return value;
    const kind = rule.integer ? 'a whole number' : 'a number';
    this.error(path, `${Scope.label(path)} must be ${kind} >= ${rule.min} (got ${describeLua(value)})`);
    return undefined;
  }
}
