#!/usr/bin/env node
// The `descent` command. The CLI is compiled to dist/ by `npm run build` (a packed tarball already holds it).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('descent: dist/cli/main.js is missing; run `npm run build` in the descent folder first.');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
