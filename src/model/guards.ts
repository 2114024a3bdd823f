import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import { isConventionalGuardFlag } from './builtins.js';
import type { ResourceModel } from './owners.js';
import { skipOuterExpressions } from './values.js';

/**
 * How a guard method that verifiably throws when its object is closed must be called to protect
 * what follows: `sync` throws during the call (`this.g();`), `async` rejects the promise it
 * returns, so only `await this.g();` protects (docs/resource-model.md#ownership "Guards", docs/rules/require-lifetime-guard.md#fixes).
 */
export type ThrowingGuardKind = 'sync' | 'async';

/** What the class's liveness state is, as the caller (a rule) knows it. */
export interface LivenessMembers {
  /** Members of `this` that are true when the object is closed (`closed`, `#disposed`, tagged flags). */
  readonly closedFlags: ReadonlySet<string>;
  /**
   * Members of `this` that hold liveness state of unknown polarity (a `state` field the close
   * path writes, a getter reading a flag, a resource field close sets to `null`): a test of one
   * that throws counts, whichever way it is written.
   */
  readonly states: ReadonlySet<string>;
  /** Other methods of the class that are throwing guards (for `assertOpen() { this.throwIfClosed(); }`). */
  readonly guardKind?: (name: string) => ThrowingGuardKind | undefined;
}

/**
 * Whether calling this method verifiably throws (or, for `async`, rejects) when its object is
 * closed, and does nothing else: a guard an autofix may insert unread. Its body is, at the top
 * level, only
 *
 * - `if (<closed>) <exit>` statements, where `<closed>` is true when a liveness member says
 *   closed (`this.closed`, `this.closed === true`, `this.#disposed || …`, `this.sock.destroyed`,
 *   or any test of a liveness state of unknown polarity) and `<exit>` throws, or returns
 *   `Promise.reject(…)`, on every path;
 * - calls of other throwing guards of the class (`this.throwIfClosed();`, `await this.assertOpen();`);
 * - a final `return;`, `return <literal>;` or `return Promise.resolve();`;
 *
 * with at least one of the first two. A method that logs, returns a boolean, or does other work
 * is not one (it may still be a flag read: docs/resource-model.md#ownership). Undefined when not verifiably a throwing guard.
 */
export function throwingGuardKind(
  model: ResourceModel,
  method: ts.MethodDeclaration,
  liveness: LivenessMembers,
): ThrowingGuardKind | undefined {
  const body = method.body;
  if (
    !body ||
    method.asteriskToken ||
    method.parameters.some(parameter => !parameter.questionToken && !parameter.initializer && !parameter.dotDotDotToken)
  ) {
    return undefined;
  }
  const isAsync = tsutils.includesModifier(ts.getModifiers(method), ts.SyntaxKind.AsyncKeyword);
  let rejects = isAsync;
  let guards = 0;
  const statements = body.statements;
  for (const [index, statement] of statements.entries()) {
    if (ts.isIfStatement(statement) && !statement.elseStatement && isClosedTest(model, statement.expression, liveness)) {
      const exit = exitKind(model, statement.thenStatement);
      if (exit === undefined) return undefined;
      if (exit === 'reject') rejects = true;
      guards++;
      continue;
    }
    if (ts.isExpressionStatement(statement)) {
      const delegated = delegatedGuard(statement.expression, liveness, isAsync);
      if (delegated === undefined) return undefined;
      if (delegated === 'async') rejects = true;
      guards++;
      continue;
    }
    const last = index === statements.length - 1;
    if (
      last &&
      ts.isReturnStatement(statement) &&
      (!statement.expression || isLiteral(statement.expression) || isPromiseResolve(model, statement.expression))
    ) {
      continue;
    }
    return undefined;
  }
  if (guards === 0) return undefined;
  return rejects || returnsThenable(model, method) ? 'async' : 'sync';
}

/** Whether the condition is true whenever a liveness member says closed. */
function isClosedTest(model: ResourceModel, test: ts.Expression, liveness: LivenessMembers): boolean {
  const expression = skipOuterExpressions(test);
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
    return isClosedTest(model, expression.left, liveness) || isClosedTest(model, expression.right, liveness);
  }
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = skipOuterExpressions(expression.operand);
    if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken)
      return isClosedTest(model, inner.operand, liveness);
    return !isClosedFlag(model, inner, liveness) && isState(inner, liveness);
  }
  if (ts.isBinaryExpression(expression)) {
    const operator = expression.operatorToken.kind;
    const equality = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
    const inequality = operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
    if (!equality && !inequality) return false;
    for (const [side, other] of [
      [expression.left, expression.right],
      [expression.right, expression.left],
    ] as const) {
      const literal = skipOuterExpressions(other);
      const boolean = literal.kind === ts.SyntaxKind.TrueKeyword ? true : literal.kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
      if (boolean !== undefined && isClosedFlag(model, side, liveness)) return boolean === equality;
      if (!isClosedFlag(model, side, liveness) && isState(side, liveness)) return true;
    }
    return false;
  }
  return isClosedFlag(model, expression, liveness) || isState(expression, liveness);
}

