import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import { BUILTIN_OWNERS, COMPLETION_WAITERS, CONVENTIONAL_CLOSE } from './builtins.js';
import type { NativeHandleServices } from './services.js';
import type { Owner, ResourceModel } from './owners.js';
import { PACKAGE_OWNERS, isPackageTeardownSafe, packageReopener } from './packages.js';
import { declarationHasTag, nodesWithTagText } from './tags.js';

/**
 * What an owner's members do once it is closed (docs/rules/no-use-after-close.md, `no-use-after-close`): which calls
 * may be close-role calls (a syntactic pre-filter), which calls on a closed owner are harmless,
 * which ones bring it back to life, and which parameters take an owner.
 */

const closeNameCache = new WeakMap<ResourceModel, ReadonlySet<string>>();

/**
 * Every member name that may be a close role of some owner, known without looking at a type:
 * the built-ins', the conventional names tagged and configured owners get, those configured in
 * settings, and the names of members tagged `@close` anywhere in the program (found once per
 * model, by a text search for the tag before any syntax tree is walked).
 */
export function closeRoleNames(model: ResourceModel): ReadonlySet<string> {
  let names = closeNameCache.get(model);
  if (!names) {
    const set = new Set<string>(CONVENTIONAL_CLOSE);
    for (const spec of [...BUILTIN_OWNERS, ...PACKAGE_OWNERS]) for (const name of spec.roles.close ?? []) set.add(name);
    for (const resource of model.settings.resources) for (const name of resource.roles.close ?? []) set.add(name);
    for (const file of model.program.getSourceFiles()) addTaggedCloseNames(model, file, set);
    names = set;
    closeNameCache.set(model, names);
  }
  return names;
}

function addTaggedCloseNames(model: ResourceModel, file: ts.SourceFile, names: Set<string>): void {
  for (const node of nodesWithTagText(file, 'close')) {
    if (!(ts.isClassElement(node) || ts.isTypeElement(node)) || !node.name) continue;
    const name = memberDeclarationName(node.name);
    if (name !== undefined && declarationHasTag(node, 'close', model.checker)) names.add(name);
  }
}

/** The model's name for a declared member: `close`, `#close`, `[Symbol.dispose]`. */
function memberDeclarationName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  const key = ts.isComputedPropertyName(name) ? name.expression : undefined;
  if (key && ts.isPropertyAccessExpression(key) && ts.isIdentifier(key.expression) && key.expression.text === 'Symbol') {
    return `[Symbol.${key.name.text}]`;
  }
  return undefined;
}

/**
 * Whether a called member name may be a close-role call on some owner (`close`, `destroy`,
 * `closeSync` as the synchronous twin of `close`, a configured close name): the syntax test
 * before the type question.
 */
export function mayBeCloseName(model: ResourceModel, name: string | undefined): boolean {
  if (name === undefined) return false;
  const names = closeRoleNames(model);
  if (names.has(name)) return true;
  const base = /^(.+)Sync$/.exec(name)?.[1];
  return base !== undefined && names.has(base);
}

/** `EventEmitter` members: they manage listeners, never the native resource. */
const EMITTER_MEMBERS = new Set([
  'on',
  'once',
  'off',
  'addListener',
  'prependListener',
  'prependOnceListener',
  'removeListener',
  'removeAllListeners',
  'emit',
  'listeners',
  'rawListeners',
  'listenerCount',
  'eventNames',
  'setMaxListeners',
  'getMaxListeners',
]);

/** Members every object has (`Object.prototype`). */
const OBJECT_MEMBERS = new Set([
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toJSON',
]);

/**
 * Members of Node's owners that do nothing harmful on a closed owner: `ref()`/`unref()` (only
 * event-loop bookkeeping; not when the owner gives them an `addRef`/`release` role),
 * `destroySoon()` (a close of its own), and what a server still offers once it stopped
 * listening (`closeIdleConnections()`, `getConnections()`). Matched by name on any owner, for
 * `no-use-after-close`; {@link TEARDOWN_SAFE} below is the per-type list of docs/resource-model.md#uses-and-teardown that
 * `require-lifetime-guard` asks too, and `isHarmlessAfterClose` consults both.
 */
const HARMLESS_AFTER_CLOSE = new Set(['ref', 'unref', 'destroySoon', 'closeIdleConnections', 'getConnections']);

/**
 * Whether calling member `name` of a closed owner is harmless, so not a use (docs/rules/no-use-after-close.md):
 * listener registration and removal (and the rest of the `EventEmitter` API), `Object.prototype`
 * members, the bookkeeping members above, and `end()` without data: after `destroy()` it does
 * nothing (only a callback it is given learns `ERR_STREAM_DESTROYED`). `end(data)` is a use: the
 * data is dropped.
 */
export function isHarmlessAfterClose(model: ResourceModel, owner: Owner, name: string, call: TSESTree.CallExpression): boolean {
  if (model.hasRole(owner, 'addRef', name) || model.hasRole(owner, 'release', name)) return false;
  if (EMITTER_MEMBERS.has(name) || OBJECT_MEMBERS.has(name) || HARMLESS_AFTER_CLOSE.has(name)) return true;
  if (name === 'end') return call.arguments.every(isInlineCallback);
  return isTeardownSafeCall(owner, name, call.arguments.length);
}

