export * from './findings.js';
export * from './fields.js';
export * from './parse.js';
export * from './validate.js';
export * from './render.js';
