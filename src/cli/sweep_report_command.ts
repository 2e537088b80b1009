/**
 * `descent sweep report DIR`: writes the sweep directory's bilingual HTML report (src/sweep/report/)
 * and prints the best trial with the `descent train` command line that reruns it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { FormatError } from '../io/format_error.js';
import type { Lang } from '../report/html.js';
import { readSweepData } from '../sweep/report/read.js';
import { buildSweepReport } from '../sweep/report/report.js';
import { UsageError } from './exit_codes.js';
import { explainFsError } from './out_dir.js';
import { parseChoice } from './parse.js';

interface ReportFlags {
  out?: string;
  lang?: Lang;
  json?: boolean;
}

async function runSweepReport(dir: string, flags: ReportFlags): Promise<void> {
  let data: ReturnType<typeof readSweepData>;
  try {
    data = readSweepData(dir);
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
  const report = await buildSweepReport(data, flags.lang ?? 'en');
  const file = flags.out ?? path.join(dir, 'report.html');
  try {
    fs.writeFileSync(file, report.html);
  } catch (error) {
    throw new UsageError(`--out ${file}: cannot write the report: ${explainFsError(error, file)}`);
  }
  if (flags.json) {
    console.log(
      JSON.stringify({ report: file, metric: data.spec.metric, mode: data.spec.mode, best: report.best }),
    );
    return;
  }
  const best = report.best;
  if (best === null) console.log(`no trial has a ${data.spec.metric} yet`);
  else {
    console.log(`best: ${best.trialId} with ${data.spec.metric} ${best.value} (${best.runDir})`);
    if (best.command !== null) console.log(best.command);
  }
  console.log(`report: ${file}`);
}

/** Options `sweep report` shares with `descent sweep`: commander hands them to the parent, which parses first. */
const SHARED = new Set(['out', 'json']);

/**
 * The report's flags. `--out` and `--json` after `sweep report DIR` land in the parent `sweep`
 * command's options (commander parses a parent's options anywhere on the line), so they are read
 * from there; any other option of `descent sweep` is refused rather than ignored.
 */
function reportFlags(cmd: Command): ReportFlags {
  const parent = cmd.parent?.opts() ?? {};
  const stray = Object.keys(parent).find((k) => !SHARED.has(k) && parent[k] !== undefined);
  if (stray !== undefined) {
    const flag = `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(`${flag} applies to descent sweep SPEC, not to sweep report`);
  }
  return cmd.optsWithGlobals() as ReportFlags;
}

/** The `report` subcommand of `descent sweep`. */
export function sweepReportCommand(): Command {
  return new Command('report')
    .description(
      'write a sweep directory’s HTML report (en/中文) and print the best trial as a descent train command',
    )
    .argument('<dir>', 'the sweep directory (the --out of descent sweep)')
    .option('--out <file>', 'where to write the report (default <dir>/report.html)')
    .addOption(
      new Option('--lang <lang>', 'en|zh: the language the report shows first').argParser(
        parseChoice(['en', 'zh']),
      ),
    )
    .option('--json', 'print { report, metric, mode, best: { trialId, params, value, runDir, command } }')
    .action(async (dir: string, _flags: ReportFlags, cmd: Command) => runSweepReport(dir, reportFlags(cmd)));
}
