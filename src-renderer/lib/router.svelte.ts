// The screens and where the app is among them, kept in the URL's hash (#/safety/web:1), so that
// back and forward work in the browser and a notification can open a screen.
export const VIEWS = ['status', 'pair', 'safety', 'logs', 'profiles', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  readonly view: View;
  /** The target or profile the screen is about, when it is about one. */
  readonly subject: string | null;
}

export function parseHash(hash: string): Route {
  const [view, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const known = (VIEWS as readonly string[]).includes(view ?? '') ? (view as View) : 'status';
  const subject = rest.length > 0 ? decodeURIComponent(rest.join('/')) : null;
  return { view: known, subject: subject === '' ? null : subject };
}

export function hashOf(route: Route): string {
  return `#/${route.view}${route.subject ? `/${encodeURIComponent(route.subject)}` : ''}`;
}

export class Router {
  route = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') window.addEventListener('hashchange', () => (this.route = parseHash(location.hash)));
  }

  go(view: View, subject: string | null = null): void {
    const route = { view, subject };
    if (typeof location !== 'undefined' && location.hash !== hashOf(route)) location.hash = hashOf(route);
    this.route = route;
  }
}
