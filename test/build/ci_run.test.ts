/**
 * .ci/run's browser and Redis steps, run with fake commands on PATH: Debian's chromium and
 * redis-server are installed with apt (update, then install without the recommended packages) only
 * when missing, and CI refuses a machine whose system CJK fonts would hide a missing bundled lab font.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const CI_RUN = fileURLToPath(new URL('../../.ci/run', import.meta.url));
const BASH = '/bin/bash';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A PATH of only these fake commands (shell scripts) and a few real tools; `log` records calls. */
function fakeBin(commands: Record<string, string>): { bin: string; log: string } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-ci-'));
  dirs.push(bin);
  const log = path.join(bin, 'calls.log');
  fs.writeFileSync(log, '');
  for (const tool of ['env', 'awk', 'dirname', 'chmod'])
    fs.symlinkSync(
      spawnSync(BASH, ['-c', `command -v ${tool}`])
        .stdout.toString()
        .trim(),
      path.join(bin, tool),
    );
  for (const [name, body] of Object.entries(commands)) {
    fs.writeFileSync(path.join(bin, name), `#!${BASH}\necho "${name} $*" >> ${log}\n${body}\n`, {
      mode: 0o755,
    });
  }
  return { bin, log };
}

function runStep(step: string, bin: string, env: Record<string, string> = {}) {
  const r = spawnSync(BASH, ['-c', `set -euo pipefail; source ${CI_RUN}; ${step}`], {
    env: { PATH: bin, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** apt-get that "installs" chromium by creating it next to itself. */
const APT_GET =
  'if [ "$1" = install ]; then printf "#!/bin/sh\\n" > "$(dirname "$0")/chromium"; chmod +x "$(dirname "$0")/chromium"; fi';

describe('.ci/run: chromium', () => {
  it('installs Debian chromium with apt-get update, then install without recommends, when missing', () => {
    const { bin, log } = fakeBin({ id: 'echo 0', 'apt-get': APT_GET });
    const r = runStep('ensure_chromium', bin);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'id -u',
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends chromium',
    ]);
  });

  it('leaves apt alone when chromium is already there', () => {
    const { bin, log } = fakeBin({ id: 'echo 0', 'apt-get': 'exit 1', chromium: '' });
    const r = runStep('ensure_chromium', bin);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`chromium: ${path.join(bin, 'chromium')}`);
    expect(fs.readFileSync(log, 'utf8')).toBe('');
  });

  it('goes through sudo when not root', () => {
    const { bin, log } = fakeBin({ id: 'echo 1000', sudo: '"$@"', 'apt-get': APT_GET });
    expect(runStep('ensure_chromium', bin).code).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toContain(
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium',
    );
  });

  it('fails saying why when it is not root and there is no sudo', () => {
    const { bin } = fakeBin({ id: 'echo 1000', 'apt-get': APT_GET });
    const r = runStep('ensure_chromium', bin);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('chromium is missing and installing it with apt needs root (or sudo)');
  });

  it('fails when apt-get fails', () => {
    const { bin } = fakeBin({ id: 'echo 0', 'apt-get': 'echo "E: no network" >&2; exit 100' });
    const r = runStep('ensure_chromium', bin);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('E: no network');
  });
});

describe('.ci/run: redis-server (the sweep queue tests start their own)', () => {
  const aptGetRedis =
    'if [ "$1" = install ]; then printf "#!/bin/sh\\n" > "$(dirname "$0")/redis-server"; chmod +x "$(dirname "$0")/redis-server"; fi';

  it('installs Debian redis-server with apt-get update, then install without recommends, when missing', () => {
    const { bin, log } = fakeBin({ id: 'echo 0', 'apt-get': aptGetRedis });
    const r = runStep('ensure_redis', bin);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("redis-server is missing: installing Debian's redis-server with apt");
    expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'id -u',
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends redis-server',
    ]);
  });

  it('leaves apt alone, and starts no server, when redis-server is already there', () => {
    const { bin, log } = fakeBin({ id: 'echo 0', 'apt-get': 'exit 1', 'redis-server': '' });
    const r = runStep('ensure_redis', bin);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`redis-server: ${path.join(bin, 'redis-server')}`);
    expect(fs.readFileSync(log, 'utf8')).toBe('');
  });

  it('fails when apt-get ran but no redis-server came with it', () => {
    const { bin } = fakeBin({ id: 'echo 0', 'apt-get': '' });
    const r = runStep('ensure_redis', bin);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('apt-get installed redis-server, but there is still no redis-server on PATH');
  });
});

