import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from '../util/typescript.cjs';
import { ROLE_FIELDS, settingKeyOf, type NativeHandleSettings, type ObjectSpecifier, type ResourceSetting } from './settings.js';
import { ambientModulesOf } from './node.js';
import { moduleIsInPackage } from './valueSpecifiers.js';

// Well-formed settings that match nothing (docs/resource-model.md#settings-errors-and-warnings): a role naming a member the matched
// type lacks, a type specifier matching nothing in the program, an empty role array. Each is
// worth one warning naming the key, and none may be a false alarm, so a program is asked only
// what it can answer for certain:
//
// - A package that is in the program (some file of it, or a `declare module 'pkg'`) has all its
//   declarations there, whichever file imports it: a name it does not declare, or a member its
//   type lacks, is certain. Whether this file imports the package does not matter.
// - A `file` specifier's `path` that is not on disk is certain; a name that file (in the program)
//   does not declare is certain.
// - A package that is not in the program may be in another program of the same run (one per
//   tsconfig with the project service) or simply not imported yet. If it can be resolved from the
//   program's directory, it is installed: no warning. If not, it is "unmatched": the run warns at
//   its end only if no program of the run had it. The same goes for a `lib` name or a `file` name
//   without `path` that no file of this program declares.

/** A specifier this program cannot match, whose absence is known only at the end of the run. */
export interface Unmatched {
  /** Identifies the specifier (and the name or package missing) across programs. */
  readonly id: string;
  readonly message: string;
}

export interface ProgramSettingsCheck {
  /** Certain mistakes, each a message whose first word is the offending key. */
  readonly warnings: readonly string[];
  readonly unmatched: readonly Unmatched[];
}

const NOTHING: ProgramSettingsCheck = { warnings: [], unmatched: [] };
const ROOT = "settings['native-handle']";

/** Warnings that need no program: an empty role array. */
export function settingsShapeWarnings(settings: NativeHandleSettings): string[] {
  const warnings: string[] = [];
  settings.resources.forEach((resource, index) => {
    const key = settingKeyOf(resource) ?? `${ROOT}.resources[${index}]`;
    for (const role of ROLE_FIELDS) {
      if (resource.roles[role]?.length === 0) {
        warnings.push(`${key}.${role}: an empty list names no member; this type has no ${role} (the conventional names no longer apply)`);
      }
    }
  });
  return warnings;
}

/**
 * The messages of the specifiers unmatched in every check of one run (checks of the same
 * settings in different programs): a specifier some program matched is no mistake.
 */
export function unmatchedEverywhere(checks: readonly ProgramSettingsCheck[]): string[] {
  if (checks.length === 0) return [];
  const [first, ...rest] = checks;
  return first!.unmatched
    .filter(candidate => rest.every(check => check.unmatched.some(other => other.id === candidate.id)))
    .map(candidate => candidate.message);
}

const checks = new WeakMap<ts.Program, WeakMap<NativeHandleSettings, ProgramSettingsCheck>>();

/** Checks the settings against a program, once per program and settings object. */
export function checkSettingsInProgram(program: ts.Program, settings: NativeHandleSettings): ProgramSettingsCheck {
  const configured = settings.resources.length + settings.rawClose.length + settings.adopt.length + settings.exitHooks.length;
  if (configured === 0) return NOTHING;
  let bySettings = checks.get(program);
  if (!bySettings) {
    bySettings = new WeakMap();
    checks.set(program, bySettings);
  }
  let check = bySettings.get(settings);
  if (!check) {
    check = new SettingsChecker(program).check(settings);
    bySettings.set(settings, check);
  }
  return check;
}

/** Declarations by name, of a scope (a package, a file, the default library). */
type Declarations = ReadonlyMap<string, readonly ts.Declaration[]>;

const fileDeclarations = new WeakMap<ts.SourceFile, Declarations>();

/**
 * The names a source file declares at its top level and inside its namespaces (a type's symbol
 * name is its declared name, wherever it is nested). Ambient `declare module 'x'` blocks belong to
 * module `x` and are read through the checker. Cached per source file: an unchanged file is
 * shared by the programs an editor builds edit after edit.
 */
function declarationsOf(file: ts.SourceFile): Declarations {
  let found = fileDeclarations.get(file);
  if (!found) {
    found = declarationsIn(file.statements);
    fileDeclarations.set(file, found);
  }
  return found;
}