/** `this.closed`, `this.#disposed`, or a guard flag of a resource field (`this.sock.destroyed`). */
function isClosedFlag(model: ResourceModel, node: ts.Expression, liveness: LivenessMembers): boolean {
  const expression = skipOuterExpressions(node);
  const name = thisMemberName(expression);
  if (name !== undefined) return liveness.closedFlags.has(name) || isConventionalGuardFlag(name);
  if (!ts.isPropertyAccessExpression(expression) || thisMemberName(skipOuterExpressions(expression.expression)) === undefined) return false;
  const owner = model.ownerOfType(model.checker.getTypeAtLocation(expression.expression));
  return owner !== undefined && owner.roles.guard.has(expression.name.text);
}

/** A liveness state member of `this` of unknown polarity, read directly or called (`this.isOpen()`). */
function isState(node: ts.Expression, liveness: LivenessMembers): boolean {
  let expression = skipOuterExpressions(node);
  if (ts.isCallExpression(expression) && expression.arguments.length === 0) expression = skipOuterExpressions(expression.expression);
  const name = thisMemberName(expression);
  return name !== undefined && liveness.states.has(name);
}

/** How the branch leaves: throws on every path, returns `Promise.reject(…)` on every path; undefined otherwise. */
function exitKind(model: ResourceModel, statement: ts.Statement): 'throw' | 'reject' | undefined {
  if (ts.isThrowStatement(statement)) return 'throw';
  if (ts.isReturnStatement(statement)) return statement.expression && isPromiseReject(model, statement.expression) ? 'reject' : undefined;
  if (!ts.isBlock(statement)) return undefined;
  const last = statement.statements[statement.statements.length - 1];
  if (!last || statement.statements.slice(0, -1).some(inner => leavesEarly(inner))) return undefined;
  return exitKind(model, last);
}

/** Whether a statement may leave the guard some other way (a `return`, `break` or `continue` in it). */
function leavesEarly(statement: ts.Statement): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) || ts.isBreakStatement(node) || ts.isContinueStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

/** `Promise.reject(…)`, the global `Promise`. */
function isPromiseReject(model: ResourceModel, node: ts.Expression): boolean {
  return isPromiseCall(model, node, 'reject');
}

/** `Promise.resolve()` with no value: the open path of a guard that rejects when closed. */
function isPromiseResolve(model: ResourceModel, node: ts.Expression): boolean {
  const call = skipOuterExpressions(node);
  return ts.isCallExpression(call) && call.arguments.length === 0 && isPromiseCall(model, call, 'resolve');
}

function isPromiseCall(model: ResourceModel, node: ts.Expression, method: string): boolean {
  const call = skipOuterExpressions(node);
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== method) return false;
  const receiver = call.expression.expression;
  return ts.isIdentifier(receiver) && receiver.text === 'Promise' && model.isDefaultLibValue(receiver);
}

/** `this.g()` / `await this.g()` where `g` is a throwing guard of the class: how it protects. */
function delegatedGuard(node: ts.Expression, liveness: LivenessMembers, inAsync: boolean): ThrowingGuardKind | undefined {
  const outer = skipOuterExpressions(node);
  const awaited = ts.isAwaitExpression(outer);
  const expression = awaited ? skipOuterExpressions(outer.expression) : outer;
  if (!ts.isCallExpression(expression) || expression.arguments.length > 0) return undefined;
  const name = thisMemberName(skipOuterExpressions(expression.expression));
  const kind = name === undefined ? undefined : liveness.guardKind?.(name);
  if (kind === 'sync') return 'sync';
  // An async guard protects its caller only when awaited; an async caller then rejects in turn.
  return kind === 'async' && awaited && inAsync ? 'async' : undefined;
}

function isLiteral(node: ts.Expression): boolean {
  const expression = skipOuterExpressions(node);
  return (
    expression.kind === ts.SyntaxKind.TrueKeyword ||
    expression.kind === ts.SyntaxKind.FalseKeyword ||
    expression.kind === ts.SyntaxKind.NullKeyword ||
    ts.isLiteralExpression(expression) ||
    (ts.isIdentifier(expression) && expression.text === 'undefined')
  );
}

/** `this.x` / `this.#x` → its name. */
function thisMemberName(node: ts.Node): string | undefined {
  if (!ts.isPropertyAccessExpression(node) || skipOuterExpressions(node.expression).kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  return node.name.text; // a #private name keeps its "#"
}

/** Whether the method's declared or inferred return type is a thenable (its result must be awaited). */
function returnsThenable(model: ResourceModel, method: ts.MethodDeclaration): boolean {
  const signature = model.checker.getSignatureFromDeclaration(method);
  if (!signature) return false;
  const type = model.checker.getReturnTypeOfSignature(signature);
  return tsutils.unionConstituents(type).some(part => {
    const then = part.getProperty('then');
    return then !== undefined && model.checker.getTypeOfSymbol(then).getCallSignatures().length > 0;
  });
}
