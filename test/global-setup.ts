import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Real services for every test: Redis and the MongoDB-compatible server, started if nothing answers. */
export default function setup(): void {
  execFileSync('bash', ['scripts/services.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
  // The dashboard is static files the API serves: without them its page answers 503 and the browser tests fail late.
  const built = { api: 'main.js', ingest: 'main.js', worker: 'main.js', dashboard: 'index.html' };
  for (const [app, file] of Object.entries(built)) {
    if (!existsSync(`apps/${app}/dist/${file}`))
      throw new Error(`apps/${app} is not built: run \`npm run build\` (npm test does)`);
  }
}