/**
 * Calls Node documents as harmless on a closed or destroyed built-in owner (docs/resource-model.md#uses-and-teardown), by owner:
 * `ref`/`unref` only flip whether the handle keeps the loop alive, `setTimeout` on a socket only
 * arms a timer, `end()` with no data on a destroyed stream does nothing (see the rule docs).
 */
const TEARDOWN_SAFE: Readonly<Record<string, readonly string[]>> = {
  'net.Socket': ['ref', 'unref', 'setTimeout', 'end'],
  'tls.TLSSocket': ['ref', 'unref', 'setTimeout', 'end'],
  'fs.ReadStream': ['end'],
  'fs.WriteStream': ['end'],
  'net.Server': ['ref', 'unref'],
  'tls.Server': ['ref', 'unref'],
  'http.Server': ['ref', 'unref'],
  'https.Server': ['ref', 'unref'],
  'http2.Http2Server': ['ref', 'unref'],
  'http2.Http2Session': ['ref', 'unref', 'setTimeout'],
  'dgram.Socket': ['ref', 'unref'],
  'fs.FSWatcher': ['ref', 'unref'],
  'worker_threads.Worker': ['ref', 'unref'],
  'worker_threads.MessagePort': ['ref', 'unref'],
  'child_process.ChildProcess': ['ref', 'unref'],
};

/** Whether `owner.<name>(…)` with this many arguments is a teardown-safe call (docs/resource-model.md#uses-and-teardown): no use. `end()` counts only without data. */
export function isTeardownSafeCall(owner: Owner, name: string | undefined, argumentCount: number): boolean {
  if (owner.source !== 'builtin' || name === undefined) return false;
  if (owner.nativePackage !== undefined) return isPackageTeardownSafe(owner.name, name);
  if (!TEARDOWN_SAFE[owner.name]?.includes(name)) return false;
  return name !== 'end' || argumentCount === 0;
}

function isInlineCallback(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.ArrowFunctionExpression || node.type === AST_NODE_TYPES.FunctionExpression;
}

/**
 * Built-in owners that a member call opens again after a close: a server can `listen()` again, a
 * `net.Socket` can `connect()` again (and the package owners' `reopen`, src/model/packages.ts).
 */
const REOPENERS: Readonly<Record<string, string>> = {
  'net.Server': 'listen',
  'http.Server': 'listen',
  'https.Server': 'listen',
  'tls.Server': 'listen',
  'http2.Http2Server': 'listen',
  'net.Socket': 'connect',
};

/** Whether calling member `name` opens the (closed) owner again, like giving the variable a new owner. */
export function reopensOwner(owner: Owner, name: string): boolean {
  return owner.source === 'builtin' && (REOPENERS[owner.name] ?? packageReopener(owner.name)) === name;
}

/**
 * Whether the callee is `events.once`/`events.on`, `stream.finished` or `stream/promises`
 * `finished` (matched by declaration in `@types/node`, through import aliases).
 */
export function isCompletionWaiter(services: NativeHandleServices, callee: TSESTree.Node): boolean {
  const symbol = services.model.symbolOf(services.tsNodeOf(callee));
  if (!symbol) return false;
  return COMPLETION_WAITERS.some(waiter => services.model.node.symbolIs(symbol, waiter, true));
}

/**
 * The owner the declared type of the parameter that receives argument `index` of a call or
 * `new` denotes (as written in the signature, not instantiated: an unconstrained `T` is not an
 * owner). Undefined when there is no such parameter, it is a rest parameter, or its type is not
 * an owner (or unknown).
 */
export function ownerParameterAt(
  services: NativeHandleServices,
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  index: number,
): Owner | undefined {
  const tsCall = services.tsNodeOf(call) as ts.CallExpression | ts.NewExpression;
  // A signature built from a union of signatures has no declaration (at run time, despite its type).
  const declaration: ts.SignatureDeclaration | undefined = services.checker.getResolvedSignature(tsCall)?.getDeclaration();
  const parameters = declaration?.parameters ?? [];
  const first = parameters[0];
  const offset = first && ts.isIdentifier(first.name) && first.name.text === 'this' ? 1 : 0;
  const parameter = parameters[index + offset];
  if (!parameter || parameter.dotDotDotToken) return undefined;
  return services.model.ownerOfType(services.checker.getTypeAtLocation(parameter));
}

/** The fields a method may assign: their names, or `'all'` when the rule cannot tell. */
export type AssignedFields = ReadonlySet<string> | 'all';

const assignedByBody = new WeakMap<ts.Node, AssignedFields>();
const MAX_METHOD_DEPTH = 4;
const NONE: AssignedFields = new Set();

/**
 * The fields of `this` that calling the method `this.m(…)` / `super.m(…)` names may give a new
 * value: those its body assigns (`this.fh = …`, following the `this`/`super` methods it calls, a
 * few levels deep). A method declared only in a declaration file assigns none (it cannot know the
 * class's fields); a method the checker cannot resolve, an abstract one, or a computed
 * assignment (`this[key] = …`) may assign any.
 */
