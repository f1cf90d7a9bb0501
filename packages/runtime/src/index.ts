export * from './config.js';
export * from './logger.js';
export * from './redis.js';
export * from './queues.js';
export * from './live.js';
export * from './campaign-changes.js';
export * from './shutdown.js';
