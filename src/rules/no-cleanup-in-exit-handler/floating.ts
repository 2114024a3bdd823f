// no-cleanup-in-exit-handler: in a signal or uncaught-error handler, the `process.exit()` calls
// and the flow analysis of the promises started before them and neither awaited nor returned.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { referencesOf } from '../../model/references.js';
import type { FlowAnalysis } from '../../model/flow.js';
import { memberNameOf } from '../../model/index.js';
import { isFunction, isInlineFunction, isNullish, outerWrapper, skipWrappers, walk, type FunctionNode } from '../../util/ast.js';
import { enclosingFunction, type Scan } from './scan.js';

/** A promise started in a terminating handler whose result was neither awaited nor returned. */
export interface Floating {
  readonly call: TSESTree.CallExpression | TSESTree.NewExpression;
  /** The expression statement that discards it, when the call is that statement's whole expression. */
  readonly statement?: TSESTree.ExpressionStatement;
  /**
   * Kept in a local: the reads that hand the promise on (await, return, chaining, passing it to a
   * call, storing it), each of which counts as handling it. Inspections (`p !== undefined`, `!p`,
   * `${p}`, `console.log(p)`) do not.
   */
  readonly handoffs?: ReadonlySet<TSESTree.Node>;
  /** Kept in a local: every read of it, for the tests that show it holds no promise on a branch (`if (p)`). */
  readonly reads?: ReadonlySet<TSESTree.Node>;
}

/** `process.exit(…)` calls in the handler's own body (not in callbacks, which run later). */
export function processExitCalls(scan: Scan, fn: FunctionNode): TSESTree.CallExpression[] {
  const exits: TSESTree.CallExpression[] = [];
  const visit = (node: TSESTree.Node): void => {
    if (node.type !== AST_NODE_TYPES.CallExpression) return;
    const callee = skipWrappers(node.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && memberNameOf(callee) === 'exit' && scan.services.isProcess(callee.object)) {
      exits.push(node);
    }
  };
  walk(fn.body, scan.context.sourceCode.visitorKeys, visit, { skip: isFunction, skipTypes: true });
  return exits;
}

/** May-analysis: the promises started on some path so far and not awaited, returned or used since. */
export function floatingAnalysis(scan: Scan, handler: FunctionNode): FlowAnalysis<ReadonlySet<Floating>> {
  return {
    initial: new Set(),
    join: (a, b) => (a.size === 0 ? b : b.size === 0 ? a : new Set([...a, ...b])),
    equals: (a, b) => a.size === b.size && [...a].every(entry => b.has(entry)),
    transfer(node, state) {
      if (node.type === AST_NODE_TYPES.Identifier && state.size > 0) {
        return withoutEntries(state, entry => entry.handoffs?.has(node) === true);
      }
      if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) {
        const entry = floatingEntry(scan, handler, node);
        if (entry && !state.has(entry)) return new Set([...state, entry]);
      }
      return state;
    },
    refine(test, outcome, state) {
      const read = state.size > 0 ? readHoldingNoPromise(test, outcome) : undefined;
      return read ? withoutEntries(state, entry => entry.reads?.has(read) === true) : state;
    },
  };
}

function withoutEntries(state: ReadonlySet<Floating>, drop: (entry: Floating) => boolean): ReadonlySet<Floating> {
  const kept = [...state].filter(entry => !drop(entry));
  return kept.length === state.size ? state : new Set(kept);
}

/**
 * The local read by a test that, on this outcome, shows the local holds no promise: `p` when
 * falsy, `p === undefined` / `p == null` when true, `p !== undefined` / `p != null` when false.
 */
function readHoldingNoPromise(test: TSESTree.Expression, outcome: boolean): TSESTree.Node | undefined {
  const node = skipWrappers(test);
  if (node.type === AST_NODE_TYPES.Identifier) return outcome ? undefined : node;
  if (node.type !== AST_NODE_TYPES.BinaryExpression || !['===', '==', '!==', '!='].includes(node.operator)) return undefined;
  const nullWhen = node.operator === '===' || node.operator === '==';
  if (outcome !== nullWhen) return undefined;
  const left = skipWrappers(node.left);
  const right = skipWrappers(node.right);
  if (isNullish(right, { loose: true }) && left.type === AST_NODE_TYPES.Identifier) return left;
  if (isNullish(left, { loose: true }) && right.type === AST_NODE_TYPES.Identifier) return right;
  return undefined;
}

function floatingEntry(scan: Scan, handler: FunctionNode, call: TSESTree.CallExpression | TSESTree.NewExpression): Floating | undefined {
  const cached = scan.floating.get(call);
  if (cached !== undefined) return cached ?? undefined;
  const entry = computeFloatingEntry(scan, handler, call);
  scan.floating.set(call, entry ?? null);
  return entry;
}

