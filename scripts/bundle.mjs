#!/usr/bin/env node
// The last step of `npm run build`: bundles tsc's output (dist/**/*.js, one ES module per source
// file) into the single dist/index.js the package ships, and removes the per-file modules
// (the .d.ts files stay: they are the package's types). Why: ESLint imports the plugin on every
// run, and Node resolves, reads, compiles and links each module of an ESM graph one by one; for
// ninety small modules that was most of the plugin's load cost (issue 13, "L/A ≤ 1.03").
// Every package import (TypeScript, typescript-eslint, ts-api-utils) stays an import: the user's
// own copies are shared, never bundled. The CommonJS wrappers (src/util/*.cts) become require()
// calls of the bundle's own createRequire, so TypeScript is still loaded with require().
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const entry = path.join(dist, 'index.js');
const isPackage = id => !id.startsWith('.') && !path.isAbsolute(id);

const bundle = await rolldown({ input: entry, platform: 'node', external: isPackage, logLevel: 'warn' });
const { output } = await bundle.generate({ format: 'esm' });
await bundle.close();
if (output.length !== 1 || output[0].type !== 'chunk')
  throw new Error(`bundle: expected one chunk, got ${output.map(o => o.fileName).join(', ')}`);

for (const file of fs.readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (/\.(c|m)?js$/.test(file)) fs.rmSync(path.join(dist, file));
}
fs.writeFileSync(entry, output[0].code);
