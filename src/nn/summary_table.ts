/**
 * The text table of a model summary, in the look of Keras's `model.summary()` and torchinfo: one row
 * per layer (name indented by depth, class, output shape, parameter count), then the totals.
 *
 * The "Param #" column sums to the total: a row whose children are shown too counts only its own
 * parameters ("--" when it has none), any other row counts its whole subtree.
 */
import { formatBytes } from '../backend/out_of_memory.js';
import type { ModelSummary, SummaryLayer } from './summary.js';

const int = (n: number): string => n.toLocaleString('en-US');

function shapeCell(layer: SummaryLayer): string {
  if (layer.outputShapes.length === 0) return '--';
  const distinct = [...new Set(layer.outputShapes.map((s) => `[${s.join(', ')}]`))];
  const calls = layer.outputShapes.length;
  return calls > 1 ? `${distinct.join(', ')} ×${calls}` : distinct[0]!;
}

function paramCell(layer: SummaryLayer): string {
  const shown = layer.expanded ? layer.ownParams : layer.params;
  if (layer.expanded && shown === 0) return '--';
  const trainable = layer.expanded ? null : layer.trainableParams;
  if (trainable !== null && shown > 0 && trainable === 0) return `${int(shown)} (frozen)`;
  if (trainable !== null && trainable < shown) return `${int(shown)} (${int(shown - trainable)} frozen)`;
  return int(shown);
}

/** The summary as a table (what `String(summary(model, shape))` gives). */
export function formatSummary(s: ModelSummary): string {
  const rows = s.layers.map((l) => [
    `${'  '.repeat(l.depth - 1)}${l.name} (${l.type})`,
    shapeCell(l),
    paramCell(l),
  ]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    `${cells[0]!.padEnd(widths[0]!)}   ${cells[1]!.padEnd(widths[1]!)}   ${cells[2]!.padStart(widths[2]!)}`;
  const width = widths[0]! + widths[1]! + widths[2]! + 6;
  return [
    `Model: ${s.model} (input [${s.inputShape.join(', ')}], output [${s.outputShape.join(', ')}])`,
    '='.repeat(width),
    line(header),
    '='.repeat(width),
    ...rows.map(line),
    '='.repeat(width),
    `Total params: ${int(s.totalParams)} (${formatBytes(s.paramBytes)})`,
    `Trainable params: ${int(s.trainableParams)}`,
    `Non-trainable params: ${int(s.frozenParams)}`,
    '-'.repeat(width),
  ].join('\n');
}
