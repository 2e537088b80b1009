// The targets of issue 15 ("Backend seam v2 and captured training steps"), computed from one run's
// records by bench/run.mjs and written to results.json as `targets15`. Every value is a ratio of two
// numbers from the same run (speed ratios: above 1, the first is faster), so that a busy machine
// spoils a row rather than every comparison.
//
// The targets (bench/README.md, "Targets of issue 15"):
// - the course's network against PyTorch's best (one or two threads) ≥ 1.5×, descent's best
//   configuration (eager or captured, one or N threads);
// - `descent train`'s steady state (the epochs after the first of a 5-epoch run) within 10% of the
//   bare loop on the same configuration (≥ 0.9×), with the first epoch's warm-up in seconds beside it;
// - N threads over one thread of the same build: GEMM n ≥ 256 ≥ 1.8×, 784-512-512-10 and LeNet-5 ≥ 1.6×,
//   the course's network ≥ 1.0× (never slower);
// - reported without a threshold: the captured step over the eager one, 784-512-512-10 and LeNet-5
//   against PyTorch's best, and each GEMM's share of WebAssembly's own peak (bench/peak.mjs).

const score = (r) => r?.gflops ?? r?.samplesPerSecond ?? (r?.latencyMs ? 1 / r.latencyMs : undefined);
const ratioOf = (a, b) => (score(a) && score(b) ? score(a) / score(b) : undefined);
const bestOf = (rs) => rs.filter((r) => score(r) !== undefined).sort((a, b) => score(b) - score(a))[0];

/**
 * The targets' rows: { group, text, value, threshold (null: reported only), met (null: not measured or
 * reported only), detail }.
 */
export function issue15Targets({ results, descentEngines }) {
  const pick = (engine, label) => results.find((r) => r.engine === engine && r.label === label);
  const rows = [];
  const run = {
    descentEngines,
    pick,
    torchBest: (label) => bestOf([pick('pytorch (1 thread)', label), pick('pytorch (2 threads)', label)]),
    oneThreadOf: (d) => descentEngines.find((s) => !s.threads && s.variant === d.variant),
    add: (group, text, value, threshold, detail) =>
      rows.push({
        group,
        text,
        value: value ?? null,
        threshold,
        met: value === undefined || threshold === null ? null : value >= threshold,
        detail,
      }),
  };
  courseTargets(run);
  threadTargets(run);
  reportedRatios(run);
  return rows;
}

/** The course's network against PyTorch; descent train against the bare loop; captured against eager. */
function courseTargets({ descentEngines, pick, torchBest, add }) {
  const course = bestOf(
    descentEngines.flatMap((d) => [
      pick(d.engine, 'train bn-mlp b=64'),
      pick(d.engine, 'train bn-mlp b=64 captured'),
    ]),
  );
  const torchCourse = torchBest('train bn-mlp b=64');
  add(
    'course network',
    "the course's network vs PyTorch's best",
    ratioOf(course, torchCourse),
    1.5,
    course ? `${course.engine}, ${course.label} against ${torchCourse?.engine ?? '—'}` : 'not measured',
  );

  // descent train against the bare loop, and the captured step against the eager one.
  for (const d of descentEngines) {
    const cli = pick(d.engine, 'descent train bn-mlp b=64');
    if (cli) {
      add(
        'descent train',
        `descent train steady state ÷ bare loop, ${short(d)}`,
        ratioOf(cli, pick(d.engine, 'train bn-mlp b=64')),
        0.9,
        `epochs ${cli.epochSamplesPerSecond?.join(', ')} samples/s; first epoch's warm-up ${cli.warmupSeconds?.toFixed(2) ?? '—'} s`,
      );
    }
    const captured = pick(d.engine, 'train bn-mlp b=64 captured');
    add(
      'capture',
      `captured ÷ eager step, course network, ${short(d)}`,
      ratioOf(captured, pick(d.engine, 'train bn-mlp b=64')),
      null,
      captured ? `${captured.captureStats?.replays ?? '?'} replays` : 'not measured (see absent)',
    );
  }
}