describe('.ci/run: no system CJK fonts', () => {
  it('passes with Latin fonts only', () => {
    const { bin } = fakeBin({
      'fc-list': '',
      'dpkg-query': 'echo "ii  fonts-dejavu-core"; echo "ii  fonts-liberation"',
    });
    const r = runStep('check_no_cjk_fonts', bin);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no system CJK fonts');
  });

  it.each([
    [
      'fontconfig lists a Chinese font',
      { 'fc-list': 'echo /usr/share/fonts/wqy/wqy-zenhei.ttc' },
      'wqy-zenhei.ttc',
    ],
    ['a fonts-*-cjk package is installed', { 'dpkg-query': 'echo "ii  fonts-noto-cjk"' }, 'fonts-noto-cjk'],
  ])('fails naming the font when %s', (_, commands, named) => {
    const { bin } = fakeBin(commands);
    const r = runStep('check_no_cjk_fonts', bin);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CI must run without system CJK fonts (the lab bundles its own)');
    expect(r.stderr).toContain(named);
  });

  it('ignores a CJK font package that is removed but not purged', () => {
    const { bin } = fakeBin({ 'dpkg-query': 'echo "rc  fonts-noto-cjk"' });
    expect(runStep('check_no_cjk_fonts', bin).code).toBe(0);
  });
});

/** A folder holding the named (empty) files, as chromium's /usr/lib/chromium holds SwiftShader's. */
function fakeSwiftShader(files: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-swiftshader-'));
  dirs.push(dir);
  for (const f of files) fs.writeFileSync(path.join(dir, f), '');
  return dir;
}

describe('.ci/run: SwiftShader for the WebGPU tests', () => {
  it("passes where chromium's folder has SwiftShader's driver manifest and the Vulkan loader", () => {
    const { bin } = fakeBin({});
    const dir = fakeSwiftShader(['vk_swiftshader_icd.json', 'libvulkan.so.1']);
    const r = runStep('check_swiftshader', bin, { SWIFTSHADER_DIR: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`SwiftShader for the WebGPU tests: ${dir}`);
  });

  it('fails naming the missing file', () => {
    const { bin } = fakeBin({});
    const dir = fakeSwiftShader(['vk_swiftshader_icd.json']);
    const r = runStep('check_swiftshader', bin, { SWIFTSHADER_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `the WebGPU tests need SwiftShader from Debian's chromium: ${dir}/libvulkan.so.1 is missing (reinstall chromium)`,
    );
  });
});

describe('.ci/run: the whole run', () => {
  it('checks chromium, the fonts, SwiftShader and redis-server first, then installs, builds, checks and tests with CI=true', () => {
    const { bin, log } = fakeBin({
      chromium: '',
      'redis-server': '',
      'fc-list': '',
      npm: 'echo "  (CI=$CI)" >> "$(dirname "$0")/calls.log"',
    });
    const swiftshader = fakeSwiftShader(['vk_swiftshader_icd.json', 'libvulkan.so.1']);
    const r = runStep('main', bin, { SWIFTSHADER_DIR: swiftshader });
    expect(r.code).toBe(0);
    expect(r.stdout.indexOf('chromium:')).toBeLessThan(r.stdout.indexOf('== npm ci'));
    expect(r.stdout.indexOf('SwiftShader for the WebGPU tests:')).toBeLessThan(r.stdout.indexOf('== npm ci'));
    expect(r.stdout.indexOf('redis-server:')).toBeLessThan(r.stdout.indexOf('== npm ci'));
    expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'fc-list :lang=zh file',
      'npm ci --no-audit --no-fund',
      '  (CI=true)',
      'npm run build',
      '  (CI=true)',
      'npm run typecheck',
      '  (CI=true)',
      'npm run lint',
      '  (CI=true)',
      'npm test',
      '  (CI=true)',
    ]);
  });
});