/** The names some statements declare, also inside their namespaces and `global {}` blocks. */
function declarationsIn(statements: readonly ts.Statement[]): Declarations {
  const map = new Map<string, ts.Declaration[]>();
  const add = (name: string, declaration: ts.Declaration): void => {
    const list = map.get(name);
    if (list) list.push(declaration);
    else map.set(name, [declaration]);
  };
  const visit = (list: readonly ts.Statement[]): void => {
    for (const statement of list) {
      if (
        (ts.isClassDeclaration(statement) ||
          ts.isInterfaceDeclaration(statement) ||
          ts.isTypeAliasDeclaration(statement) ||
          ts.isEnumDeclaration(statement) ||
          ts.isFunctionDeclaration(statement)) &&
        statement.name
      ) {
        add(statement.name.text, statement);
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) add(declaration.name.text, declaration);
        }
      } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
        add(statement.name.text, statement);
        let body = statement.body;
        while (body && ts.isModuleDeclaration(body)) {
          add(body.name.text, body);
          body = body.body;
        }
        if (body && ts.isModuleBlock(body)) visit(body.statements);
      }
    }
  };
  visit(statements);
  return map;
}

function merge(scopes: readonly Declarations[]): Declarations {
  if (scopes.length === 1) return scopes[0]!;
  const map = new Map<string, ts.Declaration[]>();
  for (const scope of scopes) for (const [name, list] of scope) map.set(name, [...(map.get(name) ?? []), ...list]);
  return map;
}

const packageNames = new Map<string, string | null>();

