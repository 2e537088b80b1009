/**
 * Fused optimizer updates over flat float32 buffers (src/backend/wasm/optimizer_update.ts calls them;
 * src/backend/optimizer_update.ts defines the calls and src/backend/reference/optimizer_update.ts their
 * meaning). One pass reads the parameter, its gradient and the state and writes the parameter and the
 * state in place, where the chain of tensor ops it replaces makes about a dozen passes.
 *
 * Each kernel performs the chain's float32 operations in the chain's order, and the scalars arrive
 * rounded to float32 as the chain's scalar tensors are, so the results are bit-identical to the chain
 * (+ − × ÷ √ and max are correctly rounded, in SIMD lanes as in scalar code). The SIMD loop and the
 * scalar tail compute the same formulas. No multiply-add is fused, in any build.
 *
 * `flags` switch stages on and off (assembly/opcodes.ts's OptimFlag), as the chain's tests do (on the
 * float64 values, by the caller).
 */
import { OptimFlag } from './opcodes';

// @ts-ignore: decorator
@inline function on(flags: i32, flag: i32): bool {
  return (flags & flag) != 0;
}

/**
 * The gradient every update starts from, in the chain's order: g ← ±g (maximize), then the coupled
 * decay g ← g + λθ. One definition for the four kernels, lane by lane as in the scalar tail.
 */
// @ts-ignore: decorator
@inline function gradIn(g: f32, theta: f32, maximize: bool, decay: bool, wd: f32): f32 {
  let u = g;
  if (maximize) u = -u;
  if (decay) u = u + theta * wd;
  return u;
}

// @ts-ignore: decorator
@inline function gradIn4(g: v128, theta: v128, maximize: bool, decay: bool, wdv: v128): v128 {
  let u = g;
  if (maximize) u = f32x4.neg(u);
  if (decay) u = f32x4.add(u, f32x4.mul(theta, wdv));
  return u;
}

/**
 * SGD with momentum (torch.optim.SGD): buffers p (θ), g, b (momentum, unused without OptimFlag.momentum).
 * g ← ±g; g ← g + λθ; b ← g (first step) or ρb + (1 − τ)g; u = g + ρb (nesterov) or b; θ ← θ + u·(−η).
 */
