/**
 * A private copy of the built lab, served like `descent lab` serves dist/lab: for specs that must not
 * see dist/lab change under them (other specs rebuild it while they run, which renames its hashed
 * assets, so a page half-loaded from the old build gets 404s), or that edit the build's files.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabServer } from '../../src/cli/lab_server.js';
import { LAB_ROOT } from './harness.js';

/** The build to copy: dist/lab, or DESCENT_LAB_BUILD (a build made elsewhere with `vite build --outDir`). */
const BUILD = process.env.DESCENT_LAB_BUILD ?? LAB_ROOT;

export interface LabCopy {
  /** The copy's folder (the spec may edit its files). */
  root: string;
  /** `http://127.0.0.1:PORT/`. */
  url: string;
  /** Stops the server and deletes the copy. */
  close(): Promise<void>;
}

export async function serveLabCopy(): Promise<LabCopy> {
  if (!existsSync(join(BUILD, 'index.html')))
    throw new Error(`the lab is not built (${BUILD}/index.html is missing): run npm run build`);
  const root = mkdtempSync(join(tmpdir(), 'descent-lab-copy-'));
  cpSync(BUILD, root, { recursive: true });
  const server = await startLabServer({ root, host: '127.0.0.1', port: 0 });
  return {
    root,
    url: server.url,
    close: async () => {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
