import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Sizes a newcomer can read: no source file over 600 lines (CONTRIBUTING.md, "Layers"). A rule
// that outgrows its file moves its own helpers to src/rules/<rule>/; shared ones go to the model
// or util.

const MAX_LINES = 600;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'src');

const files = fs
  .readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter(file => /\.c?ts$/.test(file))
  .map(file => path.join(src, file));

describe('src/', () => {
  it('finds the files it measures', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it(`has no file longer than ${String(MAX_LINES)} lines`, () => {
    const long = files
      .map(file => ({ file: path.relative(root, file), lines: fs.readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${String(lines)} lines`);
    expect(long).toEqual([]);
  });

  it('keeps each rule folder beside its rule file', () => {
    const rulesDir = path.join(src, 'rules');
    const folders = fs
      .readdirSync(rulesDir, { withFileTypes: true })
      .filter(entry => entry.isDirectory())
      .map(entry => entry.name);
    const orphans = folders.filter(folder => !fs.existsSync(path.join(rulesDir, `${folder}.ts`)));
    expect(orphans).toEqual([]);
  });
});
