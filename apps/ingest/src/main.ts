import { once } from 'node:events';
import { createServer } from 'node:http';
import { jsonClientErrors } from '@seedline/http';
import { createLogger, onShutdown, startOrExit } from '@seedline/runtime';
import { composeIngest } from './compose.js';
import { loadIngestConfig } from './config.js';

const config = loadIngestConfig();
const logger = createLogger('ingest', config.LOG_LEVEL);
const { listener, sink, shutdownSteps } = await startOrExit(logger, composeIngest(config, logger));
const server = createServer(listener);
jsonClientErrors(server);
server.listen(config.INGEST_PORT, '0.0.0.0');
await once(server, 'listening');
server.keepAliveTimeout = 65_000;
logger.info({ port: config.INGEST_PORT, spooling: sink.spooling }, 'ingest listening');

onShutdown(logger, [
  {
    name: 'http',
    run: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeIdleConnections();
      }),
  },
  ...shutdownSteps,
]);