export function sgdUpdate(
  n: i32,
  p: usize,
  g: usize,
  b: usize,
  flags: i32,
  wd: f32,
  rho: f32,
  keep: f32,
  lr: f32,
): void {
  const maximize = on(flags, OptimFlag.maximize);
  const decay = on(flags, OptimFlag.decay);
  const momentum = on(flags, OptimFlag.momentum);
  const init = on(flags, OptimFlag.initMomentum);
  const nesterov = on(flags, OptimFlag.nesterov);
  const negLr: f32 = -lr;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const wdv = f32x4.splat(wd);
    const rhov = f32x4.splat(rho);
    const keepv = f32x4.splat(keep);
    const lrv = f32x4.splat(negLr);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const theta = v128.load(p + o);
      let u = gradIn4(v128.load(g + o), theta, maximize, decay, wdv);
      if (momentum) {
        const bi = init ? u : f32x4.add(f32x4.mul(v128.load(b + o), rhov), f32x4.mul(u, keepv));
        v128.store(b + o, bi);
        u = nesterov ? f32x4.add(u, f32x4.mul(bi, rhov)) : bi;
      }
      v128.store(p + o, f32x4.add(theta, f32x4.mul(u, lrv)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const theta = load<f32>(p + o);
    let u = gradIn(load<f32>(g + o), theta, maximize, decay, wd);
    if (momentum) {
      const bi = init ? u : load<f32>(b + o) * rho + u * keep;
      store<f32>(b + o, bi);
      u = nesterov ? u + bi * rho : bi;
    }
    store<f32>(p + o, theta + u * negLr);
  }
}

/**
 * Adam and AdamW: buffers p, g, m, v, vMax (unused without OptimFlag.amsgrad).
 * g ← ±g; [g ← g + λθ]; m ← β₁m + (1 − β₁)g; v ← β₂v + ((1 − β₂)g)g; [v̄ ← max(v̄, v)];
 * d = √v̄ / √bc₂ + ε or √(v̄ / bc₂ + ε); u = m / d [/ bc₁]; [u ← u + λθ]; θ ← θ + u·(−η).
 */
export function adamUpdate(
  n: i32,
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  vMax: usize,
  flags: i32,
  wd: f32,
  b1: f32,
  omb1: f32,
  b2: f32,
  omb2: f32,
  eps: f32,
  bc1: f32,
  bc2: f32,
  sqrtBc2: f32,
  lr: f32,
): void {
  const maximize = on(flags, OptimFlag.maximize);
  const decay = on(flags, OptimFlag.decay);
  const decoupled = on(flags, OptimFlag.decoupled);
  const amsgrad = on(flags, OptimFlag.amsgrad);
  const inside = on(flags, OptimFlag.epsInsideSqrt);
  const divide = on(flags, OptimFlag.divide);
  const negLr: f32 = -lr;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const wdv = f32x4.splat(wd);
    const b1v = f32x4.splat(b1);
    const omb1v = f32x4.splat(omb1);
    const b2v = f32x4.splat(b2);
    const omb2v = f32x4.splat(omb2);
    const epsv = f32x4.splat(eps);
    const bc1v = f32x4.splat(bc1);
    const bc2v = f32x4.splat(bc2);
    const sqrtBc2v = f32x4.splat(sqrtBc2);
    const lrv = f32x4.splat(negLr);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const theta = v128.load(p + o);
      let u = gradIn4(v128.load(g + o), theta, maximize, decay, wdv);
      const mi = f32x4.add(f32x4.mul(v128.load(m + o), b1v), f32x4.mul(u, omb1v));
      const vi = f32x4.add(f32x4.mul(v128.load(v + o), b2v), f32x4.mul(f32x4.mul(u, omb2v), u));
      v128.store(m + o, mi);
      v128.store(v + o, vi);
      let second = vi;
      if (amsgrad) {
        second = f32x4.max(v128.load(vMax + o), vi);
        v128.store(vMax + o, second);
      }
      const denom = inside
        ? f32x4.sqrt(f32x4.add(f32x4.div(second, bc2v), epsv))
        : f32x4.add(f32x4.div(f32x4.sqrt(second), sqrtBc2v), epsv);
      u = f32x4.div(mi, denom);
      if (divide) u = f32x4.div(u, bc1v);
      if (decoupled) u = f32x4.add(u, f32x4.mul(theta, wdv));
      v128.store(p + o, f32x4.add(theta, f32x4.mul(u, lrv)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const theta = load<f32>(p + o);
    let u = gradIn(load<f32>(g + o), theta, maximize, decay, wd);
    const mi = load<f32>(m + o) * b1 + u * omb1;
    const vi = load<f32>(v + o) * b2 + u * omb2 * u;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    let second = vi;
    if (amsgrad) {
      second = max<f32>(load<f32>(vMax + o), vi);
      store<f32>(vMax + o, second);
    }
    const denom = inside ? sqrt<f32>(second / bc2 + eps) : sqrt<f32>(second) / sqrtBc2 + eps;
    u = mi / denom;
    if (divide) u = u / bc1;
    if (decoupled) u = u + theta * wd;
    store<f32>(p + o, theta + u * negLr);
  }
}

/**
 * RMSprop: buffers p, g, s (square average), a (gradient average, OptimFlag.centered), b (momentum,
 * OptimFlag.momentum).
 * g ← ±g; g ← g + λθ; s ← αs + ((1 − α)g)g; [a ← αa + (1 − α)g; s̃ = s − a·a];
 * d = √s̃ + ε or √(s̃ + ε); u = g / d; [b ← u (first step) or ρb + u; u = b]; θ ← θ + u·(−η).
 */
export function rmspropUpdate(
  n: i32,
  p: usize,
  g: usize,
  s: usize,
  a: usize,
  b: usize,
  flags: i32,
  wd: f32,
  alpha: f32,
  oma: f32,
  eps: f32,
  rho: f32,
  lr: f32,
): void {
  const maximize = on(flags, OptimFlag.maximize);
  const decay = on(flags, OptimFlag.decay);
  const centered = on(flags, OptimFlag.centered);
  const inside = on(flags, OptimFlag.epsInsideSqrt);
  const momentum = on(flags, OptimFlag.momentum);
  const init = on(flags, OptimFlag.initMomentum);
  const negLr: f32 = -lr;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const wdv = f32x4.splat(wd);
    const alphav = f32x4.splat(alpha);
    const omav = f32x4.splat(oma);
    const epsv = f32x4.splat(eps);
    const rhov = f32x4.splat(rho);
    const lrv = f32x4.splat(negLr);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const theta = v128.load(p + o);
      let u = gradIn4(v128.load(g + o), theta, maximize, decay, wdv);
      const si = f32x4.add(f32x4.mul(v128.load(s + o), alphav), f32x4.mul(f32x4.mul(u, omav), u));
      v128.store(s + o, si);
      let second = si;
      if (centered) {
        const ai = f32x4.add(f32x4.mul(v128.load(a + o), alphav), f32x4.mul(u, omav));
        v128.store(a + o, ai);
        second = f32x4.sub(si, f32x4.mul(ai, ai));
      }
      const denom = inside
        ? f32x4.sqrt(f32x4.add(second, epsv))
        : f32x4.add(f32x4.sqrt(second), epsv);
      u = f32x4.div(u, denom);
      if (momentum) {
        const bi = init ? u : f32x4.add(f32x4.mul(v128.load(b + o), rhov), u);
        v128.store(b + o, bi);
        u = bi;
      }
      v128.store(p + o, f32x4.add(theta, f32x4.mul(u, lrv)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const theta = load<f32>(p + o);
    let u = gradIn(load<f32>(g + o), theta, maximize, decay, wd);
    const si = load<f32>(s + o) * alpha + u * oma * u;
    store<f32>(s + o, si);
    let second = si;
    if (centered) {
      const ai = load<f32>(a + o) * alpha + u * oma;
      store<f32>(a + o, ai);
      second = si - ai * ai;
    }
    const denom = inside ? sqrt<f32>(second + eps) : sqrt<f32>(second) + eps;
    u = u / denom;
    if (momentum) {
      const bi = init ? u : load<f32>(b + o) * rho + u;
      store<f32>(b + o, bi);
      u = bi;
    }
    store<f32>(p + o, theta + u * negLr);
  }
}

/**
 * AdaGrad: buffers p, g, s (sum of squares).
 * g ← ±g; g ← g + λθ; s ← s + g·g; d = √s + ε or √(s + ε); u = g / d [/ k]; θ ← θ + u·(−η).
 */
export function adagradUpdate(
  n: i32,
  p: usize,
  g: usize,
  s: usize,
  flags: i32,
  wd: f32,
  eps: f32,
  k: f32,
  lr: f32,
): void {
  const maximize = on(flags, OptimFlag.maximize);
  const decay = on(flags, OptimFlag.decay);
  const inside = on(flags, OptimFlag.epsInsideSqrt);
  const divide = on(flags, OptimFlag.divide);
  const negLr: f32 = -lr;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const wdv = f32x4.splat(wd);
    const epsv = f32x4.splat(eps);
    const kv = f32x4.splat(k);
    const lrv = f32x4.splat(negLr);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const theta = v128.load(p + o);
      let u = gradIn4(v128.load(g + o), theta, maximize, decay, wdv);
      const si = f32x4.add(v128.load(s + o), f32x4.mul(u, u));
      v128.store(s + o, si);
      const denom = inside ? f32x4.sqrt(f32x4.add(si, epsv)) : f32x4.add(f32x4.sqrt(si), epsv);
      u = f32x4.div(u, denom);
      if (divide) u = f32x4.div(u, kv);
      v128.store(p + o, f32x4.add(theta, f32x4.mul(u, lrv)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const theta = load<f32>(p + o);
    let u = gradIn(load<f32>(g + o), theta, maximize, decay, wd);
    const si = load<f32>(s + o) + u * u;
    store<f32>(s + o, si);
    const denom = inside ? sqrt<f32>(si + eps) : sqrt<f32>(si) + eps;
    u = u / denom;
    if (divide) u = u / k;
    store<f32>(p + o, theta + u * negLr);
  }
}
