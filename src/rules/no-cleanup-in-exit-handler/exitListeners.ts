// no-cleanup-in-exit-handler: the walk of the code an exit listener runs (the listener, the local
// functions it calls, the callbacks of array methods), which finds each outermost expression that
// completes asynchronously and hands it to the rule's report.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { ARRAY_ITERATION_METHODS, memberNameOf } from '../../model/index.js';
import { childNodes, isInlineFunction, skipWrappers, type FunctionNode } from '../../util/ast.js';
import { resolveLocalFunction } from './registrations.js';
import type { Scan } from './scan.js';

export interface Finding {
  /** The rule's message for an asynchronous expression in an exit listener. */
  readonly messageId: 'await' | 'promiseCall' | 'asyncLocalCall' | 'timer' | 'callbackCall' | 'serverClose' | 'streamEnd';
  readonly data?: Record<string, string>;
}

/** Reports a finding in an exit listener (the rule's report, given to the walk). */
export type ReportExitFinding = (node: TSESTree.Node, finding: Finding) => void;

const SERVER_OWNERS = new Set(['net.Server', 'http.Server', 'https.Server', 'tls.Server', 'http2.Http2Server']);
/** `fs` callback functions whose synchronous twin takes the same arguments minus the callback. */
export const SYNC_TWINS: ReadonlyMap<string, string> = new Map([
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

/** The functions still to walk while an examination runs (per scan), with their reports. */
const queued = new WeakMap<Scan, Array<[FunctionNode, ReportExitFinding]>>();

/**
 * Examines a function that runs inside an exit listener (the listener itself or a function it
 * calls), once. The functions a walk reaches are queued, not walked inside it: a chain of
 * thousands of local functions calling the next one overflowed the stack.
 */
export function examineExitFunction(scan: Scan, fn: FunctionNode, report: ReportExitFinding): void {
  if (fn.generator || scan.exitBodies.has(fn)) return;
  scan.exitBodies.add(fn);
  const running = queued.get(scan);
  if (running) {
    running.push([fn, report]);
    return;
  }
  const work: Array<[FunctionNode, ReportExitFinding]> = [[fn, report]];
  queued.set(scan, work);
  try {
    for (let i = 0; i < work.length; i++) walkExit(scan, work[i]![0].body, work[i]![1]);
  } finally {
    queued.delete(scan);
  }
}

/** Reports each outermost asynchronous expression under `node`; nested functions are not entered. */
function walkExit(scan: Scan, node: TSESTree.Node, report: ReportExitFinding): void {
  switch (node.type) {
    case AST_NODE_TYPES.FunctionDeclaration:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.ClassDeclaration:
    case AST_NODE_TYPES.ClassExpression:
      return;
    case AST_NODE_TYPES.AwaitExpression:
      report(node, { messageId: 'await' });
      return;
    case AST_NODE_TYPES.ForOfStatement:
      if (node.await) {
        report(node, { messageId: 'await' });
        return;
      }
      break;
    case AST_NODE_TYPES.VariableDeclaration:
      if (node.kind === 'await using') {
        report(node, { messageId: 'await' });
        return;
      }
      break;
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      exitCall(scan, node, report);
      return;
    default:
      break;
  }
  for (const child of childNodes(node, scan.context.sourceCode.visitorKeys, { skipTypes: true })) walkExit(scan, child, report);
}

function exitCall(scan: Scan, call: TSESTree.CallExpression | TSESTree.NewExpression, report: ReportExitFinding): void {
  const local = call.type === AST_NODE_TYPES.CallExpression ? resolveLocalFunction(scan, call.callee) : undefined;
  const finding = classifyAsyncCall(scan, call, local);
  if (finding) {
    report(call, finding);
    return;
  }
  if (local) examineExitFunction(scan, local, report);
  walkExit(scan, call.callee, report);
  const runsCallbacksNow = isIterationCall(scan, call);
  for (const argument of call.arguments) {
    const inner = skipWrappers(argument);
    if (runsCallbacksNow && isInlineFunction(inner)) examineExitFunction(scan, inner, report);
    else walkExit(scan, argument, report);
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
export function isIterationCall(scan: Scan, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || !ARRAY_ITERATION_METHODS.has(memberNameOf(callee) ?? '')) return false;
  return scan.services.isDefaultLibValue(callee);
}

/** `fs.close(fd)` without its (optional) callback still completes in the thread pool, later. */
function isFsCallbackFunction(scan: Scan, callee: TSESTree.Node): boolean {
  if (callee.type !== AST_NODE_TYPES.Identifier && callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : memberNameOf(callee);
  // The local name of an aliased import may differ: the symbol check below uses the declared name.
  if (callee.type === AST_NODE_TYPES.MemberExpression && !SYNC_TWINS.has(name ?? '')) return false;
  return SYNC_TWINS.has(scan.services.nodeFsFunctionName(callee) ?? '');
}
