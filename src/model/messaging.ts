import type { TSESTree } from '@typescript-eslint/utils';
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import type { NativeHandleServices } from './services.js';
import type { Owner } from './owners.js';
import { NODE_BROADCAST_CHANNEL } from './builtins.js';
import { skipWrappers } from '../util/ast.js';

/**
 * Sending values to other threads (docs/rules/no-handle-adoption.md): which receivers' `postMessage` crosses a thread
 * boundary, and which owners a transfer list can move there.
 */

/** What a `postMessage` receiver is: a `Worker`, a `MessagePort`, or a `BroadcastChannel` (no transfer list). */
export type MessageTarget = 'Worker' | 'MessagePort' | 'BroadcastChannel';

/** The built-in owners (by the model's name for them) whose `postMessage` sends to another thread. */
const THREAD_ENDPOINTS: ReadonlyMap<string, MessageTarget> = new Map([
  ['worker_threads.Worker', 'Worker'],
  ['worker_threads.MessagePort', 'MessagePort'],
]);

/** The built-in owners that `@types/node` lists in `Transferable` (a transfer list moves them to the receiver). */
const TRANSFERABLE_OWNERS: ReadonlySet<string> = new Set(['FileHandle', 'worker_threads.MessagePort']);

/** How many base classes {@link isBroadcastChannelType} walks up. */
const MAX_BASES = 16;

/**
 * The kind of thread endpoint `receiver` is (the object of `receiver.postMessage(…)`): a
 * `worker_threads` `Worker` or `MessagePort` (owners of the model, subclasses and `| null`
 * included), or a `BroadcastChannel`. Undefined for anything else and for unknown types.
 */
export function messageTargetOf(services: NativeHandleServices, receiver: TSESTree.Node): MessageTarget | undefined {
  const owner = services.ownerOf(skipWrappers(receiver));
  if (owner) return owner.source === 'builtin' ? THREAD_ENDPOINTS.get(owner.name) : undefined;
  return isBroadcastChannelType(services, services.typeOf(skipWrappers(receiver))) ? 'BroadcastChannel' : undefined;
}

/** Whether a transfer list can move this owner to another thread (`FileHandle`, `MessagePort`). */
export function isTransferableOwner(owner: Owner): boolean {
  return owner.source === 'builtin' && TRANSFERABLE_OWNERS.has(owner.name);
}

/**
 * Whether the expression's type may be listed in the transfer list of this `postMessage` call,
 * as its resolved signature declares it (`readonly Transferable[]` in `@types/node`): so that a
 * fix adding it there type-checks (`FileHandle | undefined` may not be listed).
 */
export function transferListAccepts(services: NativeHandleServices, call: TSESTree.CallExpression, value: TSESTree.Node): boolean {
  const checker = services.checker;
  // A callee of one non-generic signature (`Worker#postMessage`): that signature, read from its
  // declared type. Resolving the call checks the message, which in a long function walks the
  // control flow back from every value in it.
  const signatures = services.declaredTypeOf(call.callee).getCallSignatures();
  const only = signatures.length === 1 && !signatures[0]!.getTypeParameters()?.length ? signatures[0] : undefined;
  const signature = only ?? checker.getResolvedSignature(services.tsNodeOf(call) as ts.CallExpression);
  const parameter = signature?.getParameters()[1];
  if (!parameter) return false;
  const listType = checker.getNonNullableType(checker.getTypeOfSymbol(parameter));
  if (!checker.isArrayType(listType)) return false;
  const element = checker.getTypeArguments(listType as ts.TypeReference)[0];
  return element !== undefined && checker.isTypeAssignableTo(services.typeOf(value), element);
}

/**
 * Whether the type is `worker_threads`' `BroadcastChannel` (the global one too), a subclass of
 * it, or a union whose non-nullish members all are. `any`/`unknown` are not.
 */
export function isBroadcastChannelType(services: NativeHandleServices, type: ts.Type): boolean {
  const checker = services.checker;
  if (tsutils.isTypeFlagSet(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return false;
  const parts = tsutils.unionConstituents(checker.getNonNullableType(type));
  return (
    parts.length > 0 &&
    parts.every(part => classChain(checker, part).some(candidate => services.model.node.typeIs(candidate, NODE_BROADCAST_CHANNEL)))
  );
}

/** The type and the classes or interfaces it extends, nearest first. */
function classChain(checker: ts.TypeChecker, type: ts.Type): ts.Type[] {
  const chain = [type];
  for (let index = 0; index < chain.length && chain.length < MAX_BASES; index++) {
    const current = chain[index]!;
    const target = tsutils.isTypeReference(current) ? current.target : current;
    if (!tsutils.isObjectType(target) || !tsutils.isObjectFlagSet(target, ts.ObjectFlags.ClassOrInterface)) continue;
    for (const base of checker.getBaseTypes(target as ts.InterfaceType)) if (!chain.includes(base)) chain.push(base);
  }
  return chain;
}
