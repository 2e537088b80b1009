/**
 * `lr.train`: the small network trained at the chosen learning rate by the library's `TrainingSession`
 * (the code `descent train` runs), epoch by epoch, each epoch's record sent as progress so the curve
 * grows live. The trainer's own divergence guard and plateau detector run inside it; their warnings
 * are returned as the library wrote them.
 */
import { epochRecord, finalRecord, parseRunConfig, syntheticRunData, TrainingSession } from 'descent';
import type { JobContext } from '../../worker/protocol';
import type { WarningData } from './diagnostics';
import { networkCommand, networkConfig } from './network_config';

export interface TrainJobInput {
  lr: number;
  optimizer: string;
  epochs: number;
  seed: number;
}

export type EpochLine = ReturnType<typeof epochRecord>;
export type FinalLine = ReturnType<typeof finalRecord>;

export interface TrainJobResult {
  /** `descent train --json`'s lines: one per epoch, then the final one (only in the result, not in progress). */
  lines: (EpochLine | FinalLine)[];
  warnings: WarningData[];
  /** The equivalent command line. */
  command: string;
}

export async function trainJob(input: TrainJobInput, ctx: JobContext): Promise<TrainJobResult> {
  const command = networkCommand('train', input, '');
  const config = parseRunConfig(networkConfig(input), { source: 'the lab’s network' });
  const session = new TrainingSession({ config, data: syntheticRunData(config) });
  const lines: (EpochLine | FinalLine)[] = [];
  const warnings = () =>
    session.history.warnings.map(({ kind, message, suggestedLr }) => ({ kind, message, suggestedLr }));
  while (!session.done) {
    await ctx.yield();
    lines.push(epochRecord(session.runEpoch()));
    ctx.progress({ lines: [...lines], warnings: warnings(), command } satisfies TrainJobResult);
  }
  session.end();
  lines.push(finalRecord(session.summary()));
  return { lines, warnings: warnings(), command };
}
