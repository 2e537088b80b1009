/**
 * `descent compare runs/a runs/b …`: one report with the runs' curves overlaid and their settings
 * diffed (compare_report.ts), written to `--out` (default compare.html); `--json` prints the same
 * content as one JSON object: `{ runs: [{ dir, epochs }], config: { differing, identical } }`.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Lang } from '../report/html.js';
import { buildCompareReport } from './compare_report.js';
import { diffConfigs } from './config_diff.js';
import { UsageError } from './exit_codes.js';
import { parseChoice } from './parse.js';
import { readRunDir } from './run_dir_read.js';
import { writeText } from './run_dir_writer.js';

async function runCompare(
  dirs: string[],
  flags: { out?: string; json?: boolean; lang?: Lang },
): Promise<void> {
  if (dirs.length < 2) throw new UsageError(`compare needs at least two run directories, got ${dirs.length}`);
  const repeated = dirs.find((d, i) => dirs.findIndex((e) => path.resolve(e) === path.resolve(d)) !== i);
  if (repeated !== undefined)
    throw new UsageError(`${repeated} is given twice; give each run directory once`);
  const runs = dirs.map(readRunDir);
  const diff = diffConfigs(runs.map((r) => r.config));
  const out = flags.out ?? 'compare.html';
  const html = await buildCompareReport({ runs, diff, lang: flags.lang ?? 'en' });
  try {
    writeText(out, html);
  } catch (error) {
    throw new UsageError(`--out ${out}: cannot write the report (${(error as Error).message})`);
  }
  if (flags.json) {
    const record = { runs: runs.map((r) => ({ dir: r.dir, epochs: r.epochs })), config: diff, report: out };
    console.log(JSON.stringify(record));
  } else console.log(`report: ${out}`);
}

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare training runs: their curves overlaid and their settings diffed, in one report')
    .argument('<runs...>', 'run directories written by descent train (at least two)')
    .option('--out <file>', 'where to write the HTML report (default compare.html)')
    .addOption(
      new Option('--lang <lang>', 'report language shown first: en|zh').argParser(parseChoice(['en', 'zh'])),
    )
    .option('--json', 'print { runs: [{ dir, epochs }], config: { differing, identical }, report }')
    .action(async (dirs: string[], flags: { out?: string; json?: boolean; lang?: Lang }) =>
      runCompare(dirs, flags),
    );
}
