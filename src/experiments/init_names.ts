/** The `init` experiment's initializations and activations, shared by its computation and its presenter. */
export const INIT_SCHEMES = ['little-random', 'random', 'xavier', 'he'] as const;
export type InitName = (typeof INIT_SCHEMES)[number];
/**
 * Every initialization one run of the experiment takes (`descent experiment init --init`, the lab's
 * panel): the course's four of the grid, PyTorch's Kaiming (He et al. 2015, Var = 2/fanIn) beside the
 * course's He (Var = 4/(fanIn + fanOut)), and orthogonal (Saxe et al. 2013).
 */
export const INIT_CHOICES = [...INIT_SCHEMES, 'kaiming', 'orthogonal'] as const;
export type InitChoice = (typeof INIT_CHOICES)[number];
export const INIT_ACTIVATIONS = ['tanh', 'relu'] as const;
export type InitActivation = (typeof INIT_ACTIVATIONS)[number];