/** N threads over one thread of the same build, per kernel size. */
function threadTargets({ descentEngines, pick, oneThreadOf, add }) {
  const scaling = [
    ['gemm n=256', 1.8],
    ['gemm n=512', 1.8],
    ['gemm n=1024', 1.8],
    ['train mlp512 b=128', 1.6],
    ['train lenet5 b=64', 1.6],
    ['train bn-mlp b=64', 1.0],
    ['train bn-mlp b=64 captured', null],
  ];
  for (const d of descentEngines.filter((e) => e.threads)) {
    for (const [label, threshold] of scaling) {
      const many = pick(d.engine, label);
      const one = pick(oneThreadOf(d)?.engine, label);
      if (!many && !one) continue;
      add('threads', `${label}: ${d.threads} threads ÷ 1`, ratioOf(many, one), threshold, short(d));
    }
  }
}

/** Reported without a threshold: the GEMM-bound networks against PyTorch, GEMM against the peak. */
function reportedRatios({ descentEngines, pick, torchBest, add }) {
  for (const label of ['train mlp512 b=128', 'train lenet5 b=64']) {
    const best = bestOf(descentEngines.map((d) => pick(d.engine, label)));
    const torch = torchBest(label);
    add(
      'vs PyTorch',
      `${label} vs PyTorch's best`,
      ratioOf(best, torch),
      null,
      best ? `${best.engine}` : '—',
    );
  }

  // GEMM against WebAssembly's own peak (one thread, same build).
  for (const label of [
    'gemm n=128',
    'gemm n=256',
    'gemm n=512',
    'gemm n=1024',
    'gemm n=512 AᵀB',
    'gemm n=512 ABᵀ',
  ]) {
    for (const d of descentEngines.filter((e) => !e.threads)) {
      const r = pick(d.engine, label);
      const peak = pick(d.engine, 'wasm peak fma');
      if (!r || !peak) continue;
      add(
        'share of peak',
        `${label}, ${short(d)}: share of the wasm peak`,
        r.gflops / peak.gflops,
        null,
        `peak ${peak.gflops.toFixed(1)} GFLOP/s`,
      );
    }
  }
}

function short(d) {
  return `${d.variant}${d.threads ? ` ×${d.threads}` : ''}`;
}

/** The rows as the run prints them. */
export function printIssue15(rows) {
  console.log("\nTargets of issue 15 (ratios within this run; 'share of peak' as a fraction)");
  for (const r of rows) {
    const value =
      r.value === null
        ? '—'
        : r.group === 'share of peak'
          ? `${(100 * r.value).toFixed(0)}%`
          : `${r.value.toFixed(2)}×`;
    const target = r.threshold === null ? 'reported' : `≥ ${r.threshold}×`;
    const met = r.met === null ? '' : r.met ? 'met' : 'NOT MET';
    console.log(
      `  ${r.text.padEnd(62)}${value.padStart(8)}  ${target.padEnd(9)} ${met.padEnd(8)} ${r.detail}`,
    );
  }
}

/** The rows as bench/README.md's table ("Targets of issue 15"). */
export function markdownIssue15(rows) {
  const lines = ['| target | value | threshold | met | detail |', '| --- | ---: | --- | --- | --- |'];
  for (const r of rows) {
    const value =
      r.value === null
        ? '—'
        : r.group === 'share of peak'
          ? `${(100 * r.value).toFixed(0)}%`
          : `${r.value.toFixed(2)}×`;
    const threshold = r.threshold === null ? 'reported' : `≥ ${r.threshold}×`;
    const met = r.met === null ? '' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.text} | ${value} | ${threshold} | ${met} | ${r.detail} |`);
  }
  return lines.join('\n');
}
