/**
 * depth: the evidence — at the deepest setting the residual network's training loss is below half the
 * plain network's — the vanishing first-step gradient of the plain network, determinism, the
 * presentation and the errors.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/node.js';
import { depth, depthNetwork } from '../../src/experiments/depth.js';
import { Linear } from '../../src/index.js';

const data = loadMnist();

describe('depth experiment', () => {
  // The default budget (150 Adam steps, width 16, 1,000 pooled digits) at the default deepest setting.
  const result = depth.run({ data, depths: [64], architectures: ['plain', 'residual'], seed: 0 });
  const plain = result.runs.find((r) => r.architecture === 'plain')!;
  const residual = result.runs.find((r) => r.architecture === 'residual')!;

  it('at depth 64 the residual network reaches less than half the plain network’s training loss', () => {
    expect(plain.finalLoss!).toBeGreaterThan(0.9 * result.chanceLoss); // degraded: near ln 10
    expect(residual.finalLoss!).toBeLessThan(0.5 * plain.finalLoss!);
  });

  it('the plain network’s first gradient vanishes towards the input; the residual one’s does not', () => {
    expect(plain.gradNormsFirst).toHaveLength(64);
    expect(residual.gradNormsFirst).toHaveLength(64);
    const ratio = (g: number[]) => g[0]! / g[g.length - 1]!;
    expect(ratio(plain.gradNormsFirst)).toBeLessThan(1e-6);
    expect(ratio(residual.gradNormsFirst)).toBeGreaterThan(1e-2);
  });

  it('builds networks with `depth` Linear layers', () => {
    for (const arch of ['plain', 'residual', 'dense'] as const) {
      const net = depthNetwork(arch, 8, 196, 16, 10, 4);
      expect([...net.modules()].filter((m) => m instanceof Linear)).toHaveLength(8);
    }
  });

  it('is deterministic and presents bilingual findings', () => {
    const small = { data, depths: [4, 6], steps: 4, trainSize: 128, seed: 1 };
    const a = depth.run(small);
    expect(JSON.stringify(a)).toBe(JSON.stringify(depth.run(small)));
    expect(a.runs).toHaveLength(6);
    const en = depth.present(a, 'en');
    const zh = depth.present(a, 'zh');
    expect(en.title).not.toBe(zh.title);
    expect(en.findings.length).toBeGreaterThanOrEqual(4);
    expect(zh.findings.length).toBe(en.findings.length);
    expect(en.figures).toHaveLength(4);
    expect(en.table?.rows).toHaveLength(6);
  });

  it('says what is wrong', () => {
    expect(() => depth.run({ data, depths: [5] })).toThrow(/each depth must be an even integer ≥ 4/);
    expect(() => depth.run({ data, architectures: ['wide' as 'plain'] })).toThrow(
      /unknown architecture 'wide'/,
    );
  });
});
