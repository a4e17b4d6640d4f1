// Which entries of a report are selected, by path. A plain Set with a version rune: selecting
// 100,000 entries must not create 100,000 reactive proxies, yet rows re-render when it changes.
export class EntrySelection {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- deliberately plain; #version signals changes
  #paths = new Set<string>();
  #version = $state(0);

  get size(): number {
    void this.#version;
    return this.#paths.size;
  }

  has(path: string): boolean {
    void this.#version;
    return this.#paths.has(path);
  }

  toggle(path: string): void {
    if (!this.#paths.delete(path)) this.#paths.add(path);
    this.#version += 1;
  }

  /** Selects (or deselects) every path given. */
  set(paths: Iterable<string>, selected: boolean): void {
    for (const path of paths) {
      if (selected) this.#paths.add(path);
      else this.#paths.delete(path);
    }
    this.#version += 1;
  }

  /** Whether every path given is selected (a group's Space toggles it whole). */
  hasAll(paths: readonly string[]): boolean {
    void this.#version;
    return paths.length > 0 && paths.every((path) => this.#paths.has(path));
  }

  clear(): void {
    if (this.#paths.size === 0) return;
    this.#paths.clear();
    this.#version += 1;
  }

  /** Drops what a refreshed report no longer lists. */
  retain(valid: ReadonlySet<string>): void {
    let changed = false;
    for (const path of this.#paths) {
      if (!valid.has(path)) {
        this.#paths.delete(path);
        changed = true;
      }
    }
    if (changed) this.#version += 1;
  }

  paths(): string[] {
    void this.#version;
    return [...this.#paths];
  }
}
