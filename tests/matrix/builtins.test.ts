// The built-in table (src/model/builtins.ts) against each @types/node major of the matrix: every
// type and function it names is found where it says, through the one matcher of src/model/node.ts,
// so a major that moves or renames one fails here by name rather than as a quieter rule.
import * as path from 'node:path';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_ADOPTERS,
  BUILTIN_OWNERS,
  BUILTIN_RAW_CLOSERS,
  COMPLETION_WAITERS,
  NODE_BROADCAST_CHANNEL,
  NODE_DUPLEX,
  NODE_PROCESS,
  NODE_WRITABLE,
  ResourceModel,
  parseSettings,
  type NodeSpecifier,
} from '../../src/model/index.js';
import { typeRootsOf, typesNodeMajors } from './typesNode.js';

const CODE = `
import * as fs from 'node:fs';
export const timer = setInterval(() => undefined, 1000);
process.on('exit', () => undefined);
fs.closeSync(0);
`;

/** A program of one file (`CODE`) with that major's `@types/node` and the fixture project's options. */
function programWith(major: string): { program: ts.Program; file: ts.SourceFile } {
  const fileName = path.join(typeRootsOf(major), '..', '..', 'matrix-probe.ts');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [typeRootsOf(major)],
  };
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = name => path.resolve(name) === fileName || fileExists(name);
  host.getSourceFile = (name, version, onError, create) =>
    path.resolve(name) === fileName ? ts.createSourceFile(name, CODE, version, true) : getSourceFile(name, version, onError, create);
  const program = ts.createProgram([fileName], options, host);
  return { program, file: program.getSourceFile(fileName)! };
}

const namesOf = (specifier: NodeSpecifier): readonly string[] => (typeof specifier.name === 'string' ? [specifier.name] : specifier.name);

describe.each(typesNodeMajors())('@types/node %s', major => {
  const { program, file } = programWith(major);
  const model = new ResourceModel(program, parseSettings({}));
  const checker = program.getTypeChecker();

  /** What `import { name } from 'module'` gives (the symbol, through re-exports), from the program's own module. */
  const exported = (module: string, name: string): ts.Symbol => {
    const moduleSymbol = checker.getAmbientModules().find(symbol => symbol.name === `"${module}"`);
    expect(moduleSymbol, `module ${module}`).toBeDefined();
    const symbol = checker.getExportsOfModule(moduleSymbol!).find(candidate => candidate.name === name);
    expect(symbol, `${module}.${name}`).toBeDefined();
    return symbol!.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol!) : symbol!;
  };

  it('has Node types', () => {
    expect(model.node.hasNodeTypes()).toBe(true);
  });

  it.each([
    ...BUILTIN_OWNERS.map(spec => [spec.name, spec.type] as const),
    ['process', NODE_PROCESS],
    ['Writable', NODE_WRITABLE],
    ['Duplex', NODE_DUPLEX],
    ['BroadcastChannel', NODE_BROADCAST_CHANNEL],
  ] as const)('matches the type %s where the table says', (_name, specifier) => {
    for (const name of namesOf(specifier)) {
      // `process`' type is a global's (NodeJS.Process), not an export of module process.
      const symbol =
        specifier === NODE_PROCESS ? checker.getTypeAtLocation(processIdentifier(file)).getSymbol()! : exported(specifier.module, name);
      expect(model.node.typeIs(checker.getDeclaredTypeOfSymbol(symbol), specifier), `${specifier.module}.${name}`).toBe(true);
    }
  });

  it.each([
    ...BUILTIN_ADOPTERS.map(spec => ['adopter', spec.value] as const),
    ...BUILTIN_RAW_CLOSERS.map(spec => ['raw closer', spec] as const),
    ...COMPLETION_WAITERS.map(spec => ['completion waiter', spec] as const),
  ])('matches the %s %o by every declaration', (_kind, specifier) => {
    for (const name of namesOf(specifier))
      expect(model.node.symbolIs(exported(specifier.module, name), specifier, true), `${specifier.module}.${name}`).toBe(true);
  });

  it('tells a type of one module from the same name in another (net.Socket, dgram.Socket; http.Server, https.Server)', () => {
    const declared = (module: string, name: string): ts.Type => checker.getDeclaredTypeOfSymbol(exported(module, name));
    expect(model.node.typeIs(declared('net', 'Socket'), { module: 'net', name: 'Socket' })).toBe(true);
    expect(model.node.typeIs(declared('net', 'Socket'), { module: 'dgram', name: 'Socket' })).toBe(false);
    expect(model.node.typeIs(declared('dgram', 'Socket'), { module: 'net', name: 'Socket' })).toBe(false);
    expect(model.node.typeIs(declared('http', 'Server'), { module: 'https', name: 'Server' })).toBe(false);
    expect(model.node.typeIs(declared('https', 'Server'), { module: 'http', name: 'Server' })).toBe(false);
  });

  it('knows process, its global timers, and fs.closeSync in code', () => {
    expect(model.isProcessType(checker.getTypeAtLocation(processIdentifier(file)))).toBe(true);
    const calls: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) calls.push(node);
      ts.forEachChild(node, visit);
    };
    visit(file);
    const callee = (text: string): ts.Expression => calls.find(call => call.expression.getText(file) === text)!.expression;
    expect(model.timerName(callee('setInterval'))).toBe('setInterval');
    expect(model.isRawCloser(callee('fs.closeSync'))).toBe(true);
    expect(model.nodeFsFunctionName(callee('fs.closeSync'))).toBe('closeSync');
  });
});

function processIdentifier(file: ts.SourceFile): ts.Identifier {
  let found: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (!found && ts.isIdentifier(node) && node.text === 'process') found = node;
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found!;
}
