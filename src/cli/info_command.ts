/**
 * `descent info`: the version, the backend the commands would run on (with `--backend`, or
 * DESCENT_BACKEND, resolved as they resolve it: auto becomes webgpu or wasm) and its GPU adapter, and
 * the differentiable primitives.
 */
import { Command, Option } from 'commander';
import { gradRules } from '../autograd/grad_rules.js';
import { type BackendName, getBackend } from '../backend/registry.js';
import { backendLine, environmentBackend, type SelectedBackend, selectBackend } from './backend_choice.js';
import { parseChoice } from './parse.js';
import { BACKENDS } from './run_config.js';

/**
 * The backend a command would get. Only a GPU is started to find out (its adapter's name is the point);
 * reference and wasm are named without starting their threads.
 */
async function chosenBackend(name: BackendName | undefined): Promise<SelectedBackend> {
  const resolved = name ?? environmentBackend();
  if (resolved === 'webgpu' || resolved === 'auto') return selectBackend({ name });
  return { name: resolved ?? getBackend().name };
}

export function infoCommand(version: string): Command {
  return new Command('info')
    .description(
      'print the version, the backend (and GPU adapter) commands run on, and the differentiable primitives',
    )
    .option('--json', 'print machine-readable JSON')
    .addOption(
      new Option('--backend <name>', `the backend to resolve: ${BACKENDS.join('|')}`).argParser(
        parseChoice(BACKENDS),
      ),
    )
    .action(async (options: { json?: boolean; backend?: BackendName }) => {
      const backend = await chosenBackend(options.backend);
      const info = {
        version,
        node: process.version,
        backend: backend.name,
        ...(backend.adapterName === undefined ? {} : { adapter: backend.adapterName }),
        primitives: Object.keys(gradRules),
      };
      if (options.json) console.log(JSON.stringify(info, null, 2));
      else {
        console.log(`descent ${info.version} on Node ${info.node}`);
        console.log(backendLine(backend));
        console.log(`differentiable primitives (${info.primitives.length}): ${info.primitives.join(', ')}`);
      }
    });
}
