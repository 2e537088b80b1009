/**
 * Weight initialization (torch.nn.init): in-place initializers that return their tensor, the gain
 * table, fans, and the course's named schemes. One file per family; each doc comment carries the
 * formula, the paper and the activation it suits.
 */
export { constant_, normal_, ones_, uniform_, zeros_ } from './basic.js';
export { torchDefaultInit_ } from './default.js';
export { calculateFanInAndFanOut, type FanMode } from './fan.js';
export type { InitOptions } from './fill.js';
export { calculateGain, type Nonlinearity } from './gain.js';
export { heCourseNormal_, heCourseUniform_ } from './he_course.js';
export { dirac_, eye_ } from './identity.js';
export { type InitializeOptions, initialize, type Scheme } from './initialize.js';
export { type KaimingOptions, kaimingNormal_, kaimingUniform_ } from './kaiming.js';
export { lecunNormal_, lecunUniform_ } from './lecun.js';
export { type OrthogonalOptions, orthogonal_ } from './orthogonal.js';
export { type XavierOptions, xavierNormal_, xavierUniform_ } from './xavier.js';
