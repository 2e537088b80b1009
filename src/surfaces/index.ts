/** 2-D test surfaces, the optimizer trajectory runner and its record (`descent surface --json`). */
export * from './functions.js';
export { checkCondition, DEFAULT_CONDITION, quadraticSurface } from './quadratic.js';
export * from './record.js';
export * from './trajectory.js';