export function fieldsAssignedByMethod(model: ResourceModel, callee: ts.Node): AssignedFields {
  // `this.m` from the class's declared type: checking the expression would walk the control flow
  // back from it, at every such call of a long method.
  return fieldsAssignedBySymbol(model.checker, thisMemberSymbol(model, callee) ?? model.symbolOf(callee), 0);
}

function fieldsAssignedBySymbol(checker: ts.TypeChecker, symbol: ts.Symbol | undefined, depth: number): AssignedFields {
  if (!symbol?.declarations || symbol.declarations.length === 0) return 'all';
  return unite(symbol.declarations.map(declaration => fieldsAssignedByDeclaration(checker, declaration, depth)));
}

function fieldsAssignedByDeclaration(checker: ts.TypeChecker, declaration: ts.Declaration, depth: number): AssignedFields {
  if (declaration.getSourceFile().isDeclarationFile) return NONE;
  const body = ts.isPropertyDeclaration(declaration)
    ? declaration.initializer
    : ts.isFunctionLike(declaration)
      ? (declaration as ts.FunctionLikeDeclaration).body
      : undefined;
  if (!body) return ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration) ? NONE : 'all';
  const cached = assignedByBody.get(body);
  if (cached !== undefined) return cached;
  assignedByBody.set(body, NONE); // a method that calls itself adds nothing
  const found = fieldsAssignedInBody(checker, body, depth);
  assignedByBody.set(body, found);
  return found;
}

function fieldsAssignedInBody(checker: ts.TypeChecker, body: ts.Node, depth: number): AssignedFields {
  const isThis = (node: ts.Expression): boolean => node.kind === ts.SyntaxKind.ThisKeyword || node.kind === ts.SyntaxKind.SuperKeyword;
  const parts: AssignedFields[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    ) {
      const target = node.left;
      if (ts.isPropertyAccessExpression(target) && isThis(target.expression)) parts.push(new Set([target.name.text]));
      else if (ts.isElementAccessExpression(target) && isThis(target.expression)) parts.push('all');
      else if (ts.isObjectLiteralExpression(target) || ts.isArrayLiteralExpression(target)) parts.push(destructuredThisFields(target));
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && isThis(node.expression.expression)) {
      parts.push(
        depth >= MAX_METHOD_DEPTH ? 'all' : fieldsAssignedBySymbol(checker, checker.getSymbolAtLocation(node.expression.name), depth + 1),
      );
    }
    node.forEachChild(visit);
  };
  visit(body);
  return unite(parts);
}

/** `[this.a, this.b] = …`, `({ x: this.a } = …)`: any `this` member in the pattern counts as all (rare; kept simple). */
function destructuredThisFields(pattern: ts.Node): AssignedFields {
  const hasThisMember = (node: ts.Node): boolean =>
    ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && node.expression.kind === ts.SyntaxKind.ThisKeyword) ||
    (node.forEachChild(hasThisMember) ?? false);
  return hasThisMember(pattern) ? 'all' : NONE;
}

function unite(parts: readonly AssignedFields[]): AssignedFields {
  if (parts.includes('all')) return 'all';
  const names = new Set<string>();
  for (const part of parts) for (const name of part as ReadonlySet<string>) names.add(name);
  return names.size === 0 ? NONE : names;
}

/** Whether a member access (`this.sock`) names an accessor: a getter may return another object on every read. */
export function isAccessorMember(model: ResourceModel, member: ts.Node): boolean {
  const symbol = thisMemberSymbol(model, member) ?? model.symbolOf(member);
  return symbol !== undefined && (symbol.flags & ts.SymbolFlags.GetAccessor) !== 0;
}

/**
 * `this.name` in a member of a named class: the property of the class's declared type, without
 * checking the expression (which narrows `this.name` by walking the control flow back from it).
 */
function thisMemberSymbol(model: ResourceModel, member: ts.Node): ts.Symbol | undefined {
  if (!ts.isPropertyAccessExpression(member) || member.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  if (!ts.isIdentifier(member.name)) return undefined;
  let container: ts.Node = member.parent;
  while (
    !ts.isSourceFile(container) &&
    (ts.isArrowFunction(container) ||
      !(ts.isFunctionLike(container) || ts.isClassStaticBlockDeclaration(container) || ts.isPropertyDeclaration(container)))
  ) {
    container = container.parent;
  }
  const isInstanceMember =
    (ts.isMethodDeclaration(container) ||
      ts.isConstructorDeclaration(container) ||
      ts.isGetAccessor(container) ||
      ts.isSetAccessor(container) ||
      ts.isPropertyDeclaration(container)) &&
    !tsutils.includesModifier(ts.getModifiers(container), ts.SyntaxKind.StaticKeyword);
  const declaration = container.parent;
  if (!isInstanceMember || !ts.isClassLike(declaration) || !declaration.name) return undefined;
  const classSymbol = model.checker.getSymbolAtLocation(declaration.name);
  return classSymbol && model.checker.getPropertyOfType(model.checker.getDeclaredTypeOfSymbol(classSymbol), member.name.text);
}