/** The `name` of the nearest package.json at or above a directory (cached for the process). */
function nearestPackageName(directory: string): { name: string; directory: string } | undefined {
  for (let dir = directory; ; dir = path.dirname(dir)) {
    let name = packageNames.get(dir);
    if (name === undefined) {
      name = null;
      try {
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
        if (typeof manifest.name === 'string') name = manifest.name;
      } catch {
        // No package.json here (or an unreadable one): look further up.
      }
      packageNames.set(dir, name);
    }
    if (name !== null) return { name, directory: dir };
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `@types/scope__name` for `@scope/name`, `@types/name` for `name`. */
function typesPackageOf(name: string): string {
  return name.startsWith('@') ? `@types/${name.slice(1).replace('/', '__')}` : `@types/${name}`;
}

const inPackage = (id: string, name: string): boolean => id === name || id.startsWith(`${name}/`);

class SettingsChecker {
  private readonly checker: ts.TypeChecker;
  private readonly warnings: string[] = [];
  private readonly unmatched: Unmatched[] = [];
  private readonly packages = new Map<string, Declarations | undefined>();
  private projectScope: Declarations | undefined;
  private libScope: Declarations | undefined;
  private importedModules: ReadonlySet<string> | undefined;
  /** Packages declared by a shorthand `declare module 'x';` (every name, typed `any`). */
  private readonly shorthandModules = new Set<string>();

  constructor(private readonly program: ts.Program) {
    this.checker = program.getTypeChecker();
  }

  check(settings: NativeHandleSettings): ProgramSettingsCheck {
    settings.resources.forEach((resource, index) => {
      const key = settingKeyOf(resource) ?? `${ROOT}.resources[${index}]`;
      const declarations = this.specifier(resource.type, `${key}.type`);
      this.roles(resource, key, resource.type, declarations);
    });
    for (const [field, specifiers] of [
      ['rawClose', settings.rawClose],
      ['adopt', settings.adopt],
      ['exitHooks', settings.exitHooks.map(entry => entry.hook)],
    ] as const) {
      specifiers.forEach((specifier, index) => this.specifier(specifier, settingKeyOf(specifier) ?? `${ROOT}.${field}[${index}]`));
    }
    return this.warnings.length === 0 && this.unmatched.length === 0 ? NOTHING : { warnings: this.warnings, unmatched: this.unmatched };
  }

  /** The declarations a specifier names in this program; records what is certainly or possibly wrong. */
  private specifier(specifier: ObjectSpecifier, key: string): ts.Declaration[] {
    const names = typeof specifier.name === 'string' ? [specifier.name] : specifier.name;
    // A value specifier's dotted name (`Helper.addEventListener`) is looked up by its first part.
    const lookup = (scope: Declarations, name: string): readonly ts.Declaration[] => scope.get(name.split('.')[0]!) ?? [];
    const found: ts.Declaration[] = [];
    switch (specifier.from) {
      case 'package': {
        const scope = this.packageScope(specifier.package);
        if (!scope) {
          // An import of a package that resolves to nothing is matched by name (docs/resource-model.md#package-values-without-types).
          if (!this.resolvable(specifier.package) && !this.importsPackage(specifier.package)) {
            this.unmatched.push({
              id: `${key}:${specifier.package}`,
              message: `${key}.package: no linted program contains package '${specifier.package}', and it cannot be resolved from them; the specifier matches nothing`,
            });
          }
          return found;
        }
        for (const name of names) {
          const declarations = lookup(scope, name);
          if (declarations.length === 0 && !this.shorthandModules.has(specifier.package)) {
            this.warnings.push(`${key}.name: package '${specifier.package}' declares nothing named '${name}'; the name matches nothing`);
          }
          found.push(...declarations);
        }
        return found;
      }
      case 'file': {
        if (specifier.path !== undefined) {
          const resolved = path.resolve(this.program.getCurrentDirectory(), specifier.path);
          const file = this.program.getSourceFile(resolved);
          if (!file) {
            if (!fs.existsSync(resolved)) this.warnings.push(`${key}.path: no file at ${resolved}; the specifier matches nothing`);
            return found; // on disk but not in this program: nothing to say here
          }
          for (const name of names) {
            const declarations = lookup(declarationsOf(file), name);
            if (declarations.length === 0) {
              this.warnings.push(`${key}.name: ${specifier.path} declares nothing named '${name}'; the name matches nothing`);
            }
            found.push(...declarations);
          }
          return found;
        }
        this.projectScope ??= merge(
          this.program
            .getSourceFiles()
            .filter(file => !this.program.isSourceFileFromExternalLibrary(file) && !this.program.isSourceFileDefaultLibrary(file))
            .map(declarationsOf),
        );
        for (const name of names) {
          const declarations = lookup(this.projectScope, name);
          if (declarations.length === 0) {
            this.unmatched.push({
              id: `${key}:${name}`,
              message: `${key}.name: no project file of the linted programs declares '${name}'; the name matches nothing`,
            });
          }
          found.push(...declarations);
        }
        return found;
      }
      case 'lib': {
        this.libScope ??= merge(
          this.program
            .getSourceFiles()
            .filter(file => this.program.isSourceFileDefaultLibrary(file))
            .map(declarationsOf),
        );
        for (const name of names) {
          const declarations = lookup(this.libScope, name);
          if (declarations.length === 0) {
            this.unmatched.push({
              id: `${key}:${name}`,
              message: `${key}.name: the default library of the linted programs declares nothing named '${name}'; the name matches nothing`,
            });
          }
          found.push(...declarations);
        }
        return found;
      }
    }
  }

  /** Each role member must be a member of some type the resource's specifier names. */
  private roles(resource: ResourceSetting, key: string, specifier: ObjectSpecifier, declarations: readonly ts.Declaration[]): void {
    const symbols = new Set<ts.Symbol>();
    for (const declaration of declarations) {
      const name = (declaration as ts.NamedDeclaration).name;
      const symbol = name ? this.checker.getSymbolAtLocation(name) : undefined;
      if (symbol && symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) symbols.add(symbol);
    }
    if (symbols.size === 0) return; // nothing matched (already said), or no type to ask
    // Syntax first: a member declared in the type's own body needs no checker (resolving the
    // members of a type like FileHandle costs tens of milliseconds in a fresh program). Only a name
    // not found there is looked up in the resolved type, with its base types.
    const declared = new Set<string>();
    for (const symbol of symbols) {
      for (const declaration of symbol.declarations ?? []) {
        const body = ts.isTypeAliasDeclaration(declaration) ? declaration.type : declaration;
        if (!ts.isClassLike(body) && !ts.isInterfaceDeclaration(body) && !ts.isTypeLiteralNode(body)) continue;
        for (const member of body.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>) {
          const name = member.name;
          if (name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name))) {
            declared.add(name.text);
          }
        }
      }
    }
    let types: ts.Type[] | undefined;
    const has = (member: string): boolean => {
      if (declared.has(member)) return true;
      types ??= [...symbols].map(symbol => this.checker.getApparentType(this.checker.getDeclaredTypeOfSymbol(symbol)));
      return types.some(type => this.checker.getPropertyOfType(type, member) !== undefined);
    };
    const where =
      specifier.from === 'package'
        ? `package '${specifier.package}'`
        : specifier.from === 'lib'
          ? 'the default library'
          : (specifier.path ?? 'a project file');
    const typeName = typeof specifier.name === 'string' ? specifier.name : specifier.name.join(' | ');
    for (const role of ROLE_FIELDS) {
      for (const member of resource.roles[role] ?? []) {
        if (!has(member))
          this.warnings.push(`${key}.${role}: '${member}' is not a member of ${typeName} (${where}); the role matches nothing there`);
      }
    }
  }

  /**
   * The declarations of a package in this program: the files that belong to it (or to its
   * `@types` package), and what the ambient `declare module 'pkg'` blocks export. Undefined when
   * the program has neither.
   */
  private packageScope(name: string): Declarations | undefined {
    if (this.packages.has(name)) return this.packages.get(name);
    const types = typesPackageOf(name);
    const packageIds = (this.program as { sourceFileToPackageName?: ReadonlyMap<string, string> }).sourceFileToPackageName;
    const scopes: Declarations[] = [];
    for (const file of this.program.getSourceFiles()) {
      if (!this.program.isSourceFileFromExternalLibrary(file)) continue;
      let id = packageIds?.get((file as { path?: string }).path ?? file.fileName);
      if (id === undefined) {
        const root = nearestPackageName(path.dirname(file.fileName));
        id = root ? `${root.name}${file.fileName.slice(root.directory.length).replaceAll('\\', '/')}` : undefined;
      }
      if (id !== undefined && (inPackage(id, name) || inPackage(id, types))) scopes.push(declarationsOf(file));
    }
    // `declare module "x"` (or "node:x", where @types/node 25+ declares Node's modules): what it
    // exports, and what it declares in its own namespaces and `global {}` blocks (NodeJS.Timeout
    // in `declare module "node:timers"`), which a settings specifier naming the module matches too.
    const bare = name.replace(/^node:/, '');
    for (const ambient of ambientModulesOf(this.program)) {
      if (ambient.name !== `"${bare}"` && ambient.name !== `"node:${bare}"`) continue;
      // `declare module 'x';` declares every name (as `any`): imports of it are matched by name.
      if (ambient.declarations?.some(declaration => ts.isModuleDeclaration(declaration) && !declaration.body))
        this.shorthandModules.add(name);
      const exported = new Map<string, ts.Declaration[]>();
      for (const symbol of this.checker.getExportsOfModule(ambient)) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
        const list = exported.get(target.name) ?? [];
        list.push(...(target.declarations ?? []));
        exported.set(target.name, list);
      }
      scopes.push(exported);
      for (const declaration of ambient.declarations ?? []) {
        if (ts.isModuleDeclaration(declaration) && declaration.body && ts.isModuleBlock(declaration.body)) {
          scopes.push(declarationsIn(declaration.body.statements));
        }
      }
    }
    const scope = scopes.length === 0 ? undefined : merge(scopes);
    this.packages.set(name, scope);
    return scope;
  }

  /** Whether a project file imports the package (or a file of it): an import that resolves to nothing still matches by name. */
  private importsPackage(name: string): boolean {
    this.importedModules ??= importedModulesOf(this.program);
    for (const module of this.importedModules) if (moduleIsInPackage(module, name)) return true;
    return false;
  }

  /** Whether the package's types can be resolved from the program's tsconfig directory or its current directory. */
  private resolvable(name: string): boolean {
    const options = this.program.getCompilerOptions();
    const directories = new Set([this.program.getCurrentDirectory()]);
    if (typeof options.configFilePath === 'string') directories.add(path.dirname(options.configFilePath));
    return [...directories].some(
      directory =>
        ts.resolveModuleName(name, path.join(directory, '__native_handle_probe__.ts'), options, ts.sys).resolvedModule !== undefined,
    );
  }
}

/**
 * The module names the program's project files import (`import … from`, `import x = require(…)`,
 * `export … from`), read from their top-level statements.
 */
function importedModulesOf(program: ts.Program): Set<string> {
  const modules = new Set<string>();
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) continue;
    for (const statement of file.statements) {
      const specifier =
        ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
          ? statement.moduleSpecifier
          : ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)
            ? statement.moduleReference.expression
            : undefined;
      if (specifier && ts.isStringLiteralLike(specifier)) modules.add(specifier.text);
    }
  }
  return modules;
}
