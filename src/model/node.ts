import tsutils from '../util/ts-api-utils.cjs';
import * as path from 'node:path';
import ts from '../util/typescript.cjs';

/**
 * Node core as a program declares it (`@types/node`): the one place that decides what "Node's
 * module X" and "Node's global Y" match, for every `@types/node` major.
 *
 * - `@types/node` 20 declares `declare module "fs" { … }` and a `declare module "node:fs"` that
 *   re-exports it; from 25 on the declarations are in `declare module "node:fs" { … }` and
 *   `"fs"` is the re-export. Module `fs` matches both.
 * - Globals of Node sit in a module's `global { … }` block: `NodeJS.Process` in
 *   `declare module "process"` (20) or `declare module "node:process"` (26). They belong to that
 *   module (through `global {}` and namespaces), so `process`'s type is `Process` of module
 *   `process` in every major.
 * - Some globals move to files of their own (26 declares `setTimeout` in `web-globals/timers.d.ts`,
 *   outside any module): those are matched as declared in Node's type files, found from the
 *   program itself (the folder of the file that declares module `fs`), whatever the package
 *   manager's layout or the `typeRoots`.
 */

/** A value or type of a Node module: `{ module: 'fs', name: ['close', 'closeSync'] }`. */
export interface NodeSpecifier {
  /** The module name without `node:` (`fs`, `fs/promises`, `worker_threads`). */
  readonly module: string;
  readonly name: string | readonly string[];
}

/** The Node module a declaration belongs to: the `declare module "X"` or `"node:X"` around it (`X`), if any. */
export function nodeModuleOf(declaration: ts.Node): string | undefined {
  for (let current: ts.Node = declaration; !ts.isSourceFile(current); current = current.parent) {
    if (ts.isModuleDeclaration(current) && ts.isStringLiteral(current.name)) return current.name.text.replace(/^node:/, '');
  }
  return undefined;
}

function names(specifier: NodeSpecifier): readonly string[] {
  return typeof specifier.name === 'string' ? [specifier.name] : specifier.name;
}

/** What one program declares of Node core. Made once per program ({@link nodeCoreOf}); every answer is cached. */
export class NodeCore {
  private readonly checker: ts.TypeChecker;
  private ambientModules: ReadonlyMap<string, ts.Symbol> | undefined;
  private readonly exportsByModule = new Map<string, ReadonlySet<ts.Symbol>>();
  private typeFolders: readonly string[] | undefined;

  constructor(private readonly program: ts.Program) {
    this.checker = program.getTypeChecker();
  }

  /**
   * Whether the program has Node's types (`@types/node`): it declares the module `fs` or
   * `node:fs`, as every major does. Without them no built-in owner can be known.
   */
  hasNodeTypes(): boolean {
    return this.moduleSymbols('fs').length > 0;
  }

  /**
   * A settings specifier `{ from: 'package', package: 'timers', name }` that names a module the
   * program declares (`timers` or `node:timers`), as a {@link NodeSpecifier}; else undefined.
   * Such specifiers match as Node's built-ins do, so a setting that names a Node module works with
   * every `@types/node` major (type-utils' own matching misses a type declared in a `global {}`
   * block of `declare module "node:timers"`, such as `NodeJS.Timeout` in 26).
   */
  moduleSpecifier(specifier: {
    readonly from: string;
    readonly package?: string;
    readonly name: string | readonly string[];
  }): NodeSpecifier | undefined {
    if (specifier.from !== 'package' || specifier.package === undefined) return undefined;
    const module = specifier.package.replace(/^node:/, '');
    return this.moduleSymbols(module).length > 0 ? { module, name: specifier.name } : undefined;
  }

  /**
   * Whether the symbol is the specifier's: one of its names, and declared in the module (with
   * `every`, each of its declarations is; otherwise one is, so that a user's augmentation of
   * `NodeJS.Process` keeps `process` Node's) or exported by it (a re-export of a declaration
   * that lives elsewhere).
   */
  symbolIs(symbol: ts.Symbol | undefined, specifier: NodeSpecifier | undefined, every = false): boolean {
    if (!symbol || !specifier || !names(specifier).includes(symbol.name)) return false;
    const declarations = symbol.declarations ?? [];
    const inModule = (declaration: ts.Declaration): boolean => nodeModuleOf(declaration) === specifier.module;
    if (declarations.length > 0 && (every ? declarations.every(inModule) : declarations.some(inModule))) return true;
    return this.exportsOf(specifier.module).has(symbol);
  }

