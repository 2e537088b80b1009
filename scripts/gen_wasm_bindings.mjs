// Generates the TypeScript side of the wasm kernels from assembly/, so that nothing mirrored between the
// two is kept in sync by hand (issue #15):
//   - src/backend/wasm/opcodes.ts from assembly/opcodes.ts's enums (op codes, copy kinds, activation
//     codes, optimizer flag bits), the one place those numbers are written;
//   - src/backend/wasm/kernel_exports.ts, the `Kernels` interface (the module's typed exports), from the
//     export signatures reachable from assembly/index.ts.
// The TypeScript compiler API parses the AssemblyScript sources (their syntax is TypeScript's). Run by
// scripts/build_wasm.mjs (`npm run asbuild`); like kernels_wasm.ts the outputs are not committed.
// Deterministic: the output depends only on the sources (no dates, no paths of this machine).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * How each enum of assembly/opcodes.ts appears in the generated opcodes.ts: a `table` object typed
 * `Record<keyType, number>` (keyType: the union of src/backend/backend.ts whose members the enum's
 * members are), a `table` of constants, or `constants` named prefix + SCREAMING_CASE member.
 */
const OPCODE_TABLES = {
  UnaryOp: { table: 'unaryCodes', keyType: 'UnaryOp' },
  BinaryOp: { table: 'binaryCodes', keyType: 'BinaryOp' },
  ReduceOp: { table: 'reduceCodes', keyType: 'ReduceOp' },
  CopyKind: { constants: 'COPY_' },
  FusedActivation: { table: 'activationCodes', keyType: 'FusedActivation' },
  OptimFlag: { table: 'optimFlags' },
};

/** AssemblyScript value types as the JavaScript side of a call sees them. */
const VALUE_TYPES = {
  i8: 'number',
  u8: 'number',
  i16: 'number',
  u16: 'number',
  i32: 'number',
  u32: 'number',
  f32: 'number',
  f64: 'number',
  isize: 'number',
  usize: 'Ptr',
  bool: 'Bool',
  void: 'void',
};

const LINE_WIDTH = 110;

