import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layers of src/ (docs/architecture.md): the plugin object imports the rules, rules import
// the model and util, the model imports util, and util imports neither. Each layer may import
// within itself, but no import chain may come back to where it started: a cycle makes the
// order in which modules initialise depend on which one a test happens to import first.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'src');

const LAYERS = ['util', 'model', 'rules', 'plugin'] as const;
type Layer = (typeof LAYERS)[number];

function layerOf(file: string): Layer {
  const [top] = path.relative(src, file).split(path.sep);
  return top === 'util' || top === 'model' || top === 'rules' ? top : 'plugin';
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(file => /\.c?ts$/.test(file) && !file.endsWith('.d.ts'))
    .map(file => path.join(dir, file));
}

/**
 * The files of src/ that a file loads at run time: static `import`/`export … from` and
 * `import x = require()`, by relative specifier. `import type` is erased by the compiler and
 * loads nothing, so it is no edge (a model module may name the services' type).
 */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const statements = [...text.matchAll(/(?:^|\n)\s*((?:import|export)\b(?!\s+type\b)[^;]*?\bfrom\s+'(\.[^']+)')|require\('(\.[^']+)'\)/g)];
  const specifiers = statements.map(match => match[2] ?? match[3]!);
  return specifiers.flatMap(specifier => {
    const target = path.resolve(path.dirname(file), specifier).replace(/\.c?js$/, '');
    if (path.relative(src, target).startsWith('..')) return []; // package.json and the like
    const found = ['.ts', '.cts'].map(ext => target + ext).find(candidate => fs.existsSync(candidate));
    if (!found) throw new Error(`${path.relative(root, file)}: cannot resolve '${specifier}'`);
    return [found];
  });
}

const files = sourceFiles(src);
const graph = new Map(files.map(file => [file, importsOf(file)]));
const rel = (file: string): string => path.relative(root, file);

/** Every import cycle, each as the list of files on it (Tarjan's strongly connected components). */
function cycles(): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    indexOf.set(file, index);
    low.set(file, index++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, indexOf.get(next)!));
    }
    if (low.get(file) !== indexOf.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(rel(member));
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort());
  };
  for (const file of files) if (!indexOf.has(file)) visit(file);
  return found;
}

describe('imports in src/', () => {
  it('finds the files it checks', () => {
    expect(files.length).toBeGreaterThan(20);
    expect([...graph.values()].flat().length).toBeGreaterThan(50);
  });

  it('has no import cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it('imports only from its own layer or a lower one (plugin → rules → model → util)', () => {
    const upward = files.flatMap(file =>
      graph
        .get(file)!
        .filter(target => LAYERS.indexOf(layerOf(target)) > LAYERS.indexOf(layerOf(file)))
        .map(target => `${rel(file)} → ${rel(target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('keeps model modules off the model barrel (src/model/index.ts)', () => {
    const barrel = path.join(src, 'model', 'index.ts');
    const users = files.filter(file => layerOf(file) === 'model' && graph.get(file)!.includes(barrel)).map(rel);
    expect(users).toEqual([]);
  });

  it("keeps each rule folder to itself: no import of a rule file or of another rule's folder", () => {
    const rulesDir = path.join(src, 'rules');
    const folderOf = (file: string): string | undefined => {
      const parts = path.relative(rulesDir, file).split(path.sep);
      return parts.length > 1 && !parts[0]!.startsWith('..') ? parts[0] : undefined;
    };
    const crossing = files.flatMap(file => {
      const folder = folderOf(file);
      if (folder === undefined) return [];
      return graph
        .get(file)!
        .filter(target => {
          const inRules = !path.relative(rulesDir, target).startsWith('..');
          return inRules && folderOf(target) !== folder;
        })
        .map(target => `${rel(file)} → ${rel(target)}`);
    });
    expect(crossing).toEqual([]);
  });
});
