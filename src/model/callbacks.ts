import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isFunction, skipWrappers } from '../util/ast.js';
import type { NativeHandleServices } from './services.js';
import { memberNameOf } from './names.js';
import { TIMER_FUNCTIONS } from './values.js';

/**
 * When a function passed to a call runs, relative to that call:
 * - `now`: before the call returns (an IIFE, the `new Promise` executor, the callback of a
 *   string's or a collection's `forEach`/`map`/`replace`/`from`…); never for an async function
 *   or a generator, whose body goes on after the call returns;
 * - `later`: after the current code has run (`via` a timer, `process.nextTick`, a listener
 *   registration `on`/`once`/`addEventListener`…, or `then`/`catch`/`finally` on a thenable).
 */
export type CallbackTiming =
  | { readonly when: 'now' }
  | {
      readonly when: 'later';
      readonly via: 'timer' | 'nextTick' | 'listener' | 'promise';
      /** The call the function is an argument of. */
      readonly call: TSESTree.CallExpression;
    };

/** Callback-taking methods of arrays that call their callback for each element before they return. */
export const ARRAY_ITERATION_METHODS: ReadonlySet<string> = new Set([
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

/** Callback-taking methods of strings and collections that call their callback before they return. */
const SYNC_CALLBACK_METHODS: ReadonlySet<string> = new Set([
  ...ARRAY_ITERATION_METHODS,
  'sort',
  'toSorted',
  'replace',
  'replaceAll',
  'from',
]);
/** Methods that register a listener, called when an event fires. */
export const LISTENER_METHODS: ReadonlySet<string> = new Set([
  'on',
  'once',
  'addListener',
  'addEventListener',
  'prependListener',
  'prependOnceListener',
]);
const PROMISE_CALLBACKS = new Set(['then', 'catch', 'finally']);
const NOW: CallbackTiming = { when: 'now' };

/** The services {@link callbackTiming} asks. */
export type CallbackServices = Pick<NativeHandleServices, 'model' | 'tsNodeOf' | 'typeOf' | 'isProcess' | 'returnsThenable'>;

/**
 * When the function runs relative to the call it is passed to (see {@link CallbackTiming}), or
 * undefined when it is not a function passed to (or called by) a call, or the call is unknown.
 * Timers are `setTimeout`… called by that name and declared in a declaration file, or any
 * `x.setTimeout(…)`; listeners are recognised by the method's name alone.
 */
export function callbackTiming(services: CallbackServices, fn: TSESTree.Node): CallbackTiming | undefined {
  if (!isFunction(fn)) return undefined;
  const call = fn.parent;
  if (call.type !== AST_NODE_TYPES.CallExpression && call.type !== AST_NODE_TYPES.NewExpression) return undefined;
  const runsOn = fn.async || fn.generator ? undefined : NOW;
  if (call.callee === fn) return runsOn;
  if (!call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return undefined;
  const callee = skipWrappers(call.callee);
  if (call.type === AST_NODE_TYPES.NewExpression) {
    return callee.type === AST_NODE_TYPES.Identifier && callee.name === 'Promise' ? runsOn : undefined;
  }
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const isTimer = TIMER_FUNCTIONS.has(callee.name) && services.model.isDeclaredValue(services.tsNodeOf(callee));
    return isTimer ? { when: 'later', via: 'timer', call } : undefined;
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const name = memberNameOf(callee);
  if (name === undefined) return undefined;
  if (SYNC_CALLBACK_METHODS.has(name))
    return runsOn && services.model.isCollectionType(services.typeOf(callee.object)) ? runsOn : undefined;
  if (TIMER_FUNCTIONS.has(name)) return { when: 'later', via: 'timer', call };
  if (name === 'nextTick') return services.isProcess(callee.object) ? { when: 'later', via: 'nextTick', call } : undefined;
  if (LISTENER_METHODS.has(name)) return { when: 'later', via: 'listener', call };
  if (PROMISE_CALLBACKS.has(name) && services.returnsThenable(callee.object)) return { when: 'later', via: 'promise', call };
  return undefined;
}
