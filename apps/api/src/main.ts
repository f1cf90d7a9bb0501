import { once } from 'node:events';
import { connectMongo, createRepositories, ensureIndexes } from '@seedline/db';
import { closeQueues, createLogger, createQueues, onShutdown, redisConnection } from '@seedline/runtime';
import { createApp } from './app.js';
import { loadApiConfig } from './config.js';

const config = loadApiConfig();
const logger = createLogger('api', config.LOG_LEVEL);

const redis = redisConnection(config.REDIS_URL, 'client');
redis.on('error', (err) => logger.debug({ err: err.message }, 'redis error'));
const queues = createQueues(redis, config.QUEUE_PREFIX);
const mongo = await connectMongo(config.MONGO_URL);
const repos = createRepositories(mongo);
await ensureIndexes(repos);

const app = createApp({ config, logger, repos, redis, queues });
const server = app.listen(config.API_PORT, '0.0.0.0');
await once(server, 'listening');
logger.info({ port: config.API_PORT }, 'api listening');

onShutdown(logger, [
  { name: 'http', run: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }) },
  { name: 'queues', run: () => closeQueues(queues) },
  { name: 'mongoose', run: () => mongo.close() },
  { name: 'redis', run: () => redis.quit() },
]);