  /**
   * Whether the type is the specifier's (by its symbol, or its alias's); a union when every
   * member is, an intersection when one is.
   */
  typeIs(type: ts.Type, specifier: NodeSpecifier): boolean {
    if (tsutils.isUnionType(type)) return type.types.every(part => this.typeIs(part, specifier));
    if (tsutils.isIntersectionType(type)) return type.types.some(part => this.typeIs(part, specifier));
    if (tsutils.isIntrinsicErrorType(type)) return false;
    return this.symbolIs(type.getSymbol() ?? type.aliasSymbol, specifier);
  }

  /**
   * Whether a declaration is in one of Node's type files (the `@types/node` package the program
   * loaded, located by the file that declares module `fs`), e.g. the global `setTimeout`.
   */
  isNodeTypesDeclaration(declaration: ts.Node): boolean {
    const file = declaration.getSourceFile();
    if (!file.isDeclarationFile) return false;
    this.typeFolders ??= this.findTypeFolders();
    const fileName = path.normalize(file.fileName);
    return this.typeFolders.some(folder => fileName.startsWith(folder));
  }

  /**
   * The folders (with a trailing separator) of the declaration files that declare module `fs`:
   * those of packages (a project's own `declare module "fs"` augmentation is not Node's folder),
   * or, when none is a package's (a vendored copy of the types), all of them.
   */
  private findTypeFolders(): readonly string[] {
    const files = this.moduleSymbols('fs')
      .flatMap(moduleSymbol => moduleSymbol.declarations ?? [])
      .map(declaration => declaration.getSourceFile())
      .filter(file => file.isDeclarationFile);
    const external = files.filter(file => this.program.isSourceFileFromExternalLibrary(file));
    return [...new Set((external.length > 0 ? external : files).map(file => path.normalize(path.dirname(file.fileName)) + path.sep))];
  }

  /** The ambient module symbols of `X` and `node:X`. */
  private moduleSymbols(module: string): ts.Symbol[] {
    if (!this.ambientModules) {
      const byName = new Map<string, ts.Symbol>();
      for (const symbol of ambientModulesOf(this.program)) byName.set(symbol.name.replace(/^"|"$/g, ''), symbol);
      this.ambientModules = byName;
    }
    return [module, `node:${module}`]
      .map(name => this.ambientModules!.get(name))
      .filter((symbol): symbol is ts.Symbol => symbol !== undefined);
  }

  /** What modules `X` and `node:X` export, through aliases (`export * from "node:fs"`). */
  private exportsOf(module: string): ReadonlySet<ts.Symbol> {
    let exported = this.exportsByModule.get(module);
    if (!exported) {
      const set = new Set<ts.Symbol>();
      for (const moduleSymbol of this.moduleSymbols(module)) {
        for (const symbol of this.checker.getExportsOfModule(moduleSymbol)) {
          set.add(tsutils.isSymbolFlagSet(symbol, ts.SymbolFlags.Alias) ? this.checker.getAliasedSymbol(symbol) : symbol);
        }
      }
      exported = set;
      this.exportsByModule.set(module, exported);
    }
    return exported;
  }
}

const cores = new WeakMap<ts.Program, NodeCore>();

/** The {@link NodeCore} of a program, made on first use. */
export function nodeCoreOf(program: ts.Program): NodeCore {
  let core = cores.get(program);
  if (!core) {
    core = new NodeCore(program);
    cores.set(program, core);
  }
  return core;
}

const ambientModules = new WeakMap<ts.Program, readonly ts.Symbol[]>();

/**
 * The program's ambient modules (`declare module "fs"`), once per program. The checker lists them
 * with `getAmbientModules()`; typescript-eslint's experimental tsgo backend does not offer that
 * member (it throws), so there they are read from the top-level `declare module` statements of
 * the program's files instead: the same modules, found by their declarations.
 */
export function ambientModulesOf(program: ts.Program): readonly ts.Symbol[] {
  let modules = ambientModules.get(program);
  if (!modules) {
    const checker = program.getTypeChecker();
    try {
      modules = checker.getAmbientModules();
    } catch {
      const found = new Set<ts.Symbol>();
      for (const file of program.getSourceFiles()) {
        for (const statement of file.statements) {
          if (!ts.isModuleDeclaration(statement) || !ts.isStringLiteral(statement.name)) continue;
          const symbol = checker.getSymbolAtLocation(statement.name);
          if (symbol) found.add(symbol);
        }
      }
      modules = [...found];
    }
    ambientModules.set(program, modules);
  }
  return modules;
}
