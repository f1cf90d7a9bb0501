import { once } from 'node:events';
import { jsonClientErrors } from '@seedline/http';
import { createLogger, onShutdown, startOrExit } from '@seedline/runtime';
import { composeApi } from './compose.js';
import { loadApiConfig } from './config.js';

const config = loadApiConfig();
const logger = createLogger('api', config.LOG_LEVEL);
const { app, deps, shutdownSteps } = await startOrExit(logger, composeApi(config, logger));

const server = app.listen(config.API_PORT, '0.0.0.0');
jsonClientErrors(server);
await once(server, 'listening');
logger.info({ port: config.API_PORT }, 'api listening');
// The api checks endpoint URLs when they are saved: it says so too, not only the worker that sends.
if (config.WEBHOOK_ALLOW_PRIVATE)
  logger.warn('WEBHOOK_ALLOW_PRIVATE=1: webhook endpoints may be http and private addresses (development only)');

onShutdown(logger, [
  // Open event streams end first, or the HTTP server would wait for them.
  { name: 'live streams', run: () => Promise.resolve(deps.live.feeds.close()) },
  {
    name: 'http',
    run: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  },
  ...shutdownSteps,
]);
