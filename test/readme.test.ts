/** Runs the README's quick example verbatim and checks that it prints what the README says. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';

it('the README quick example runs and prints the documented output', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const after = readme.slice(readme.indexOf('<!-- quick-example'));
  const code = /```ts\n([\s\S]*?)```/.exec(after)?.[1];
  const output = /```text\n([\s\S]*?)```/.exec(after)?.[1];
  expect(code).toBeTruthy();
  expect(output).toBeTruthy();
  const dir = new URL('./.tmp/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL('readme_example.ts', dir);
  writeFileSync(file, code!);
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '));
  });
  try {
    await import(/* @vite-ignore */ file.href);
  } finally {
    spy.mockRestore();
  }
  expect(`${lines.join('\n')}\n`).toBe(output);
});
