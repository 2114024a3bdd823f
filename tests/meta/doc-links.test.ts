import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Comments in src/ explain the code by pointing to a document of the repository
// (`docs/resource-model.md#ownership`, `docs/rules/no-use-after-close.md`, `CONTRIBUTING.md#quality-bars`).
// Each such pointer must name a file that exists and, with `#anchor`, one of its headings, so a
// reader who follows it lands on the explanation. No comment cites a document that is not here
// (the product spec's "§" numbers, for one).

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'src');
const files = fs
  .readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter(file => /\.c?ts$/.test(file))
  .map(file => path.join(src, file));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

function anchorsOf(document: string): Set<string> {
  const text = fs.readFileSync(path.join(root, document), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map(match => slug(match[1]!)));
}

const pointers = files.flatMap(file =>
  [...fs.readFileSync(file, 'utf8').matchAll(/\b((?:docs\/[\w/.-]+?|README|CONTRIBUTING)\.md)(?:#([\w-]+))?/g)].map(match => ({
    from: path.relative(root, file),
    document: match[1]!,
    anchor: match[2],
  })),
);

describe('pointers from src/ to the documents', () => {
  it('finds the pointers it checks', () => {
    expect(pointers.filter(pointer => pointer.anchor !== undefined).length).toBeGreaterThan(30);
  });

  it('name documents and headings that exist', () => {
    const broken = pointers
      .filter(
        ({ document, anchor }) => !fs.existsSync(path.join(root, document)) || (anchor !== undefined && !anchorsOf(document).has(anchor)),
      )
      .map(({ from, document, anchor }) => `${from}: ${document}${anchor === undefined ? '' : `#${anchor}`}`);
    expect([...new Set(broken)]).toEqual([]);
  });

  it('never cite the spec by section number', () => {
    const cited = files.filter(file => /§\s*\d/.test(fs.readFileSync(file, 'utf8'))).map(file => path.relative(root, file));
    expect(cited).toEqual([]);
  });
});

describe('docs/architecture.md', () => {
  it('names every module of src/model/ in its table', () => {
    const text = fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
    const modules = fs.readdirSync(path.join(src, 'model')).filter(file => file.endsWith('.ts'));
    expect(modules.filter(module => !text.includes(`\`${module}\``))).toEqual([]);
  });
});
