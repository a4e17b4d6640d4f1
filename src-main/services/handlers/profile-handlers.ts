// The profile channels: list (with what runs and why not), get, save (create or edit; a running
// profile reloads, keeping its journal), enable/disable, delete, import an lsyncd config with its
// mapping report, export. Every change tells the faces (profiles:changed). No save from a face
// adds or changes a key that runs a program (command-keys.ts).
import { evaluateLuaConfig } from '../../core/config/lua-sandbox';
import { validateLsyncdConfig } from '../../core/config/lsyncd-validate';
import type { KeyService } from '../../keys/key-service';
import type { AppEvents } from '../app-events';
import type { InvokeHandlers } from '../contract-router';
import type { EngineHost } from '../engine/engine-host';
import { loadPairingStatus } from '../pairing/pairing-status';
import { refuseNewCommands } from '../profiles/command-keys';
import { configToProfile } from '../profiles/config-to-profile';
import { noPairing, targetText } from '../profiles/profile-rows';
import type { ProfileStore } from '../profiles/profile-store';
import { profileToConfig } from '../profiles/profile-to-config';
import { profileToLua } from '../profiles/profile-to-lua';

export interface ProfileHandlerDeps {
  readonly profiles: ProfileStore;
  readonly engine: EngineHost;
  readonly keys: KeyService;
  readonly events: AppEvents;
}

export function profileHandlers({ profiles, engine, keys, events }: ProfileHandlerDeps): InvokeHandlers {
  const changed = () => events.emit('profiles:changed', {});
  /** Runs an enabled profile as it is now on disk (starting or reloading it), stops a disabled one. */
  const apply = async (name: string, enabled: boolean) => {
    const source = { kind: 'profile', name } as const;
    if (!enabled) await engine.stop(source);
    else if (engine.running(source)) await engine.reload(source);
    else await engine.start(source).catch(() => undefined); // its problem shows in profiles:list
  };
  return {
    'profiles:list': async () => {
      const listing = await profiles.list();
      const pairing = await loadPairingStatus(listing, keys).catch(() => noPairing);
      return listing.map((entry) => {
        const source = { kind: 'profile', name: entry.name } as const;
        if (entry.kind === 'invalid') return { name: entry.name, valid: false, error: entry.error.message, enabled: false, running: false, locked: [], syncs: [] };
        const running = engine.running(source);
        return {
          name: entry.name,
          valid: true,
          error: engine.problem(source),
          enabled: entry.profile.enabled,
          running,
          locked: entry.profile.enabled && !running ? [...engine.lockedKeys(source)] : [],
          syncs: entry.profile.syncs.map((sync) => ({ source: sync.source, target: targetText(sync), kind: sync.target.kind, pairing: pairing.describe(entry.name, sync.target) })),
        };
      });
    },
    'profiles:get': async ({ name }) => ({ name, profile: await profiles.get(name) }),
    'profiles:save': async ({ name, profile, overwrite }) => {
      // The same checks as a run, before anything is written: a profile that saves also runs.
      profileToConfig(profile, `${name}.json`);
      const current = overwrite ? await profiles.get(name).catch(() => null) : null;
      refuseNewCommands(current, profile, profiles.fileOf(name));
      const saved = await profiles.save(name, profile, { overwrite: overwrite ?? false });
      changed();
      await apply(name, saved.enabled);
      return { name, profile: saved };
    },
    'profiles:set-enabled': async ({ name, enabled }) => {
      const profile = await profiles.get(name);
      if (profile.enabled !== enabled) await profiles.save(name, { ...profile, enabled }, { overwrite: true });
      changed();
      await apply(name, enabled);
      return {};
    },
    'profiles:delete': async ({ name }) => {
      await engine.stop({ kind: 'profile', name });
      await profiles.delete(name);
      changed();
      return {};
    },
    'profiles:unlock': async ({ name, passphrases }) => {
      const profile = await profiles.get(name);
      await engine.unlock(passphrases);
      await apply(name, profile.enabled);
      changed();
      const problem = engine.problem({ kind: 'profile', name });
      if (profile.enabled && problem) throw new Error(problem);
      return {};
    },
    'profiles:import': async ({ name, config, file, dryRun }) => {
      const fileName = file ?? `${name}.conf.lua`;
      const raw = await evaluateLuaConfig(config, fileName);
      const { profile, notes } = configToProfile(raw, validateLsyncdConfig(raw, fileName));
      if (!dryRun) {
        refuseNewCommands(null, profile, profiles.fileOf(name));
        await profiles.save(name, profile);
        changed();
        if (profile.enabled) await apply(name, true);
      }
      return { profile, notes: [...notes] };
    },
    'profiles:export': async ({ name }) => {
      const profile = await profiles.get(name);
      profileToConfig(profile, `${name}.json`); // nothing is exported that would not run
      return { lua: profileToLua(name, profile) };
    },
  };
}
