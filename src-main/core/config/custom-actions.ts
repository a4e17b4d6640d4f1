// lsyncd's custom actions (layers 1 to 3: onCreate = "cp ^sourcePathname ^targetPathdir",
// action = function(inlet) ... end, a sync{} whose first entry is a table of such handlers) are
// refused: Tidemark runs only default.rsync, default.rsyncssh and default.direct. The refusal is
// one message at the action's own key, wherever that key is written, because everything else
// such a sync{} says (host, targetdir, postcmd, a missing default.X) only made sense to the action.

import { ACTION_HOOK_KEYS, ACTION_KEYS } from './defaults';
import { locateAnyKey } from './lua-source-locate';
import { isFunctionMarker, type LuaValue } from './lua-values';
import type { Scope } from './validate-context';

export interface ActionRefusal {
  readonly line: number;
  readonly detail: string;
}

const SUPPORTED = 'Tidemark supports default.rsync, default.rsyncssh and default.direct';

function isAction(key: string, value: LuaValue): boolean {
  if (key === 'init') return isFunctionMarker(value);
  return ACTION_KEYS.includes(key) || ACTION_HOOK_KEYS.includes(key);
}

/** Where `key` is written: in the call's own table, else anywhere in the file, else the call. */
function lineOfKey(scope: Scope, key: string): number {
  const own = scope.lineOf([key]);
  if (own !== scope.line) return own;
  return locateAnyKey(scope.source, key, scope.line) ?? scope.line;
}

/**
 * The refusal for a sync{} whose fields (its own and inherited) hold a custom action, or
 * undefined when it holds none. Names the first event handler by line (a hook such as prepare
 * only when there is no handler), and lists the others.
 */
export function customActionRefusal(fields: ReadonlyMap<string, LuaValue>, scope: Scope): ActionRefusal | undefined {
  const keys = [...fields].filter(([key, value]) => isAction(key, value)).map(([key]) => ({ key, line: lineOfKey(scope, key), hook: ACTION_HOOK_KEYS.includes(key) }));
  if (keys.length === 0) return undefined;
  keys.sort((a, b) => Number(a.hook) - Number(b.hook) || a.line - b.line);
  const [first, ...others] = keys;
  if (first === undefined) return undefined;
  const shown = first.key === 'init' ? 'init as a function' : first.key;
  const also = others.length === 0 ? '' : ` (this sync{} also sets ${others.map((other) => other.key).join(', ')})`;
  return {
    line: first.line,
    detail: `not supported: ${shown}, a custom action (lsyncd's layers 1 to 3)${also}; ${SUPPORTED}: start the sync{} with one of them instead`,
  };
}
