/// <reference types="@webgpu/types" preserve="true" />
/**
 * Acquires a GPUDevice for the WebGPU backend: `navigator.gpu` in browsers (and Deno), the optional
 * `webgpu` package (Dawn) in Node. This file stays browser-safe: the package is loaded through a
 * dynamic import whose specifier is a variable, which bundlers (esbuild, Vite) leave alone, so the
 * browser bundle never tries to include Dawn's native addon.
 */
import { checkOptions, type OptionKeys } from '../../util/options.js';

/** Options of `requestWebGpuDevice`. */
export interface WebGpuDeviceOptions {
  readonly powerPreference?: 'low-power' | 'high-performance';
  /** A GPU to use instead of `navigator.gpu` or the `webgpu` package (tests inject one). */
  readonly gpu?: GPU;
}

/** The keys of WebGpuDeviceOptions, for the unknown-option check (init.ts extends them). */
export const DEVICE_OPTION_KEYS: OptionKeys<WebGpuDeviceOptions> = { powerPreference: true, gpu: true };

/** A device and the adapter's name, for summaries and `descent info`. */
export interface WebGpuDevice {
  readonly device: GPUDevice;
  readonly adapterName: string;
}

/**
 * No WebGPU adapter could be had. Its message says what was tried and what to do; the CLI reports it
 * as bad input or environment (exit 2), and `initBackend('auto')` falls back to wasm on it.
 */
export class WebGpuUnavailableError extends Error {
  override readonly name = 'WebGpuUnavailableError';
}

/**
 * Whether `error` says there is no WebGPU adapter: a WebGpuUnavailableError, or one rebuilt by name
 * after crossing a thread (the blocking backend's worker reports it that way).
 */
export function isWebGpuUnavailable(error: unknown): boolean {
  return (
    error instanceof WebGpuUnavailableError ||
    (error as { name?: unknown })?.name === 'WebGpuUnavailableError'
  );
}

/**
 * Whether `error`, or an error it was wrapped around (`cause`: training adds where it happened), is a
 * lost device's, by class or by name (the blocking backend's worker rebuilds it by name).
 */
export function isWebGpuDeviceLost(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof WebGpuDeviceLostError || e.name === 'WebGpuDeviceLostError') return true;
  }
  return false;
}

/** The device was lost after it was acquired (driver reset, GPU removed, out of memory at the OS level). */
export class WebGpuDeviceLostError extends Error {
  override readonly name = 'WebGpuDeviceLostError';
}

/**
 * The limits the backend asks for at their adapter maximum rather than WebGPU's defaults (128 MiB
 * bindings, 16 KiB workgroup memory, 8 storage buffers), which would cap tensor sizes and tiles.
 */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

/**
 * The WebGPU globals the backend's runtime uses by name (flag constants and error classes), copied
 * from the `webgpu` package onto globalThis in Node when absent. Nothing else is installed there.
 */
const NODE_GLOBALS = [
  'GPUBufferUsage',
  'GPUMapMode',
  'GPUShaderStage',
  'GPUValidationError',
  'GPUOutOfMemoryError',
  'GPUInternalError',
] as const;

/** What to do on a machine without a GPU, in Node. */
export const SWIFTSHADER_HINT =
  'on a machine without a GPU, use SwiftShader (Vulkan on the CPU) by starting Node with ' +
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium ' +
  '(the paths of Debian/Ubuntu chromium; both must be set before the process starts)';

/** What to do in Chromium without a usable GPU. */
export const CHROMIUM_HINT =
  'in Chromium, enable WebGPU (chrome://flags, or --enable-unsafe-webgpu); without a GPU add ' +
  '--enable-features=Vulkan --use-vulkan=swiftshader --use-webgpu-adapter=swiftshader';

/**
 * Requests a WebGPU adapter and a device with raised limits (see RAISED_LIMITS). The GPU comes from
 * `options.gpu`, else `navigator.gpu`, else (in Node) the `webgpu` package. Throws
 * WebGpuUnavailableError naming what was tried and what to do when there is no adapter.
 */
export async function requestWebGpuDevice(options: WebGpuDeviceOptions = {}): Promise<WebGpuDevice> {
  checkOptions('requestWebGpuDevice', options, DEVICE_OPTION_KEYS);
  const { gpu, source } = await findGpu(options);
  const adapter = await gpu.requestAdapter(
    options.powerPreference ? { powerPreference: options.powerPreference } : undefined,
  );
  if (!adapter) throw new WebGpuUnavailableError(noAdapterMessage(source));
  const adapterName = describeAdapter(adapter);
  const device = await adapter.requestDevice({ requiredLimits: raisedLimits(adapter) });
  watchDeviceLoss(device, adapterName);
  return { device, adapterName };
}

/** Where the GPU object came from, for messages. */
type GpuSource = 'option' | 'navigator' | 'node-package';

