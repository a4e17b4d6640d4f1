// theme.css's shared classes are global: a component whose own scoped styles name one of them
// gets the global rule's other properties too (a dashboard card's `.facts` once became a
// two-column grid that way). So no component styles a theme class; it adds a class of its own
// beside it to differ (`class="panel roomy"`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER = join(import.meta.dirname, '../../src-renderer');

/** The classes theme.css defines at the top level (the first class of each rule's selector). */
function themeClasses(css: string): string[] {
  return [...new Set([...css.matchAll(/^\.([a-z][a-z0-9-]*)/gm)].map((match) => match[1]!))];
}

/** The class names a component's <style> block uses in its selectors. */
function styledClasses(svelte: string): string[] {
  const style = /<style[^>]*>([\s\S]*?)<\/style>/.exec(svelte)?.[1] ?? '';
  const selectors = style.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\{[^{}]*\}/g, '{}');
  return [...new Set([...selectors.matchAll(/\.([a-z][a-z0-9-]*)/g)].map((match) => match[1]!))];
}

function components(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? components(join(dir, entry.name)) : entry.name.endsWith('.svelte') ? [join(dir, entry.name)] : [],
  );
}

describe('theme classes stay global', () => {
  const shared = themeClasses(readFileSync(join(RENDERER, 'lib/theme.css'), 'utf8'));

  it('reads the theme’s classes and a component’s selectors (and not its property values)', () => {
    expect(shared).toEqual(expect.arrayContaining(['visually-hidden', 'panel', 'fact-list', 'callout']));
    expect(styledClasses('<div/>\n<style>\n  .facts { width: 0.5em; }\n  ul > li.row:hover { margin: 1.5rem; }\n</style>')).toEqual(['facts', 'row']);
  });

  for (const file of components(RENDERER)) {
    it(`${file.slice(RENDERER.length + 1)} styles no theme class of its own`, () => {
      expect(styledClasses(readFileSync(file, 'utf8')).filter((name) => shared.includes(name))).toEqual([]);
    });
  }
});
