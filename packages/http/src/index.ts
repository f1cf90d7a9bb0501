export * from './errors.js';
export * from './middleware.js';
export * from './rate-limit.js';
