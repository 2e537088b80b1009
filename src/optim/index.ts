/** Optimizers, gradient transformations, learning-rate schedules and regularization (torch.optim, Optax). */
export {};
