import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Real services for every test: Redis and the MongoDB-compatible server, started if nothing answers. */
export default function setup(): void {
  execFileSync('bash', ['scripts/services.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (const app of ['api', 'ingest', 'worker']) {
    if (!existsSync(`apps/${app}/dist/main.js`))
      throw new Error(`apps/${app} is not built: run \`npm run build\` (npm test does)`);
  }
}
