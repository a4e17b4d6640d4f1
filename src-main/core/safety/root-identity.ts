// Whether the source root is still the directory a sync started on. Pure: no node:* imports.

/** What identifies a directory: its device, inode and birth time (inode numbers get reused). */
export interface RootIdentity {
  readonly dev: number;
  readonly ino: number;
  /** 0 where the filesystem does not record it. */
  readonly birthtimeMs: number;
}

export type RootVerdict =
  | { readonly kind: 'same' }
  | { readonly kind: 'missing' | 'not-a-directory' | 'replaced' | 'device-changed'; readonly reason: string };

/** Compares the root now (null: missing; 'file': not a directory) with the one at start. */
export function judgeRoot(root: string, started: RootIdentity, now: RootIdentity | null | 'file'): RootVerdict {
  if (now === null) return { kind: 'missing', reason: `the source root ${root} is missing (deleted, moved or unmounted)` };
  if (now === 'file') return { kind: 'not-a-directory', reason: `the source root ${root} is no longer a directory` };
  if (now.dev !== started.dev) return { kind: 'device-changed', reason: `the source root ${root} is on another filesystem than at start (unmounted?)` };
  if (now.ino !== started.ino || (started.birthtimeMs !== 0 && now.birthtimeMs !== started.birthtimeMs)) {
    return { kind: 'replaced', reason: `the source root ${root} was replaced by another directory` };
  }
  return { kind: 'same' };
}
