export * from './model.js';
export * from './build.js';
export * from './json.js';
export * from './drift.js';
