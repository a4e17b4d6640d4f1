// prepack: the npm tarball ships the built CLI (and the built screens for `tidemark ui`), never
// the sources, so packing an unbuilt checkout is refused here instead of building: a build needs
// the devDependencies, which an install from the tarball does not have.
import { existsSync } from 'node:fs';

if (!existsSync('out/cli/tidemark.js')) {
  process.stderr.write('npm pack: out/cli/tidemark.js is missing; run `npm run build` first.\n');
  process.exit(1);
}
if (!existsSync('out/renderer/index.html')) {
  process.stderr.write('npm pack: warning: out/renderer is not built, so `tidemark ui` will not serve the screens; `npm run build` builds it.\n');
}
