/** 2-D test surfaces and the optimizer trajectory runner. */
export * from './functions.js';
export * from './trajectory.js';
