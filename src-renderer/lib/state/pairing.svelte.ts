// The pairing wizard's state and its walk through the pairing service's steps: what the person
// typed (kept across a failure), what the live pairing has done, and the failure to show. A
// failure ends the pairing on the main side, so "Start again" begins a new one and re-runs the
// steps already confirmed. The password is an argument, never a field: nothing here holds it.
import type { Api, InvokeOutput } from '../../../src-shared/ipc/contract';
import type { StepFailureView } from '../../../src-shared/model/pairing';
import type { Profile } from '../../../src-shared/model/profile';
import { defaultOptions, nameFrom, parsePort, stepIndex, syncOptions, type StepId, type WizardOptions } from '../../features/pair/wizard-model';

type Connected = Extract<InvokeOutput<'pairing:connect'>, { kind: 'ok' }>;
type Preflight = Extract<InvokeOutput<'pairing:preflight'>, { kind: 'ok' }>;
export type ProgressMark = 'waiting' | 'running' | 'done' | 'failed';

/** A failure as the wizard shows it: the service's reason and fix, or a refused call's message. */
export interface WizardFailure {
  readonly reason: string;
  readonly fix: string;
  readonly step: StepId;
  readonly fingerprints?: StepFailureView['fingerprints'];
}

/** How far the live pairing got on the main side. */
type Reached = 'none' | 'connected' | 'pinned' | 'verified' | 'preflighted';
const ORDER: Reached[] = ['none', 'connected', 'pinned', 'verified', 'preflighted'];

export class PairingState {
  step = $state<StepId>('server');
  form = $state({ host: '', user: '', port: '', name: '', keyName: '', source: '', targetDir: '' });
  options = $state<WizardOptions>(defaultOptions({ delay: 1, excludes: [], maxDeletes: 1000, maxDeletePercent: 50 }));
  /** What connect found (kept after a failure, to show what was confirmed). */
  host = $state<Connected | null>(null);
  /** The fingerprint the person confirmed; a new pairing confirms it again by itself. */
  confirmed = $state<string | null>(null);
  progress = $state<{ install: ProgressMark; verify: ProgressMark; preflight: ProgressMark }>({ install: 'waiting', verify: 'waiting', preflight: 'waiting' });
  preflight = $state<Preflight | null>(null);
  /** The profile saved and the target it runs. */
  saved = $state<{ profile: string; target: string } | null>(null);
  failure = $state<WizardFailure | null>(null);
  /** What runs now, in words (for the live region); null when idle. */
  busy = $state<string | null>(null);
  /** After "Start again" past the password: where to go back to once the key is in again. */
  resumeAt = $state<StepId | null>(null);

  #pairing: string | null = null;
  #reached: Reached = 'none';
  #connectedWith = '';
  #preflightDir: string | null = null;
  #optionsLoaded = false;

  constructor(readonly api: Api) {}

