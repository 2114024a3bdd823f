import type { TSESLint } from '@typescript-eslint/utils';
import * as path from 'node:path';
import type { ResourceModel } from './owners.js';

// A program without Node's types: every built-in check is silent, and the user should know why.

/**
 * The message every rule may report once per program that has no Node types
 * (reported by {@link reportMissingNodeTypes}): whichever rule runs first in the file reports it.
 */
export const NO_NODE_TYPES = 'noNodeTypes';

export const NO_NODE_TYPES_MESSAGE =
  'No Node.js types in this program ({{project}}), so Node built-ins cannot be recognised. FileHandle, net.Socket, process and every other built-in are unknown; native-handle checks only your own tagged or configured types. ' +
  'Install them with `npm i -D @types/node` and list them in that tsconfig: "compilerOptions": { "types": ["node"] } (TypeScript 6 no longer loads @types packages by itself). ' +
  'Reported once per program, on the first file linted.';

/** Per process, per program (by its tsconfig): the file that carries the report that the program has no Node types. */
const noNodeTypesCarriers = new Map<string, string>();
/** The lints (their SourceCode) that already got that report, so that only the first rule to run gives it. */
const noNodeTypesReported = new WeakSet<object>();

/**
 * Without Node's types (`@types/node` not in the program) no built-in owner can be known and
 * every built-in check is silent: says so once per program, on the first file linted in it
 * (and on that file again when it is linted again, as an editor does, so the diagnostic stays),
 * from whichever rule runs first. The checker is asked once per program ({@link NodeCore}).
 */
export function reportMissingNodeTypes(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, model: ResourceModel): void {
  if (model.node.hasNodeTypes()) return;
  const configFile = model.program.getCompilerOptions().configFilePath;
  const key = typeof configFile === 'string' ? configFile : `default project of ${model.program.getCurrentDirectory()}`;
  const carrier = noNodeTypesCarriers.get(key);
  if (carrier === undefined) noNodeTypesCarriers.set(key, context.filename);
  else if (carrier !== context.filename) return;
  if (noNodeTypesReported.has(context.sourceCode)) return;
  noNodeTypesReported.add(context.sourceCode);
  const project =
    typeof configFile === 'string' ? path.relative(context.cwd, configFile) || configFile : 'no tsconfig: the default project';
  context.report({ loc: { line: 1, column: 0 }, messageId: NO_NODE_TYPES, data: { project } });
}
