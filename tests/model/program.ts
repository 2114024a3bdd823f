import * as path from 'node:path';
import * as ts from 'typescript';
import { ResourceModel, parseSettings } from '../../src/model/index.js';
import { fixturesDir } from '../ruleTester.js';

const configPath = path.join(fixturesDir, 'tsconfig.json');
const parsedConfig = ts.getParsedCommandLineOfConfigFile(
  configPath,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: diagnostic => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
if (!parsedConfig) throw new Error(`cannot read ${configPath}`);
const options = parsedConfig.options;

/**
 * Parsed files that are not test code (the default lib, `@types/node`, fixture packages), shared
 * by every {@link compile} of a test file: a program re-parses nothing it finds here, and the
 * binder skips a file it has already bound, as TypeScript's language service does with its
 * document registry. Building a program per case then costs its own file and the type check.
 */
const sharedFiles = new Map<string, ts.SourceFile | undefined>();

/** The path in-memory test code is compiled as (`fixtures/file.ts`). */
export const testFile = path.join(fixturesDir, 'file.ts');

export interface TestProgram {
  readonly program: ts.Program;
  readonly model: ResourceModel;
  readonly sourceFile: ts.SourceFile;
  /** The type of the variable, parameter or property declared with this name (first match). */
  typeOf(name: string): ts.Type;
  /** The declaration node of the class with this name. */
  classNamed(name: string): ts.ClassLikeDeclaration;
  /** The node of the first call whose callee text is `calleeText`. */
  callNamed(calleeText: string): ts.CallExpression;
  /** The node of the first `new` whose callee text is `calleeText`. */
  newNamed(calleeText: string): ts.NewExpression;
}

/**
 * Compiles `code` as `fixtures/file.ts` (the fixture project's options, `@types/node`, the stub
 * package under fixtures/node_modules) and builds a resource model for it.
 */
export function compile(code: string, settings: unknown = {}, extraFiles: Record<string, string> = {}): TestProgram {
  const files = new Map<string, string>([[testFile, code]]);
  for (const [name, text] of Object.entries(extraFiles)) files.set(path.join(fixturesDir, name), text);
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = fileName => files.get(path.resolve(fileName)) ?? readFile(fileName);
  host.fileExists = fileName => files.has(path.resolve(fileName)) || ts.sys.fileExists(fileName);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = files.get(path.resolve(fileName));
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    const key = `${fileName}\0${typeof languageVersion === 'object' ? JSON.stringify(languageVersion) : languageVersion}`;
    if (!sharedFiles.has(key)) sharedFiles.set(key, getSourceFile(fileName, languageVersion, onError, shouldCreate));
    return sharedFiles.get(key);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const sourceFile = program.getSourceFile(testFile);
  if (!sourceFile) throw new Error('test file was not compiled');
  const model = new ResourceModel(program, parseSettings(settings));
  const checker = program.getTypeChecker();

  const find = <T extends ts.Node>(predicate: (node: ts.Node) => node is T, what: string): T => {
    let found: T | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (predicate(node)) found = node;
      else ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    if (!found) throw new Error(`no ${what} in test code`);
    return found;
  };

  return {
    program,
    model,
    sourceFile,
    typeOf: name => {
      const declaration = find(
        (node): node is ts.NamedDeclaration =>
          (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isPropertyDeclaration(node)) && node.name.getText() === name,
        `declaration of ${name}`,
      );
      return checker.getTypeAtLocation(declaration.name!);
    },
    classNamed: name =>
      find((node): node is ts.ClassDeclaration => ts.isClassDeclaration(node) && node.name?.text === name, `class ${name}`),
    callNamed: calleeText =>
      find(
        (node): node is ts.CallExpression => ts.isCallExpression(node) && node.expression.getText() === calleeText,
        `call ${calleeText}`,
      ),
    newNamed: calleeText =>
      find((node): node is ts.NewExpression => ts.isNewExpression(node) && node.expression.getText() === calleeText, `new ${calleeText}`),
  };
}