function parse(file, text) {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function isExported(node) {
  return (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** The text of a node's leading /** … *\/ comment (the last one), or null. */
function docOf(node, source) {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  const docs = ranges.filter((r) => source.text.startsWith('/**', r.pos));
  if (docs.length === 0) return null;
  const last = docs[docs.length - 1];
  return source.text.slice(last.pos, last.end);
}

/** A doc comment re-indented to `indent` (its lines keep their ` * ` shape). */
function indentDoc(doc, indent) {
  return doc
    .split('\n')
    .map((line, i) => (i === 0 ? indent + line.trim() : `${indent} ${line.trim()}`))
    .join('\n');
}

/** The enums of an opcodes source: name, doc, members (name, value, doc), each value written out. */
export function parseEnums(file, text) {
  const source = parse(file, text);
  const enums = [];
  for (const node of source.statements) {
    if (!ts.isEnumDeclaration(node)) continue;
    const name = node.name.text;
    const members = node.members.map((m) => {
      const member = m.name.getText(source);
      if (m.initializer === undefined || !ts.isNumericLiteral(m.initializer)) {
        throw new Error(
          `${file}: ${name}.${member} needs an explicit number (write \`${member} = <number>\`); the generator copies values, it does not compute them`,
        );
      }
      return { name: member, value: Number(m.initializer.text), doc: docOf(m, source) };
    });
    const seen = new Map();
    for (const m of members) {
      if (seen.has(m.value)) {
        throw new Error(
          `${file}: ${name}.${m.name} and ${name}.${seen.get(m.value)} share the value ${m.value}`,
        );
      }
      seen.set(m.value, m.name);
    }
    enums.push({ name, doc: docOf(node, source), members });
  }
  return enums;
}

/** camelCase → SCREAMING_CASE (f32ToI32 → F32_TO_I32). */
function screaming(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function renderEnum(e, spec) {
  const lines = [];
  if (spec.constants !== undefined) {
    if (e.doc !== null) lines.push(indentDoc(e.doc, ''));
    for (const m of e.members) {
      if (m.doc !== null) lines.push(indentDoc(m.doc, ''));
      lines.push(`export const ${spec.constants}${screaming(m.name)} = ${m.value};`);
    }
    return lines;
  }
  if (e.doc !== null) lines.push(indentDoc(e.doc, ''));
  const type = spec.keyType === undefined ? '' : `: Record<${spec.keyType}, number>`;
  lines.push(`export const ${spec.table}${type} = {`);
  for (const m of e.members) {
    if (m.doc !== null) lines.push(indentDoc(m.doc, '  '));
    lines.push(`  ${m.name}: ${m.value},`);
  }
  lines.push(spec.keyType === undefined ? '} as const;' : '};');
  return lines;
}

/** src/backend/wasm/opcodes.ts from the text of assembly/opcodes.ts. */
export function renderOpcodes(text, file = 'assembly/opcodes.ts') {
  const enums = parseEnums(file, text);
  const names = new Set(enums.map((e) => e.name));
  for (const e of enums) {
    if (!(e.name in OPCODE_TABLES)) {
      throw new Error(
        `${file}: enum ${e.name} has no entry in scripts/gen_wasm_bindings.mjs's OPCODE_TABLES (say how the TypeScript side names it)`,
      );
    }
  }
  for (const name of Object.keys(OPCODE_TABLES)) {
    if (!names.has(name)) throw new Error(`${file}: OPCODE_TABLES names enum ${name}, which the file lacks`);
  }
  const keyTypes = enums.map((e) => OPCODE_TABLES[e.name].keyType).filter((t) => t !== undefined);
  const lines = [
    `// Generated by scripts/gen_wasm_bindings.mjs from ${file} — do not edit, do not commit; \`npm run asbuild\` rebuilds it.`,
    `/** The numbers the WebAssembly kernels dispatch on; ${file} defines them. */`,
    `import type { ${[...keyTypes].sort().join(', ')} } from '../backend.js';`,
  ];
  for (const e of enums) lines.push('', ...renderEnum(e, OPCODE_TABLES[e.name]));
  return `${lines.join('\n')}\n`;
}

/** A parameter or return type's JavaScript form; anything else cannot cross the boundary as a number. */
function valueType(typeNode, where) {
  const name = typeNode === undefined ? 'void' : typeNode.getText();
  const js = VALUE_TYPES[name];
  if (js === undefined) {
    throw new Error(
      `${where} has type ${name}, which the generated bindings cannot express (accepted: ${Object.keys(VALUE_TYPES).join(', ')})`,
    );
  }
  return js;
}

/** One exported function: name, doc, parameters (name, JavaScript type), return type. */
function signatureOf(node, source) {
  const name = node.name.text;
  const where = (what) => `${source.fileName}: ${name}${what}`;
  const params = node.parameters.map((p) => {
    const param = p.name.getText(source);
    if (p.initializer !== undefined || p.questionToken !== undefined) {
      throw new Error(`${where(`'s parameter ${param}`)} is optional; a kernel export takes every argument`);
    }
    return { name: param, type: valueType(p.type, where(`'s parameter ${param}`)) };
  });
  return { name, doc: docOf(node, source), params, returns: valueType(node.type, where("'s return")) };
}

/** The exported functions of one module, by name (in source order). */
function moduleFunctions(file, read) {
  const source = parse(file, read(file));
  const functions = new Map();
  for (const node of source.statements) {
    if (!isExported(node)) continue;
    if (ts.isFunctionDeclaration(node)) functions.set(node.name.text, signatureOf(node, source));
  }
  return { source, functions };
}

/** Adds the functions one `export … from` of the entry file re-exports, in the order it names them. */
function addReexports(node, entry, read, out) {
  const file = path.posix.join(path.posix.dirname(entry), `${node.moduleSpecifier.text}.ts`);
  const { functions } = moduleFunctions(file, read);
  if (node.exportClause === undefined) {
    for (const fn of functions.values()) out.push(fn);
    return;
  }
  for (const spec of node.exportClause.elements) {
    const name = (spec.propertyName ?? spec.name).text;
    const fn = functions.get(name);
    if (fn === undefined) throw new Error(`${entry}: ${file} has no exported function ${name}`);
    out.push(spec.propertyName === undefined ? fn : { ...fn, name: spec.name.text });
  }
}

/**
 * The module's exported functions, as assembly/index.ts lists them (its own, and those it re-exports),
 * each with its doc comment and JavaScript-typed parameters. `read(file)`: the text of a file under root.
 */
export function collectKernels(read, entry = 'assembly/index.ts') {
  const source = parse(entry, read(entry));
  const out = [];
  for (const node of source.statements) {
    if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined)
      addReexports(node, entry, read, out);
    else if (ts.isFunctionDeclaration(node) && isExported(node)) out.push(signatureOf(node, source));
  }
  const seen = new Set();
  for (const fn of out) {
    if (seen.has(fn.name)) throw new Error(`${entry}: ${fn.name} is exported twice`);
    seen.add(fn.name);
  }
  return out;
}

function renderMember(fn) {
  const lines = fn.doc === null ? [] : [indentDoc(fn.doc, '  ')];
  const params = fn.params.map((p) => `${p.name}: ${p.type}`);
  const oneLine = `  ${fn.name}(${params.join(', ')}): ${fn.returns};`;
  if (oneLine.length <= LINE_WIDTH) lines.push(oneLine);
  else lines.push(`  ${fn.name}(`, ...params.map((p) => `    ${p},`), `  ): ${fn.returns};`);
  return lines;
}

/** src/backend/wasm/kernel_exports.ts: the `Kernels` interface. */
export function renderKernelExports(kernels, entry = 'assembly/index.ts') {
  const lines = [
    `// Generated by scripts/gen_wasm_bindings.mjs from ${entry} and the files it re-exports — do not edit, do not commit; \`npm run asbuild\` rebuilds it.`,
    '',
    '/** A byte address in the module’s linear memory (an AssemblyScript `usize`). */',
    'export type Ptr = number;',
    '/** An AssemblyScript `bool`: pass 0 or 1. */',
    'export type Bool = number;',
    '',
    '/** The kernel module’s exports, with the doc comments of their AssemblyScript sources. */',
    'export interface Kernels {',
  ];
  for (const fn of kernels) lines.push(...renderMember(fn));
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Every generated file, as { file (relative to root), text }. */
export function generateBindings(root = defaultRoot) {
  const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');
  return [
    { file: 'src/backend/wasm/opcodes.ts', text: renderOpcodes(read('assembly/opcodes.ts')) },
    { file: 'src/backend/wasm/kernel_exports.ts', text: renderKernelExports(collectKernels(read)) },
  ];
}

/** Writes the generated files, each only when its text changed (its time stamp says when it last did). */
export function writeBindings(root = defaultRoot) {
  const files = generateBindings(root);
  for (const { file, text } of files) {
    const target = path.join(root, file);
    if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) fs.writeFileSync(target, text);
  }
  return files.map((f) => f.file);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`gen_wasm_bindings: ${writeBindings().join(', ')}`);
}
