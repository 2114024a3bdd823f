import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import ts from '../util/typescript.cjs';
import { analyzeFunction, type FlowAnalysis } from '../model/flow.js';
import { getNativeHandleServices, memberNameOf, type NativeHandleServices } from '../model/index.js';
import {
  childNodes,
  inStatementList,
  isFunction,
  isInlineFunction,
  isNullish,
  outerWrapper,
  skipWrappers,
  some,
  statementRemovalRange,
  walk,
  type FunctionNode,
} from '../util/ast.js';
import { createRule } from './createRule.js';

export type MessageIds =
  | 'asyncListener'
  | 'await'
  | 'promiseCall'
  | 'asyncLocalCall'
  | 'timer'
  | 'callbackCall'
  | 'serverClose'
  | 'streamEnd'
  | 'exitAbandonsPromise'
  | 'removeAsync'
  | 'removeCleanup'
  | 'useSyncTwin'
  | 'awaitBeforeExit';

export default createRule<[], MessageIds>({
  name: 'no-cleanup-in-exit-handler',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow asynchronous cleanup in process exit handlers, where it never completes',
      recommended: true,
      requiresTypeChecking: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [],
    defaultOptions: [],
    messages: {
      asyncListener:
        "This exit listener is async, so nothing after its first await ever runs. Node runs 'exit' listeners synchronously and ends the process as soon as they return. Make it synchronous and use synchronous calls (fs.*Sync).",
      await:
        'This await never resumes: it is inside an exit listener, and the process ends as soon as the listener returns. Do this cleanup synchronously, or before the process exits.',
      promiseCall:
        'This call returns a Promise inside an exit listener, where it never settles. The process ends as soon as the listener returns (an fs.promises write leaves an empty file). Use a synchronous call, or do this cleanup before the process exits.',
      asyncLocalCall:
        "'{{name}}' is an async function: called from an exit listener, only its synchronous start runs and the rest is abandoned. Make it synchronous, or call and await it before the process exits.",
      timer:
        "'{{name}}' in an exit listener schedules a callback that never runs: the event loop has already stopped. Do this work synchronously.",
      callbackCall:
        'This call completes through a callback, which never runs in an exit listener. The process ends as soon as the listener returns. Use the synchronous API instead (fs.unlinkSync, fs.writeFileSync, …).',
      serverClose:
        'close() on {{type}} finishes asynchronously (it waits for open connections) and never completes in an exit listener. Close the server before the process exits, e.g. in a signal handler that awaits it.',
      streamEnd:
        'end() on {{type}} flushes asynchronously, so it never completes in an exit listener. Only what the kernel takes at once is written, and the end callback never runs. Finish the stream before the process exits.',
      exitAbandonsPromise:
        'process.exit() here abandons a Promise this handler started and neither awaited nor returned. That cleanup stops midway. Await it (with a hard timeout) before exiting, or set process.exitCode and let the process end on its own.',
      removeAsync: 'Remove `async` from this listener.',
      removeCleanup: 'Remove this cleanup; the process is ending and the OS reclaims handles.',
      useSyncTwin: 'Use {{name}} instead.',
      awaitBeforeExit: 'Await this cleanup before calling process.exit().',
    },
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const scan: Scan = {
      context,
      services,
      sourceFile: services.tsNodeOf(context.sourceCode.ast).getSourceFile(),
      exitBodies: new Set(),
      terminatingHandlers: new Set(),
      reported: new Set(),
      floating: new Map(),
    };
    return {
      CallExpression(node) {
        const registration = registrationOf(scan, node);
        if (!registration) return;
        const target = resolveListener(scan, registration.listener);
        if (!target) return;
        if (registration.kind === 'exit') checkExitListener(scan, target);
        else checkTerminatingHandler(scan, target);
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;

interface Scan {
  readonly context: Context;
  readonly services: NativeHandleServices;
  readonly sourceFile: ts.SourceFile;
  /** Function bodies already examined as (part of) an exit listener: each is examined once. */
  readonly exitBodies: Set<FunctionNode>;
  /** Signal / uncaught-error handlers already analysed for `process.exit()`. */
  readonly terminatingHandlers: Set<FunctionNode>;
  readonly reported: Set<TSESTree.Node>;
  /** Per call node: the floating promise it starts in a terminating handler (null: none). */
  readonly floating: Map<TSESTree.Node, Floating | null>;
}

/** `exit`: process 'exit' and configured exit hooks. `terminating`: 'SIG…', uncaughtException, unhandledRejection. */
type EventKind = 'exit' | 'terminating';

interface Registration {
  readonly kind: EventKind;
  readonly listener: TSESTree.Expression;
}

interface Listener {
  readonly fn: FunctionNode;
  /** Written inline at the registration (not passed by name). */
  readonly inline: boolean;
}

interface Finding {
  readonly messageId: MessageIds;
  readonly data?: Record<string, string>;
}

/** A promise started in a terminating handler whose result was neither awaited nor returned. */
interface Floating {
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

const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
const SERVER_OWNERS = new Set(['net.Server', 'http.Server', 'https.Server', 'tls.Server', 'http2.Http2Server']);
/** Callback-taking methods of arrays and collections, which run their callback before returning. */
const ITERATION_METHODS = new Set([
  'forEach',
  'map',
  'flatMap',
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'reduce',
  'reduceRight',
]);
/** `fs` callback functions whose synchronous twin takes the same arguments minus the callback. */
const SYNC_TWINS: ReadonlyMap<string, string> = new Map([
  ['unlink', 'unlinkSync'],
  ['rm', 'rmSync'],
  ['rmdir', 'rmdirSync'],
  ['writeFile', 'writeFileSync'],
  ['appendFile', 'appendFileSync'],
  ['close', 'closeSync'],
  ['rename', 'renameSync'],
  ['copyFile', 'copyFileSync'],
  ['mkdir', 'mkdirSync'],
  ['truncate', 'truncateSync'],
  ['fsync', 'fsyncSync'],
  ['write', 'writeSync'],
]);

// -----------------------------------------------------------------------------------------
// Registrations

/** `process.on('exit' | 'SIG…' | …, listener)` or a configured exit hook `onExit(listener)`. */
function registrationOf(scan: Scan, call: TSESTree.CallExpression): Registration | undefined {
  const callee = skipWrappers(call.callee);
  const [event, listener] = call.arguments;
  if (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    LISTEN_METHODS.has(memberNameOf(callee) ?? '') &&
    event !== undefined &&
    listener !== undefined &&
    listener.type !== AST_NODE_TYPES.SpreadElement
  ) {
    const kind = eventKind(scan, event);
    if (kind !== undefined && scan.services.isProcess(callee.object)) return { kind, listener };
  }
  return exitHookRegistration(scan, call);
}

function eventKind(scan: Scan, event: TSESTree.CallExpressionArgument): EventKind | undefined {
  const name = stringValue(scan, event);
  if (name === 'exit') return 'exit';
  if (name === 'uncaughtException' || name === 'unhandledRejection' || /^SIG[A-Z0-9]+$/.test(name ?? '')) return 'terminating';
  return undefined;
}

function stringValue(scan: Scan, node: TSESTree.CallExpressionArgument): string | undefined {
  if (node.type === AST_NODE_TYPES.Literal) return typeof node.value === 'string' ? node.value : undefined;
  if (node.type === AST_NODE_TYPES.TemplateLiteral) return node.expressions.length === 0 ? node.quasis[0]?.value.cooked ?? undefined : undefined;
  if (node.type !== AST_NODE_TYPES.Identifier && node.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const type = scan.services.typeOf(node);
  return type.isStringLiteral() ? type.value : undefined;
}

/**
 * A call of a configured `exitHooks` function: its listener is the first function argument. A
 * hook configured with an `eventArgument` registers an exit hook only when the argument at that
 * index is `'exit'`.
 */
function exitHookRegistration(scan: Scan, call: TSESTree.CallExpression): Registration | undefined {
  if (scan.services.model.settings.exitHooks.length === 0 || call.arguments.length === 0) return undefined;
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.Identifier && callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const hooks = scan.services.configuredExitHooks(callee);
  if (hooks.length === 0) return undefined;
  let eventIndex: number | undefined;
  if (hooks.every(hook => hook.eventArgument !== undefined)) {
    eventIndex = hooks.map(hook => hook.eventArgument!).find(index => registersExit(scan, call, index));
    if (eventIndex === undefined) return undefined;
  }
  for (const [index, argument] of call.arguments.entries()) {
    if (argument.type === AST_NODE_TYPES.SpreadElement) return undefined;
    if (index === eventIndex) continue;
    if (isInlineFunction(skipWrappers(argument)) || scan.services.typeOf(argument).getCallSignatures().length > 0) {
      return { kind: 'exit', listener: argument };
    }
  }
  return undefined;
}

/**
 * Whether a call of an `{ hook, eventArgument }` exit hook registers for the process's 'exit':
 * the argument at the index is `'exit'`, and no argument before it is an event emitter other than
 * `process` (`EventsHelper.addEventListener(child, 'exit', fn)` listens to a child process).
 */
function registersExit(scan: Scan, call: TSESTree.CallExpression, eventIndex: number): boolean {
  const event = call.arguments[eventIndex];
  if (event === undefined || call.arguments.slice(0, eventIndex + 1).some(argument => argument.type === AST_NODE_TYPES.SpreadElement)) {
    return false;
  }
  if (stringValue(scan, event) !== 'exit') return false;
  return call.arguments.slice(0, eventIndex).every(argument => scan.services.isProcess(argument) || !isEventEmitter(scan, argument));
}

/** Whether a value's type has the `emit` method of an event emitter (not `any`: an untyped value says nothing). */
function isEventEmitter(scan: Scan, node: TSESTree.Node): boolean {
  const type = scan.services.typeOf(node).getNonNullableType();
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  const emit = type.getProperty('emit') ?? type.getProperty('addListener');
  return emit !== undefined;
}

/** The listener's function: inline, or a function declared in this file that it names (also `f.bind(x)`). */
function resolveListener(scan: Scan, listener: TSESTree.Expression): Listener | undefined {
  const node = skipWrappers(listener);
  if (isInlineFunction(node)) return { fn: node, inline: true };
  let named: TSESTree.Node = node;
  if (
    node.type === AST_NODE_TYPES.CallExpression &&
    node.callee.type === AST_NODE_TYPES.MemberExpression &&
    memberNameOf(node.callee) === 'bind'
  ) {
    named = node.callee.object;
  }
  const fn = resolveLocalFunction(scan, named);
  return fn ? { fn, inline: false } : undefined;
}

// -----------------------------------------------------------------------------------------
// Exit listeners

function checkExitListener(scan: Scan, listener: Listener): void {
  const { fn, inline } = listener;
  if (fn.generator) return;
  if (fn.async) reportAsyncListener(scan, fn, inline);
  examineExitFunction(scan, fn);
}

function reportAsyncListener(scan: Scan, fn: FunctionNode, inline: boolean): void {
  const node = inline ? fn : declarationNodeOf(fn);
  if (scan.reported.has(node)) return;
  scan.reported.add(node);
  const asyncToken = scan.context.sourceCode.getFirstToken(fn);
  const next = asyncToken ? scan.context.sourceCode.getTokenAfter(asyncToken) : null;
  scan.context.report({
    node,
    messageId: 'asyncListener',
    suggest:
      inline && asyncToken?.value === 'async' && next && !containsOwnAwait(scan, fn)
        ? [{ messageId: 'removeAsync', fix: fixer => fixer.removeRange([asyncToken.range[0], next.range[0]]) }]
        : [],
  });
}

/** Examines a function that runs inside an exit listener (the listener itself or a function it calls), once. */
function examineExitFunction(scan: Scan, fn: FunctionNode): void {
  if (fn.generator || scan.exitBodies.has(fn)) return;
  scan.exitBodies.add(fn);
  walkExit(scan, fn.body);
}

/** Reports each outermost asynchronous expression under `node`; nested functions are not entered. */
function walkExit(scan: Scan, node: TSESTree.Node): void {
  switch (node.type) {
    case AST_NODE_TYPES.FunctionDeclaration:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.ClassDeclaration:
    case AST_NODE_TYPES.ClassExpression:
      return;
    case AST_NODE_TYPES.AwaitExpression:
      reportExitFinding(scan, node, { messageId: 'await' });
      return;
    case AST_NODE_TYPES.ForOfStatement:
      if (node.await) {
        reportExitFinding(scan, node, { messageId: 'await' });
        return;
      }
      break;
    case AST_NODE_TYPES.VariableDeclaration:
      if (node.kind === 'await using') {
        reportExitFinding(scan, node, { messageId: 'await' });
        return;
      }
      break;
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      exitCall(scan, node);
      return;
    default:
      break;
  }
  for (const child of childNodes(node, scan.context.sourceCode.visitorKeys, { skipTypes: true })) walkExit(scan, child);
}

function exitCall(scan: Scan, call: TSESTree.CallExpression | TSESTree.NewExpression): void {
  const local = call.type === AST_NODE_TYPES.CallExpression ? resolveLocalFunction(scan, call.callee) : undefined;
  const finding = classifyAsyncCall(scan, call, local);
  if (finding) {
    reportExitFinding(scan, call, finding);
    return;
  }
  if (local) examineExitFunction(scan, local);
  walkExit(scan, call.callee);
  const runsCallbacksNow = isIterationCall(scan, call);
  for (const argument of call.arguments) {
    const inner = skipWrappers(argument);
    if (runsCallbacksNow && isInlineFunction(inner)) examineExitFunction(scan, inner);
    else walkExit(scan, argument);
  }
}

/** Why a call inside an exit listener completes asynchronously, if it does. */
function classifyAsyncCall(
  scan: Scan,
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  local: FunctionNode | undefined,
): Finding | undefined {
  if (call.type === AST_NODE_TYPES.NewExpression) {
    return scan.services.returnsThenable(call) ? { messageId: 'promiseCall' } : undefined;
  }
  const timer = scan.services.timerName(call);
  if (timer !== undefined) return { messageId: 'timer', data: { name: timer } };
  const callee = skipWrappers(call.callee);
  if (local?.async && !isInlineFunction(callee)) {
    return { messageId: 'asyncLocalCall', data: { name: scan.context.sourceCode.getText(callee) } };
  }
  const builtin = builtinFinishingLater(scan, callee);
  if (builtin) return builtin;
  if (scan.services.returnsThenable(call)) return { messageId: 'promiseCall' };
  if (scan.services.passesCompletionCallback(call) || isFsCallbackFunction(scan, callee)) return { messageId: 'callbackCall' };
  return undefined;
}

/** `server.close()` on net/http servers and `end()` on writable streams and sockets. */
function builtinFinishingLater(scan: Scan, callee: TSESTree.Node): Finding | undefined {
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const name = memberNameOf(callee);
  if (name === 'close') {
    const owner = scan.services.ownerOf(callee.object);
    return owner && SERVER_OWNERS.has(owner.name) ? { messageId: 'serverClose', data: { type: owner.name } } : undefined;
  }
  if (name === 'end') {
    const stream = scan.services.writableBase(callee.object);
    if (stream === undefined) return undefined;
    return { messageId: 'streamEnd', data: { type: scan.services.ownerOf(callee.object)?.name ?? stream } };
  }
  return undefined;
}

/** Whether the call is an array/collection method of the lib that runs its callbacks before returning. */
function isIterationCall(scan: Scan, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || !ITERATION_METHODS.has(memberNameOf(callee) ?? '')) return false;
  return scan.services.isDefaultLibValue(callee);
}

function containsOwnAwait(scan: Scan, fn: FunctionNode): boolean {
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

// -----------------------------------------------------------------------------------------
// Reports and fixes inside exit listeners

function reportExitFinding(scan: Scan, node: TSESTree.Node, finding: Finding): void {
  if (scan.reported.has(node)) return;
  scan.reported.add(node);
  const twin = node.type === AST_NODE_TYPES.CallExpression && finding.messageId === 'callbackCall' ? syncTwinEdit(scan, node) : undefined;
  const { sourceCode } = scan.context;
  // Rewriting a helper that also runs outside exit handlers would make its other callers block
  // on synchronous I/O: only code that runs at exit alone gets the autofix (spec §4).
  if (twin && sourceCode.getCommentsInside(twin.statement).length === 0 && runsOnlyAtExit(scan, twin.statement)) {
    scan.context.report({ node, messageId: finding.messageId, data: finding.data, fix: fixer => fixer.replaceText(twin.statement, twin.text) });
    return;
  }
  const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
  if (twin) {
    suggest.push({
      messageId: 'useSyncTwin',
      data: { name: twin.name },
      fix: fixer => fixer.replaceText(twin.statement, twin.text),
    });
  }
  const statement = wholeStatementOf(node);
  if (statement) suggest.push({ messageId: 'removeCleanup', fix: fixer => fixer.removeRange(statementRemovalRange(scan.context.sourceCode, statement)) });
  scan.context.report({ node, messageId: finding.messageId, data: finding.data, suggest });
}

/**
 * Whether the code at `node` runs only inside exit listeners: its function is an inline exit
 * listener, an array callback in such code, or a function of this file that is not exported and
 * is only registered as an exit listener or called from code that runs only at exit.
 */
function runsOnlyAtExit(scan: Scan, node: TSESTree.Node, visiting = new Set<FunctionNode>()): boolean {
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
  if (!declaration || declaration.parent.type === AST_NODE_TYPES.ExportNamedDeclaration || declaration.parent.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
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
function syncTwinEdit(scan: Scan, call: TSESTree.CallExpression): SyncTwinEdit | undefined {
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

/** `fs.close(fd)` without its (optional) callback still completes in the thread pool, later. */
function isFsCallbackFunction(scan: Scan, callee: TSESTree.Node): boolean {
  if (callee.type !== AST_NODE_TYPES.Identifier && callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : memberNameOf(callee);
  // The local name of an aliased import may differ: the symbol check below uses the declared name.
  if (callee.type === AST_NODE_TYPES.MemberExpression && !SYNC_TWINS.has(name ?? '')) return false;
  return SYNC_TWINS.has(scan.services.nodeFsFunctionName(callee) ?? '');
}

/** The expression statement whose whole expression is `node` (through `void` and wrappers), in a block. */
function wholeStatementOf(node: TSESTree.Node): TSESTree.ExpressionStatement | undefined {
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

// -----------------------------------------------------------------------------------------
// Signal and uncaught-error handlers: process.exit() after a floating promise

function checkTerminatingHandler(scan: Scan, listener: Listener): void {
  const { fn } = listener;
  if (fn.generator || scan.terminatingHandlers.has(fn)) return;
  scan.terminatingHandlers.add(fn);
  const exits = processExitCalls(scan, fn);
  if (exits.length === 0) return;
  const result = analyzeFunction(fn, floatingAnalysis(scan, fn), scan.context.sourceCode.visitorKeys);
  for (const exit of exits) {
    const state = result.before(exit);
    if (state === undefined || state.size === 0) continue;
    const [only] = state;
    const statement = state.size === 1 ? only?.statement : undefined;
    const canAwait = statement !== undefined && only !== undefined && (fn.async || listener.inline);
    scan.context.report({
      node: exit,
      messageId: 'exitAbandonsPromise',
      suggest: canAwait
        ? [
            {
              messageId: 'awaitBeforeExit',
              fix: fixer => [
                ...(fn.async ? [] : [fixer.insertTextBefore(fn, 'async ')]),
                statement.expression.type === AST_NODE_TYPES.UnaryExpression
                  ? fixer.replaceText(statement.expression, `await ${scan.context.sourceCode.getText(statement.expression.argument)}`)
                  : fixer.insertTextBefore(only.call, 'await '),
              ],
            },
          ]
        : [],
    });
  }
}

/** `process.exit(…)` calls in the handler's own body (not in callbacks, which run later). */
function processExitCalls(scan: Scan, fn: FunctionNode): TSESTree.CallExpression[] {
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
function floatingAnalysis(scan: Scan, handler: FunctionNode): FlowAnalysis<ReadonlySet<Floating>> {
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

function floatingEntry(
  scan: Scan,
  handler: FunctionNode,
  call: TSESTree.CallExpression | TSESTree.NewExpression,
): Floating | undefined {
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
  const variable = ASTUtils.findVariable(scan.context.sourceCode.getScope(callee.object), callee.object.name);
  return variable === null || variable.defs.length === 0;
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

// -----------------------------------------------------------------------------------------
// Helpers

/** The nearest function around the node (not the node itself). */
function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current;
  }
  return undefined;
}

/** Where an async listener passed by name is declared: the function, method, field or variable. */
function declarationNodeOf(fn: FunctionNode): TSESTree.Node {
  const parent = fn.parent;
  switch (parent.type) {
    case AST_NODE_TYPES.MethodDefinition:
    case AST_NODE_TYPES.Property:
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.VariableDeclarator:
      return parent;
    default:
      return fn;
  }
}

/**
 * The function a callee or listener expression denotes when it is declared in this file: an
 * inline function, a function declaration, a `const` initialised with a function (or with
 * another such name), a method, or a property/field holding a function. Otherwise undefined.
 */
function resolveLocalFunction(scan: Scan, expression: TSESTree.Node, depth = 0): FunctionNode | undefined {
  const node = skipWrappers(expression);
  if (isInlineFunction(node)) return node;
  if (depth > 3) return undefined;
  if (node.type !== AST_NODE_TYPES.Identifier && (node.type !== AST_NODE_TYPES.MemberExpression || node.computed)) return undefined;
  const declarations = (scan.services.symbolOf(node)?.declarations ?? []).filter(
    declaration => !((ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) && !declaration.body),
  );
  const [declaration] = declarations;
  if (declarations.length !== 1 || !declaration || declaration.getSourceFile() !== scan.sourceFile) return undefined;
  let target: ts.Node | undefined;
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) target = declaration;
  else if (ts.isVariableDeclaration(declaration)) {
    if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
    target = declaration.initializer;
  } else if (ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) target = declaration.initializer;
  if (!target) return undefined;
  const mapped = scan.services.parserServices.tsNodeToESTreeNodeMap.get(target) as TSESTree.Node | undefined;
  if (!mapped) return undefined;
  if (mapped.type === AST_NODE_TYPES.FunctionDeclaration) return mapped;
  if ((mapped.type === AST_NODE_TYPES.MethodDefinition || mapped.type === AST_NODE_TYPES.Property) && isInlineFunction(mapped.value)) {
    return mapped.value;
  }
  if (isInlineFunction(mapped)) return mapped;
  if (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) {
    return resolveLocalFunction(scan, mapped, depth + 1);
  }
  return undefined;
}
