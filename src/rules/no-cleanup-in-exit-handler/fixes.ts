// no-cleanup-in-exit-handler: what the fixes and suggestions need. Whether a listener contains an
// await of its own (removing `async`), whether code runs only at exit (the autofix), the
// synchronous twin of an fs callback call, and the statement a cleanup is the whole of.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { memberNameOf } from '../../model/index.js';
import { inStatementList, isFunction, isInlineFunction, outerWrapper, skipWrappers, some, type FunctionNode } from '../../util/ast.js';
import { SYNC_TWINS, isIterationCall } from './exitListeners.js';
import { registrationOf } from './registrations.js';
import { enclosingFunction, type Scan } from './scan.js';

export function containsOwnAwait(scan: Scan, fn: FunctionNode): boolean {
  return some(
    fn.body,
    scan.context.sourceCode.visitorKeys,
    node =>
      node.type === AST_NODE_TYPES.AwaitExpression ||
      (node.type === AST_NODE_TYPES.ForOfStatement && node.await) ||
      (node.type === AST_NODE_TYPES.VariableDeclaration && node.kind === 'await using'),
    { skip: isFunction, skipTypes: true },
  );
}

/**
 * Whether the code at `node` runs only inside exit listeners: its function is an inline exit
 * listener, an array callback in such code, or a function of this file that is not exported and
 * is only registered as an exit listener or called from code that runs only at exit.
 */
export function runsOnlyAtExit(scan: Scan, node: TSESTree.Node, visiting = new Set<FunctionNode>()): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  if (visiting.has(fn)) return true; // a recursive call: decided by its other callers
  visiting.add(fn);
  const parent = fn.parent;
  const argumentOf = outerWrapper(fn).parent;
  if (isInlineFunction(fn) && argumentOf?.type === AST_NODE_TYPES.CallExpression && argumentOf.callee !== outerWrapper(fn)) {
    if (isExitListenerAt(scan, argumentOf, fn)) return true;
    return isIterationCall(scan, argumentOf) && runsOnlyAtExit(scan, argumentOf, visiting);
  }
  const declaration =
    fn.type === AST_NODE_TYPES.FunctionDeclaration
      ? fn
      : parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fn && parent.parent.kind === 'const'
        ? parent.parent
        : undefined;
  if (
    !declaration ||
    declaration.parent.type === AST_NODE_TYPES.ExportNamedDeclaration ||
    declaration.parent.type === AST_NODE_TYPES.ExportDefaultDeclaration
  ) {
    return false;
  }
  const id = declaration.type === AST_NODE_TYPES.FunctionDeclaration ? declaration.id : (parent as TSESTree.VariableDeclarator).id;
  if (id?.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = scan.context.sourceCode.getDeclaredVariables(declaration).find(candidate => candidate.identifiers.includes(id));
  if (!variable) return false;
  return variable.references.every(reference => {
    if (reference.init === true) return true;
    const use = outerWrapper(reference.identifier);
    const call = use.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
    return call.callee === use ? runsOnlyAtExit(scan, call, visiting) : isExitListenerAt(scan, call, use);
  });
}

/** Whether `call` registers `listener` (one of its arguments) as an exit listener. */
function isExitListenerAt(scan: Scan, call: TSESTree.CallExpression, listener: TSESTree.Node): boolean {
  const registration = registrationOf(scan, call);
  return registration?.kind === 'exit' && skipWrappers(registration.listener) === skipWrappers(listener);
}

interface SyncTwinEdit {
  readonly statement: TSESTree.ExpressionStatement;
  readonly name: string;
  readonly text: string;
}

/**
 * `fs.unlink(p, () => {})` as a statement → `try { fs.unlinkSync(p); } catch {}`: the callback
 * ignored the outcome, and so does the empty catch, so only the hazard goes away.
 */
export function syncTwinEdit(scan: Scan, call: TSESTree.CallExpression): SyncTwinEdit | undefined {
  const statement = call.parent;
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression !== call) return undefined;
  const callee = call.callee;
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.optional || call.optional) return undefined;
  const twin = SYNC_TWINS.get(memberNameOf(callee) ?? '');
  const callback = call.arguments[call.arguments.length - 1];
  if (twin === undefined || callback === undefined || call.arguments.length < 2 || !isEmptyCallback(callback)) return undefined;
  if (call.arguments.some(argument => argument.type === AST_NODE_TYPES.SpreadElement)) return undefined;
  if (scan.services.nodeFsFunctionName(callee) === undefined) return undefined;
  if (!scan.services.typeOf(callee.object).getProperty(twin)) return undefined;
  const { sourceCode } = scan.context;
  const receiver = sourceCode.getText(callee.object);
  const args = call.arguments.slice(0, -1).map(argument => sourceCode.getText(argument));
  return { statement, name: `${receiver}.${twin}`, text: `try { ${receiver}.${twin}(${args.join(', ')}); } catch {}` };
}

/** `() => {}`, `() => undefined`, `function () {}` (parameters allowed, but unused by definition). */
function isEmptyCallback(node: TSESTree.CallExpressionArgument): boolean {
  if (!isInlineFunction(node) || node.async || node.generator) return false;
  if (node.body.type === AST_NODE_TYPES.BlockStatement) return node.body.body.length === 0;
  return node.body.type === AST_NODE_TYPES.Identifier && node.body.name === 'undefined';
}

/** The expression statement whose whole expression is `node` (through `void` and wrappers), in a block. */
export function wholeStatementOf(node: TSESTree.Node): TSESTree.ExpressionStatement | undefined {
  let current = node;
  let parent = node.parent;
  while (
    parent &&
    (parent.type === AST_NODE_TYPES.ChainExpression ||
      parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      parent.type === AST_NODE_TYPES.TSAsExpression ||
      (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void'))
  ) {
    current = parent;
    parent = parent.parent;
  }
  if (parent?.type !== AST_NODE_TYPES.ExpressionStatement || parent.expression !== current) return undefined;
  return inStatementList(parent) ? parent : undefined;
}
