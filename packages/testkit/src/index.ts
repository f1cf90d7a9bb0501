export * from './names.js';
export * from './poll.js';
export * from './ports.js';
export * from './services.js';
export * from './processes.js';
export * from './stack.js';
export * from './client.js';
export * from './random.js';
