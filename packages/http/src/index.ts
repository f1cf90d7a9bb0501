export * from './bounded-json.js';
export * from './client-address.js';
export * from './errors.js';
export * from './hot-route.js';
export * from './middleware.js';
export * from './rate-limit.js';
export * from './registered-routes.js';
export * from './metrics-auth.js';
