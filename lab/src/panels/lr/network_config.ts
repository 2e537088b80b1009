/**
 * The panel's small network as a run configuration, the one `descent train` and `descent lr-find` read:
 * an MLP 2-32-32-2 with ReLU and no batch normalization on the spirals, batches of 16 (enough steps in a
 * few epochs for the plateau detector's 200-step window), and the command line that runs the same thing.
 */

export interface NetworkSettings {
  optimizer: string;
  seed: number;
  /** Training only (lr-find sweeps the rate and trains no epochs). */
  lr?: number;
  epochs?: number;
}

/** The configuration keys both commands share (train adds lr and epochs). */
export function networkConfig(s: NetworkSettings): Record<string, unknown> {
  return {
    data: 'spirals',
    hidden: [32, 32],
    activation: 'relu',
    batchNorm: false,
    batchSize: 16,
    optimizer: s.optimizer,
    seed: s.seed,
    ...(s.lr === undefined ? {} : { lr: s.lr }),
    ...(s.epochs === undefined ? {} : { epochs: s.epochs }),
  };
}

/** `descent <command> …` with the same settings, so a reader can reproduce the run in a terminal. */
export function networkCommand(command: 'train' | 'lr-find', s: NetworkSettings, extra: string): string {
  const parts = [
    `descent ${command} --data spirals --hidden 32,32 --activation relu --no-batch-norm --batch-size 16`,
    `--optimizer ${s.optimizer}`,
    ...(s.lr === undefined ? [] : [`--lr ${s.lr}`]),
    ...(s.epochs === undefined ? [] : [`--epochs ${s.epochs}`]),
    `--seed ${s.seed}`,
    extra,
    '--json',
  ];
  return parts.filter((p) => p !== '').join(' ');
}