function computeFloatingEntry(
  scan: Scan,
  handler: FunctionNode,
  call: TSESTree.CallExpression | TSESTree.NewExpression,
): Floating | undefined {
  const position = resultPosition(call);
  if (position === undefined || !scan.services.returnsThenable(call)) return undefined;
  if (position.type === AST_NODE_TYPES.ExpressionStatement) {
    const direct = skipVoid(position.expression) === call;
    return direct ? { call, statement: position } : { call };
  }
  const variable = scan.context.sourceCode.getDeclaredVariables(position)[0];
  if (!variable) return undefined;
  const reads = variable.references.filter(reference => reference.isRead()).map(reference => reference.identifier);
  // A promise read inside a callback may be awaited there: not tracked (quiet).
  if (reads.some(read => enclosingFunction(read) !== handler)) return undefined;
  return { call, handoffs: new Set(reads.filter(read => handsOnPromise(scan, read))), reads: new Set(reads) };
}

/**
 * Whether a read of the local holding the promise may hand its completion on: awaited, returned,
 * chained (the chain's own result is then tracked as a call of its own), passed to a call, or
 * stored — anything but an inspection whose value cannot carry the promise: a comparison or other
 * binary operator, a unary operator (`!p`, `typeof p`), a `${p}` substitution, an argument of a
 * `console` method, the test of an `if`/loop/`?:`, the left side of `&&`, a discarded value.
 */
function handsOnPromise(scan: Scan, read: TSESTree.Node): boolean {
  const node = outerWrapper(read);
  const parent = node.parent;
  if (!parent) return true;
  switch (parent.type) {
    case AST_NODE_TYPES.BinaryExpression:
    case AST_NODE_TYPES.UnaryExpression:
    case AST_NODE_TYPES.ExpressionStatement:
    case AST_NODE_TYPES.IfStatement:
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement:
      return false;
    case AST_NODE_TYPES.ForStatement:
      return parent.test !== node;
    case AST_NODE_TYPES.TemplateLiteral:
      return parent.parent.type === AST_NODE_TYPES.TaggedTemplateExpression;
    case AST_NODE_TYPES.ConditionalExpression:
      return parent.test !== node && handsOnPromise(scan, parent);
    case AST_NODE_TYPES.LogicalExpression:
      return !(parent.operator === '&&' && parent.left === node) && handsOnPromise(scan, parent);
    case AST_NODE_TYPES.SequenceExpression:
      return parent.expressions[parent.expressions.length - 1] === node && handsOnPromise(scan, parent);
    case AST_NODE_TYPES.CallExpression:
      return parent.callee === node || !isConsoleCall(scan, parent);
    default:
      return true;
  }
}

/** `console.log(…)`, `console.error(…)`, …: the global console, not a local of that name. */
function isConsoleCall(scan: Scan, call: TSESTree.CallExpression): boolean {
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.object.type !== AST_NODE_TYPES.Identifier) return false;
  if (callee.object.name !== 'console') return false;
  const variable = referencesOf(scan.context.sourceCode).variableOf(callee.object);
  return variable === undefined || variable.defs.length === 0;
}

/**
 * Where a call's promise goes: discarded by an expression statement (directly, through `void`,
 * `?:`, `&&`/`||`/`??`, or a sequence), kept in a local (`const p = call()`), or anywhere else
 * (awaited, returned, passed on, chained): undefined.
 */
function resultPosition(
  call: TSESTree.Node,
): TSESTree.ExpressionStatement | (TSESTree.VariableDeclarator & { id: TSESTree.Identifier }) | undefined {
  let current: TSESTree.Node = call;
  for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
    switch (parent.type) {
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
        continue;
      case AST_NODE_TYPES.ConditionalExpression:
        if (parent.test === current) return undefined;
        continue;
      case AST_NODE_TYPES.LogicalExpression:
        continue;
      case AST_NODE_TYPES.SequenceExpression:
        if (parent.expressions[parent.expressions.length - 1] === current) continue;
        return expressionStatementAbove(parent);
      case AST_NODE_TYPES.UnaryExpression:
        return parent.operator === 'void' ? expressionStatementAbove(parent) : undefined;
      case AST_NODE_TYPES.ExpressionStatement:
        return parent;
      case AST_NODE_TYPES.VariableDeclarator:
        return parent.init === current && parent.id.type === AST_NODE_TYPES.Identifier
          ? (parent as TSESTree.VariableDeclarator & { id: TSESTree.Identifier })
          : undefined;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The expression statement that discards a `void`/sequence operand; undefined (not tracked) when there is none. */
function expressionStatementAbove(node: TSESTree.Node): TSESTree.ExpressionStatement | undefined {
  for (let current: TSESTree.Node | undefined = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ExpressionStatement) return current;
    if (current.type.endsWith('Statement') || current.type.endsWith('Declaration') || isInlineFunction(current)) break;
  }
  return undefined;
}

function skipVoid(node: TSESTree.Expression): TSESTree.Node {
  return node.type === AST_NODE_TYPES.UnaryExpression && node.operator === 'void' ? skipWrappers(node.argument) : skipWrappers(node);
}
