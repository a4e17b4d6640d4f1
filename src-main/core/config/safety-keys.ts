// Tidemark's own safety keys in sync{} (lsyncd has none of them): reconcile, maxDeletes,
// maxDeletePercent, trash and trashDays. Each is checked here and reported at its own line;
// an absent key stays absent, so that core/safety's defaults apply.

import { RECONCILE_POLICIES as SHARED_POLICIES } from '../../../src-shared/model/config-keys';
import type { ReconcilePolicy, SyncConfig } from './model';
import { describeLua, type LuaValue } from './lua-values';
import type { Scope } from './validate-context';

export const SAFETY_KEYS: readonly string[] = ['reconcile', 'maxDeletes', 'maxDeletePercent', 'maxDeleteWindow', 'trash', 'trashDays'];

/** What a startup may do with files only on the target or newer there; 'ask' stops and waits. */
export const RECONCILE_POLICIES: readonly ReconcilePolicy[] = SHARED_POLICIES;

/** "'ask', 'pull', 'keep', 'trash' or 'delete'" */
export const RECONCILE_CHOICES = `${RECONCILE_POLICIES.slice(0, -1)
  .map((policy) => `'${policy}'`)
  .join(', ')} or '${RECONCILE_POLICIES.at(-1) ?? ''}'`;

export function reconcilePolicyOf(text: unknown): ReconcilePolicy | undefined {
  return RECONCILE_POLICIES.find((policy) => policy === text);
}

export type SafetyFields = Pick<SyncConfig, 'reconcile' | 'maxDeletes' | 'maxDeletePercent' | 'maxDeleteWindow' | 'trash' | 'trashDays'>;

/** The safety keys `get` finds (nil counts as absent); problems go to `scope` at each key's line. */
export function safetyKeysOf(scope: Scope, get: (key: string) => LuaValue | undefined): SafetyFields {
  const given = (key: string): LuaValue | undefined => {
    const value = get(key);
    return value === null ? undefined : value;
  };
  const fields: { -readonly [K in keyof SafetyFields]: SafetyFields[K] } = {};

  const reconcileValue = given('reconcile');
  if (reconcileValue !== undefined) {
    const reconcile = reconcilePolicyOf(reconcileValue);
    if (reconcile === undefined) scope.error(['reconcile'], `reconcile must be one of ${RECONCILE_CHOICES} (got ${describeLua(reconcileValue)})`);
    else fields.reconcile = reconcile;
  }

  const maxDeletes = given('maxDeletes');
  if (maxDeletes === false) fields.maxDeletes = false;
  else if (typeof maxDeletes === 'number' && Number.isInteger(maxDeletes) && maxDeletes >= 1) fields.maxDeletes = maxDeletes;
  else if (maxDeletes !== undefined) {
    scope.error(['maxDeletes'], `maxDeletes must be a whole number >= 1, or false for no limit (got ${describeLua(maxDeletes)})`);
  }

  const percent = given('maxDeletePercent');
  if (percent === false) fields.maxDeletePercent = false;
  else if (typeof percent === 'number' && percent > 0 && percent <= 100) fields.maxDeletePercent = percent;
  else if (percent !== undefined) {
    scope.error(['maxDeletePercent'], `maxDeletePercent must be a number above 0 and at most 100, or false for no limit (got ${describeLua(percent)})`);
  }

  const window = given('maxDeleteWindow');
  if (typeof window === 'number' && Number.isFinite(window) && window >= 0) fields.maxDeleteWindow = window;
  else if (window !== undefined) {
    scope.error(['maxDeleteWindow'], `maxDeleteWindow must be a number of seconds >= 0 (0 judges each batch alone) (got ${describeLua(window)})`);
  }

  const trash = given('trash');
  if (trash !== undefined) {
    const value = scope.boolean(['trash'], trash);
    if (value !== undefined) fields.trash = value;
  }

  const trashDays = given('trashDays');
  if (trashDays !== undefined) {
    const value = scope.number(['trashDays'], trashDays, { min: 0 });
    if (value !== undefined) fields.trashDays = value;
  }
  return fields;
}