  /** The app's defaults for a new profile's options, once, unless the person changed them. */
  async loadDefaults(): Promise<void> {
    if (this.#optionsLoaded) return;
    this.#optionsLoaded = true;
    try {
      this.options = defaultOptions((await this.api.invoke('settings:get', {})).defaults);
    } catch {
      // The built-in defaults stay; the settings screen reports a broken settings file.
    }
  }

  get keyNameDefault(): string {
    return nameFrom(this.form.name.trim() || this.form.host.trim());
  }

  get profileName(): string {
    return this.form.name.trim() || nameFrom(this.form.host.trim());
  }

  go(step: StepId): void {
    this.failure = null;
    this.step = step;
  }

  back(): void {
    const order: StepId[] = ['server', 'hostkey', 'password', 'install', 'folders', 'options', 'save', 'done'];
    let previous = order[stepIndex(this.step) - 1];
    // The install step only reports; going back past it lands on the password.
    if (previous === 'install') previous = this.#reached === 'none' ? 'password' : 'install';
    if (previous && this.step !== 'done') this.go(previous);
  }

  /** Step 1: a pairing connected to what the form names (a new one when the form changed). */
  async connect(): Promise<void> {
    const port = parsePort(this.form.port);
    if ('problem' in port) return this.#failed({ reason: port.problem, fix: 'Correct the port.', step: 'server' }, false);
    const wanted = JSON.stringify([this.form.host.trim(), this.form.user.trim(), port.port]);
    if (this.#pairing && this.#reached !== 'none' && wanted === this.#connectedWith) return this.go('hostkey');
    await this.#run('Connecting to the server…', 'server', async () => {
      if (!(await this.#fresh(port.port, wanted))) return;
      this.go('hostkey');
    });
  }

  /** Step 2: trust the host key shown (the person compared it). */
  async confirmHostKey(): Promise<void> {
    const host = this.host;
    if (!host) return this.go('server');
    if (this.#pairing && this.confirmed === host.fingerprint && ORDER.indexOf(this.#reached) >= ORDER.indexOf('pinned')) return this.go('password');
    await this.#run('Pinning the host key…', 'hostkey', async () => {
      if (!this.#pairing || this.#reached !== 'connected') {
        if (!(await this.#reconnect())) return;
        // The server now shows another key: that one must be looked at first.
        if (this.host?.fingerprint !== host.fingerprint) return;
      }
      const result = await this.api.invoke('pairing:confirm-host-key', { pairing: this.#pairing!, fingerprint: host.fingerprint });
      if (result.kind === 'failed') return this.#stepFailed(result, 'hostkey');
      this.confirmed = host.fingerprint;
      this.#reached = 'pinned';
      this.go('password');
    });
  }

  /**
   * Steps 3 and 4: the password installs the key once, then a key login proves it. After a
   * "Start again" the target check is re-run too. The password (and an existing key's
   * passphrase) lives only in this call.
   */
  /** The app's keys that have a passphrase, so the password step can ask for it. */
  async lockedKeys(): Promise<string[]> {
    try {
      return (await this.api.invoke('keys:list', {})).filter((key) => key.encrypted).map((key) => key.name);
    } catch {
      return []; // the step then asks for no passphrase; a locked key's verify says what failed
    }
  }

  async installKey(password: string, keyName: string, passphrase?: string): Promise<void> {
    this.form.keyName = keyName;
    if (this.#pairing && ORDER.indexOf(this.#reached) >= ORDER.indexOf('verified')) return this.go('install');
    this.progress = { install: 'running', verify: 'waiting', preflight: this.#preflightDir ? 'waiting' : this.progress.preflight };
    this.go('install');
    await this.#run('Installing the key…', 'install', async () => {
      if (this.#reached !== 'pinned' && !(await this.#restartTo('pinned'))) return this.#mark('install', 'failed');
      const installed = await this.api.invoke('pairing:install-key', { pairing: this.#pairing!, keyName, password });
      if (installed.kind === 'failed') {
        this.#mark('install', 'failed');
        return this.#stepFailed(installed, 'password');
      }
      this.#mark('install', 'done');
      this.#mark('verify', 'running');
      this.busy = 'Logging in with the key…';
      const verified = await this.api.invoke('pairing:verify', passphrase ? { pairing: this.#pairing!, passphrase } : { pairing: this.#pairing! });
      if (verified.kind === 'failed') {
        this.#mark('verify', 'failed');
        return this.#stepFailed(verified, 'install');
      }
      this.#mark('verify', 'done');
      this.#reached = 'verified';
      // After a "Start again", the target accepted before (or the one the form names now).
      if (this.#preflightDir !== null) await this.#preflight(this.form.targetDir.trim() || this.#preflightDir, 'install');
    });
  }

  /** After the install step: on to the folders, or back where a "Start again" began. */
  continueAfterInstall(): void {
    const resume = this.resumeAt;
    this.resumeAt = null;
    this.go(resume && this.#reached === 'preflighted' ? resume : 'folders');
  }

  /** Step 5: the target directory on the server, checked once per pairing. */
  async checkTarget(): Promise<void> {
    const dir = this.form.targetDir.trim();
    if (this.#reached === 'preflighted' && dir === this.#preflightDir) return;
    if (this.#reached === 'preflighted') {
      return this.#failed({ reason: `The target ${this.#preflightDir} was checked already; this pairing checks one target.`, fix: 'Start again to check another one (the password is asked once more), or put the old one back.', step: 'folders' }, false, 'folders');
    }
    await this.#run('Checking the target directory…', 'folders', () => this.#preflight(dir, 'folders'));
  }

  /**
   * Step 7: the profile, written so that its first run already has the options: a new profile
   * is saved disabled with them, the pairing fills in its target, key and pin, then it is
   * enabled (a run started before the options would have sent what they exclude). A profile of
   * that name that exists is updated instead (its other syncs and settings kept).
   */
  async save(exists: boolean): Promise<void> {
    const host = this.host;
    if (!host || this.#reached !== 'preflighted') return this.go('folders');
    const name = this.profileName;
    const source = this.form.source.trim();
    const targetDir = this.form.targetDir.trim();
    const options = syncOptions(this.options);
    await this.#run('Saving the profile…', 'save', async () => {
      const draft = { kind: 'ssh' as const, host: host.hostname, user: host.user, ...(host.port === 22 ? {} : { port: host.port }), dir: targetDir };
      let created = false;
      if (!exists) {
        await this.api.invoke('profiles:save', { name, profile: { enabled: false, syncs: [{ source, target: draft, ...options }] } });
        created = true;
      }
      const result = await this.api.invoke('pairing:save', { pairing: this.#pairing!, name, source, targetDir, overwrite: true }).catch(async (error: unknown) => {
        if (created) await this.api.invoke('profiles:delete', { name }).catch(() => undefined);
        throw error;
      });
      if (result.kind === 'failed') {
        if (created) await this.api.invoke('profiles:delete', { name }).catch(() => undefined);
        return this.#stepFailed(result, 'save');
      }
      this.#pairing = null;
      this.#reached = 'none';
      let { profile } = await this.api.invoke('profiles:get', { name });
      const index = syncIndex(profile, source, host.hostname, targetDir);
      if (created) await this.api.invoke('profiles:set-enabled', { name, enabled: true });
      else {
        profile = { ...profile, enabled: true, syncs: profile.syncs.map((sync, at) => (at === index ? { ...sync, ...options } : sync)) };
        await this.api.invoke('profiles:save', { name, profile, overwrite: true });
      }
      this.saved = { profile: name, target: `${name}:${index + 1}` };
    });
  }

  /** "Start again": a new pairing that re-runs what was confirmed, back to where it failed. */
  async startAgain(): Promise<void> {
    const at = this.failure?.step ?? this.step;
    this.failure = null;
    if (stepIndex(at) <= stepIndex('server')) return this.connect();
    await this.#run('Starting again…', at, async () => {
      if (stepIndex(at) <= stepIndex('hostkey')) {
        if (await this.#restartTo('connected')) this.go('hostkey');
        return;
      }
      if (!(await this.#restartTo('pinned'))) return;
      // The key went with the failed pairing: the password is asked once more.
      this.resumeAt = stepIndex(at) > stepIndex('folders') ? at : null;
      this.progress = { install: 'waiting', verify: 'waiting', preflight: 'waiting' };
      this.go('password');
    });
  }

  /** Leaves the wizard for a new pairing (after done), or gives up the current one. */
  async reset(): Promise<void> {
    await this.#abort();
    this.step = 'server';
    this.form = { host: '', user: '', port: '', name: '', keyName: '', source: '', targetDir: '' };
    this.#optionsLoaded = false;
    void this.loadDefaults();
    this.host = null;
    this.confirmed = null;
    this.preflight = null;
    this.saved = null;
    this.failure = null;
    this.resumeAt = null;
    this.#preflightDir = null;
    this.progress = { install: 'waiting', verify: 'waiting', preflight: 'waiting' };
  }

  dispose(): void {
    void this.#abort();
  }

  // ---- the machinery ----

  async #run(busy: string, step: StepId, work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = busy;
    this.failure = null;
    try {
      await work();
    } catch (error) {
      this.#failed({ reason: (error as Error).message, fix: 'Start again; if it keeps failing, the log says more.', step }, true);
    } finally {
      this.busy = null;
    }
  }

  /** Aborts whatever pairing there was, then begins and connects one with the form. */
  async #fresh(port: number | undefined, wanted: string): Promise<boolean> {
    await this.#abort();
    const { pairing } = await this.api.invoke('pairing:begin', {});
    this.#pairing = pairing;
    const user = this.form.user.trim();
    const result = await this.api.invoke('pairing:connect', { pairing, host: this.form.host.trim(), ...(user ? { user } : {}), ...(port !== undefined ? { port } : {}) });
    if (result.kind === 'failed') {
      this.#stepFailed(result, 'server');
      return false;
    }
    this.#connectedWith = wanted;
    this.#reached = 'connected';
    // A different key than the one confirmed before needs a new look.
    if (this.confirmed !== null && this.confirmed !== result.fingerprint) this.confirmed = null;
    this.host = result;
    return true;
  }

  async #reconnect(): Promise<boolean> {
    const port = parsePort(this.form.port);
    return this.#fresh('port' in port ? port.port : undefined, JSON.stringify([this.form.host.trim(), this.form.user.trim(), 'port' in port ? port.port : undefined]));
  }

  /** A new pairing brought to `stage` with what was confirmed before; false when it stopped. */
  async #restartTo(stage: 'connected' | 'pinned'): Promise<boolean> {
    const before = this.confirmed;
    if (!(await this.#reconnect())) return false;
    if (stage === 'connected') return true;
    if (before === null || this.confirmed === null) {
      // The server shows another key than the one confirmed: it must be looked at again.
      this.go('hostkey');
      return false;
    }
    const result = await this.api.invoke('pairing:confirm-host-key', { pairing: this.#pairing!, fingerprint: before });
    if (result.kind === 'failed') {
      this.#stepFailed(result, 'hostkey');
      return false;
    }
    this.#reached = 'pinned';
    return true;
  }

  async #preflight(dir: string, step: StepId): Promise<void> {
    this.#mark('preflight', 'running');
    this.busy = 'Checking the target directory…';
    const result = await this.api.invoke('pairing:preflight', { pairing: this.#pairing!, targetDir: dir });
    if (result.kind === 'failed') {
      this.#mark('preflight', 'failed');
      this.#preflightDir = null;
      this.preflight = null;
      return this.#stepFailed(result, step === 'install' ? 'folders' : step);
    }
    this.#mark('preflight', 'done');
    this.preflight = result;
    this.#preflightDir = dir;
    this.#reached = 'preflighted';
  }

  #mark(part: 'install' | 'verify' | 'preflight', mark: ProgressMark): void {
    this.progress = { ...this.progress, [part]: mark };
  }

  /** A step's failure: the pairing is over on the main side. */
  #stepFailed(failure: StepFailureView, step: StepId): void {
    this.#failed({ reason: failure.reason, fix: failure.fix, step, ...(failure.fingerprints ? { fingerprints: failure.fingerprints } : {}) }, true);
  }

  #failed(failure: WizardFailure, ended: boolean, show?: StepId): void {
    if (ended) {
      void this.#abort();
    }
    this.failure = failure;
    if (show) this.step = show;
  }

  async #abort(): Promise<void> {
    const pairing = this.#pairing;
    this.#pairing = null;
    this.#reached = 'none';
    if (pairing) await this.api.invoke('pairing:abort', { pairing }).catch(() => undefined);
  }
}

/** Which of the profile's syncs the pairing wrote: from this source to this host and directory. */
function syncIndex(profile: Profile, source: string, hostname: string, dir: string): number {
  const index = profile.syncs.findIndex((sync) => sync.source === source && sync.target.kind === 'ssh' && sync.target.host === hostname && sync.target.dir === dir);
  return index < 0 ? 0 : index;
}