async function findGpu(options: WebGpuDeviceOptions): Promise<{ gpu: GPU; source: GpuSource }> {
  if (options.gpu) return { gpu: options.gpu, source: 'option' };
  const navigatorGpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (navigatorGpu) return { gpu: navigatorGpu, source: 'navigator' };
  if (!isNode()) {
    throw new WebGpuUnavailableError(
      `WebGPU is not available: navigator.gpu is absent (this browser or context does not expose WebGPU; it needs a secure context, https or localhost). ${CHROMIUM_HINT}; or use the wasm backend`,
    );
  }
  return { gpu: await nodeGpu(), source: 'node-package' };
}

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

/** The shape of the `webgpu` package's exports that this file uses. */
interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** One Dawn GPU instance per process: each `create` starts a new native instance. */
let dawnGpu: Promise<GPU> | undefined;

function nodeGpu(): Promise<GPU> {
  dawnGpu ??= loadDawn().catch((error: unknown) => {
    dawnGpu = undefined;
    throw error;
  });
  return dawnGpu;
}

async function loadDawn(): Promise<GPU> {
  // A variable specifier: bundlers do not follow it, so browser bundles stay free of the native addon.
  const specifier = 'webgpu';
  let dawn: DawnModule;
  try {
    dawn = (await import(/* @vite-ignore */ specifier)) as DawnModule;
  } catch (error) {
    throw dawnLoadError(error);
  }
  installGlobals(dawn.globals);
  return dawn.create([]);
}

/**
 * Why importing the `webgpu` package failed, as a WebGpuUnavailableError saying what to do. "Not
 * found" is the package itself only when the message names it: the package's own require of its
 * native addon (dawn.node, absent for an unsupported platform) fails with the same code.
 */
export function dawnLoadError(error: unknown): WebGpuUnavailableError {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const packageMissing = /['"]webgpu['"]/.test(message);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && packageMissing) {
    return new WebGpuUnavailableError(
      'WebGPU is not available in Node: the optional package `webgpu` (Dawn) is not installed; install it with `npm install webgpu`, or use the wasm backend',
    );
  }
  return new WebGpuUnavailableError(
    `WebGPU is not available in Node: the package \`webgpu\` is installed but failed to load (${message}): it may have no Dawn build for this platform, or be damaged; reinstall it (npm install webgpu), or use the wasm backend`,
  );
}

function installGlobals(globals: Record<string, unknown>): void {
  const target = globalThis as Record<string, unknown>;
  for (const name of NODE_GLOBALS) {
    if (target[name] === undefined && globals[name] !== undefined) target[name] = globals[name];
  }
}

function noAdapterMessage(source: GpuSource): string {
  switch (source) {
    case 'option':
      return 'WebGPU is not available: the GPU object passed as the `gpu` option returned no adapter';
    case 'navigator':
      return `WebGPU is not available: navigator.gpu returned no adapter (no usable GPU, or WebGPU is blocked for it). ${CHROMIUM_HINT}; or use the wasm backend`;
    case 'node-package':
      return `WebGPU is not available: the \`webgpu\` package (Dawn) loaded but found no adapter (no Vulkan, Metal or D3D12 GPU driver it could use). ${SWIFTSHADER_HINT}; or use the wasm backend`;
  }
}

/** A readable adapter name: the driver's description, else vendor and architecture. */
export function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info as Partial<GPUAdapterInfo> | undefined;
  const description = info?.description?.trim();
  if (description) return description;
  const parts = [info?.vendor, info?.architecture, info?.device].filter((part) => part?.trim());
  return parts.length > 0 ? parts.join(' ') : 'unnamed WebGPU adapter';
}

function raisedLimits(adapter: GPUAdapter): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) {
    const value = (adapter.limits as unknown as Record<string, number | undefined>)[name];
    if (typeof value === 'number') limits[name] = value;
  }
  return limits;
}

/** Loss errors of devices lost other than by `destroy()`, read by the runtime before it submits or reads. */
const lostDevices = new WeakMap<GPUDevice, WebGpuDeviceLostError>();

function watchDeviceLoss(device: GPUDevice, adapterName: string): void {
  device.lost.then(
    (info) => {
      if (info.reason === 'destroyed') return;
      lostDevices.set(
        device,
        new WebGpuDeviceLostError(
          `the WebGPU device (${adapterName}) was lost${info.message ? `: ${info.message}` : ''}; its tensors are gone. Start again with a new backend (initWebGpuBackend), or use the wasm backend`,
        ),
      );
    },
    () => {},
  );
}

/**
 * The error for a device lost after acquisition (not by destroy()), or null while it is alive. The
 * runtime throws it from reads and flushes so that a lost device is a clear error, not a hang or an
 * opaque validation message.
 */
export function deviceLostError(device: GPUDevice): WebGpuDeviceLostError | null {
  return lostDevices.get(device) ?? null;
}
