/** The `init` experiment's initializations and activations, shared by its computation and its presenter. */
export const INIT_SCHEMES = ['little-random', 'random', 'xavier', 'he'] as const;
export type InitName = (typeof INIT_SCHEMES)[number];
export const INIT_ACTIVATIONS = ['tanh', 'relu'] as const;
export type InitActivation = (typeof INIT_ACTIVATIONS)[number];
