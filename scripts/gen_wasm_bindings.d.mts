// Types of scripts/gen_wasm_bindings.mjs, for the TypeScript tests that call it (test/build/wasm_bindings.test.ts).

export interface EnumMember {
  name: string;
  value: number;
  doc: string | null;
}

export interface ParsedEnum {
  name: string;
  doc: string | null;
  members: EnumMember[];
}

/** An exported kernel: its parameters' JavaScript types ('number', 'Ptr' or 'Bool') and its return type. */
export interface KernelSignature {
  name: string;
  doc: string | null;
  params: { name: string; type: string }[];
  returns: string;
}

export function parseEnums(file: string, text: string): ParsedEnum[];
export function renderOpcodes(text: string, file?: string): string;
export function collectKernels(read: (file: string) => string, entry?: string): KernelSignature[];
export function renderKernelExports(kernels: KernelSignature[], entry?: string): string;
export function generateBindings(root?: string): { file: string; text: string }[];
export function writeBindings(root?: string): string[];
