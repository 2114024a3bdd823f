import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import { isFunction, skipWrappers, walk, type FunctionNode } from '../util/ast.js';
import { CONVENTIONAL_CLOSE } from './builtins.js';
import type { NativeHandleServices } from './services.js';
import { calleeMember, memberNameOf, propertyKeyName } from './names.js';
import type { Owner } from './owners.js';
import { rawHandleSource } from './rawHandles.js';

/**
 * What `require-unregister` (docs/rules/require-unregister.md) asks of the model: the registrations that keep a
 * resource reachable or release it later (`FinalizationRegistry#register`, `'abort'` listeners
 * on an `AbortSignal`, `setInterval`), what undoes them, and the close path of a class.
 * Types are matched by their declarations in the default lib or `@types/node`, never by name
 * alone: a user's own `FinalizationRegistry` class or `clearInterval` function is not one.
 */

type ClassLike = TSESTree.ClassDeclaration | TSESTree.ClassExpression;
type SourceCode = Readonly<TSESLint.SourceCode>;

/** Whether the value is a `FinalizationRegistry` of the default lib. */
export function isFinalizationRegistry(services: NativeHandleServices, node: TSESTree.Node): boolean {
  return isLibType(services, services.typeIgnoringNullishOf(node), 'FinalizationRegistry');
}

/** Whether the value is an `AbortSignal` (the lib's or `@types/node`'s global). */
export function isAbortSignal(services: NativeHandleServices, node: TSESTree.Node): boolean {
  return isLibType(services, services.typeIgnoringNullishOf(node), 'AbortSignal');
}

/** Whether the value is an `AbortController` (the lib's or `@types/node`'s global). */
export function isAbortController(services: NativeHandleServices, node: TSESTree.Node): boolean {
  return isLibType(services, services.typeOf(node), 'AbortController');
}

/** Whether the value is a Node timer object (`NodeJS.Timeout`, what `setInterval` returns). */
export function isNodeTimeout(services: NativeHandleServices, node: TSESTree.Node): boolean {
  return isLibType(services, services.typeOf(node), 'Timeout');
}

/** `registry.register(…)` / `registry.unregister(…)` on a `FinalizationRegistry`. */
export interface RegistryCall {
  readonly method: 'register' | 'unregister';
  /** The registry expression (`registry` in `registry.register(…)`). */
  readonly registry: TSESTree.Expression;
}

/** For a `register`/`unregister` call of a `FinalizationRegistry`: which, and on what registry. */
export function registryCall(services: NativeHandleServices, call: TSESTree.CallExpression): RegistryCall | undefined {
  const member = calleeMember(call);
  const method = member && memberNameOf(member);
  if (method !== 'register' && method !== 'unregister') return undefined;
  if (member!.object.type === AST_NODE_TYPES.Super || !isFinalizationRegistry(services, member!.object)) return undefined;
  return { method, registry: member!.object };
}

/** `signal.addEventListener('abort', listener, options?)` / `removeEventListener(…)` on an `AbortSignal`. */
export interface AbortListenerCall {
  readonly method: 'add' | 'remove';
  readonly signal: TSESTree.Expression;
  readonly listener: TSESTree.Node | undefined;
  readonly options: TSESTree.Node | undefined;
}

/** For `addEventListener('abort', …)` / `removeEventListener('abort', …)` on an `AbortSignal`: its parts. */
export function abortListenerCall(services: NativeHandleServices, call: TSESTree.CallExpression): AbortListenerCall | undefined {
  const member = calleeMember(call);
  const name = member && memberNameOf(member);
  if (name !== 'addEventListener' && name !== 'removeEventListener') return undefined;
  const [event, listener, options] = call.arguments;
  if (!event || staticString(event) !== 'abort' || call.arguments.some(arg => arg.type === AST_NODE_TYPES.SpreadElement)) return undefined;
  if (member!.object.type === AST_NODE_TYPES.Super || !isAbortSignal(services, member!.object)) return undefined;
  return { method: name === 'addEventListener' ? 'add' : 'remove', signal: member!.object, listener, options };
}

/** Whether the call is the global `setInterval` (matched by symbol, also when imported from `timers` under another name). */
export function isSetIntervalCall(services: NativeHandleServices, call: TSESTree.CallExpression): boolean {
  return services.timerName(call) === 'setInterval';
}

/**
 * The timer a call stops: `x` in `clearInterval(x)` and `clearTimeout(x)` (Node clears an
 * interval with either; matched by symbol, so also under an imported alias), `x.close()` and `x[Symbol.dispose]()` on a
 * `NodeJS.Timeout`. `x.unref()` does not stop it. Undefined for any other call.
 */
export function clearedTimer(services: NativeHandleServices, call: TSESTree.CallExpression): TSESTree.Node | undefined {
  const callee = skipWrappers(call.callee);
  const member = calleeMember(call);
  const name = member && memberNameOf(member);
  if (member && (name === 'close' || name === '[Symbol.dispose]') && member.object.type !== AST_NODE_TYPES.Super) {
    return isNodeTimeout(services, member.object) ? member.object : undefined;
  }
  if (callee.type !== AST_NODE_TYPES.Identifier && name !== 'clearInterval' && name !== 'clearTimeout') return undefined;
  const arg = call.arguments[0];
  if (!arg || arg.type === AST_NODE_TYPES.SpreadElement) return undefined;
  return isTimerClearFunction(services, callee) ? arg : undefined;
}

/** Whether the expression is the global `clearInterval` or `clearTimeout` (matched by symbol, so also an imported alias): `forEach(clearInterval)`. */
export function isTimerClearFunction(services: NativeHandleServices, node: TSESTree.Node): boolean {
  const expression = skipWrappers(node);
  if (expression.type !== AST_NODE_TYPES.Identifier && expression.type !== AST_NODE_TYPES.MemberExpression) return false;
  const symbol = services.symbolOf(expression);
  const declarations = symbol?.declarations ?? [];
  const isClear = symbol !== undefined && TIMER_CLEARS.has(symbol.name);
  return isClear && declarations.length > 0 && declarations.every(declaration => isLibOrNodeDeclaration(services, declaration));
}

/** A lib `Array` (or `ReadonlyArray`), `Set` or `Map`, and whether its elements (values, for a map) are Node timers. */
export interface TimerCollection {
  readonly kind: 'array' | 'set' | 'map';
  readonly ofTimers: boolean;
}

/** The kind of collection the value is, when it is a lib `Array`, `Set` or `Map`: where a class may keep its intervals. */
export function timerCollection(services: NativeHandleServices, node: TSESTree.Node): TimerCollection | undefined {
  const type = services.checker.getNonNullableType(services.typeOf(node));
  if (tsutils.isTypeFlagSet(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never) || type.isUnion()) return undefined;
  const kind = services.checker.isArrayType(type)
    ? 'array'
    : isLibType(services, type, 'Set')
      ? 'set'
      : isLibType(services, type, 'Map')
        ? 'map'
        : undefined;
  if (kind === undefined) return undefined;
  const args = services.checker.getTypeArguments(type as ts.TypeReference);
  const element = kind === 'map' ? args[1] : args[0];
  return { kind, ofTimers: element !== undefined && isLibType(services, element, 'Timeout') };
}

/** The global functions that stop a timer (Node's `clearTimeout` stops an interval as well). */
const TIMER_CLEARS: ReadonlySet<string> = new Set(['clearInterval', 'clearTimeout']);

// -----------------------------------------------------------------------------------------
// Owner classes and their close path

/** A class seen as the owner of its registrations: its close-role methods and its close path. */
export interface ClassClosePath {
  /** The owner the class's own type is (tagged, configured, a subclass of a built-in, or an inferred owner class, docs/resource-model.md#ownership); undefined for other classes. */
  readonly owner: Owner | undefined;
  /** How messages name the class. */
  readonly name: string;
  /** The close-role methods declared in the class with a body, in source order. */
  readonly closeMethods: readonly TSESTree.MethodDefinition[];
  /** The bodies of the close-role methods and of the methods of the class they call on `this` (one level). */
  readonly functions: readonly FunctionNode[];
}

/**
 * The close path of a class: its close-role methods (the roles of its own type when it is an
 * owner, else the conventional close names) that are declared in the class with a body, and the
 * methods of the class they call on `this` (one level deep).
 */
export function classClosePath(services: NativeHandleServices, sourceCode: SourceCode, node: ClassLike): ClassClosePath {
  const owner = ownerOfClass(services, node);
  const closeNames: ReadonlySet<string> = owner?.roles.close ?? new Set(CONVENTIONAL_CLOSE);
  const methods = new Map<string, FunctionNode>();
  const closeMethods: TSESTree.MethodDefinition[] = [];
  const functions = new Set<FunctionNode>();
  for (const member of node.body.body) {
    if ((member.type !== AST_NODE_TYPES.MethodDefinition && member.type !== AST_NODE_TYPES.PropertyDefinition) || member.static) continue;
    const name = propertyKeyName(member.key, member.computed);
    const fn = member.value && skipWrappers(member.value);
    if (name === undefined || !fn || !isFunction(fn)) continue;
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind !== 'method') continue;
    methods.set(name, fn);
    if (member.type === AST_NODE_TYPES.MethodDefinition && closeNames.has(name)) {
      closeMethods.push(member);
      functions.add(fn);
    }
  }
  for (const fn of [...functions]) {
    walk(fn.body, sourceCode.visitorKeys, inner => {
      if (inner.type !== AST_NODE_TYPES.CallExpression) return;
      const member = calleeMember(inner);
      if (!member || skipWrappers(member.object).type !== AST_NODE_TYPES.ThisExpression) return;
      const called = methods.get(memberNameOf(member) ?? '');
      if (called) functions.add(called);
    });
  }
  const name = node.id?.name ?? owner?.name ?? 'class';
  return { owner, name, closeMethods, functions: [...functions] };
}

/** The owner the instances of a class are (its own type, through tags, settings, base types or docs/resource-model.md#ownership), if any. */
export function ownerOfClass(services: NativeHandleServices, node: ClassLike): Owner | undefined {
  const symbol = services.checker.getTypeAtLocation(services.tsNodeOf(node)).getSymbol();
  if (!symbol) return undefined;
  return services.model.ownerOfType(services.checker.getDeclaredTypeOfSymbol(symbol));
}

// -----------------------------------------------------------------------------------------
// Values that use an owner

/**
 * Whether evaluating the node (an expression, or a function's body) reads an owner or an
 * owner's raw handle: an identifier or member whose type is an owner, or a raw-handle read
 * ({@link rawHandleSource}). Object and array literals are looked into, functions too.
 */
export function usesOwner(services: NativeHandleServices, sourceCode: SourceCode, node: TSESTree.Node): boolean {
  return someNode(sourceCode, node, inner => {
    if (inner.type === AST_NODE_TYPES.MemberExpression || inner.type === AST_NODE_TYPES.CallExpression) {
      if (rawHandleSource(services, sourceCode, inner)) return true;
    }
    if (inner.type === AST_NODE_TYPES.Identifier && isValueReference(inner)) {
      return services.ownerOf(inner) !== undefined || rawHandleSource(services, sourceCode, inner) !== undefined;
    }
    if (inner.type === AST_NODE_TYPES.MemberExpression && skipWrappers(inner.object).type === AST_NODE_TYPES.ThisExpression) {
      return services.ownerOf(inner) !== undefined;
    }
    return false;
  });
}

/** Whether the node is or contains `this` of the enclosing code (not inside non-arrow functions and classes, the node itself included, where `this` is another value). */
export function mentionsThis(sourceCode: SourceCode, node: TSESTree.Node): boolean {
  return someNode(sourceCode, node, inner => inner.type === AST_NODE_TYPES.ThisExpression, { ownThis: true });
}

/**
 * Where an `AbortSignal` comes from, seen from the code that listens to it:
 * - `outside`: it outlives the listening code — a parameter (or a member of one: `opts.signal`,
 *   or an element of one: `for (const s of signals)`),
 *   a module-level variable, the signal of a module-level controller, or a field of the class set
 *   from a constructor parameter;
 * - `own`: the signal of a controller held by the class (`this.#ac.signal`) or created locally;
 * - `unknown`: anything else (calls, `AbortSignal.timeout()`, fields set elsewhere): stay quiet.
 */
export type SignalOrigin = 'outside' | 'own' | 'unknown';

/** Where an `AbortSignal` expression comes from (see {@link SignalOrigin}). */
export function signalOrigin(services: NativeHandleServices, sourceCode: SourceCode, node: TSESTree.Node): SignalOrigin {
  return originOf(services, sourceCode, skipWrappers(node), 0);
}

function originOf(services: NativeHandleServices, sourceCode: SourceCode, node: TSESTree.Node, depth: number): SignalOrigin {
  if (depth > 4) return 'unknown';
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(sourceCode.getScope(node), node.name);
    const def = variable?.defs[0];
    if (!variable || !def || variable.defs.length !== 1) return 'unknown';
    if (def.type === TSESLint.Scope.DefinitionType.Parameter) return 'outside';
    if (def.type !== TSESLint.Scope.DefinitionType.Variable) return 'unknown';
    if (isModuleLevel(variable)) return 'outside';
    const iterated = forOfIterable(def);
    if (iterated) return elementsOrigin(sourceCode, iterated);
    const writes = variable.references.filter(reference => reference.isWrite());
    const init = def.node.init;
    if (!init || writes.length !== 1 || def.node.id.type !== AST_NODE_TYPES.Identifier) return 'unknown';
    return originOf(services, sourceCode, skipWrappers(init), depth + 1);
  }
  if (node.type !== AST_NODE_TYPES.MemberExpression) return 'unknown';
  const object = skipWrappers(node.object);
  if (object.type === AST_NODE_TYPES.ThisExpression) return fieldOrigin(services, sourceCode, node, depth);
  if (memberNameOf(node) === 'signal' && isAbortController(services, object)) {
    // The signal of a controller: the class's own, or a local one; a module-level or passed-in one outlives us.
    if (object.type === AST_NODE_TYPES.MemberExpression && skipWrappers(object.object).type === AST_NODE_TYPES.ThisExpression) return 'own';
    if (object.type !== AST_NODE_TYPES.Identifier) return 'unknown';
    const controller = originOf(services, sourceCode, object, depth + 1);
    if (controller === 'outside') return 'outside';
    return isLocalNewController(sourceCode, object) ? 'own' : 'unknown';
  }
  // `opts.signal`, `options.abort.signal` read from a parameter or a module-level value.
  let root: TSESTree.Node = object;
  while (root.type === AST_NODE_TYPES.MemberExpression) root = skipWrappers(root.object);
  if (root.type !== AST_NODE_TYPES.Identifier) return 'unknown';
  const variable = ASTUtils.findVariable(sourceCode.getScope(root), root.name);
  const def = variable?.defs[0];
  if (def?.type === TSESLint.Scope.DefinitionType.Parameter) return 'outside';
  return variable && isModuleLevel(variable) ? 'outside' : 'unknown';
}

/** The iterable of `for (const x of iterable)` when the definition is that loop's `x` (a plain identifier). */
export function forOfIterable(def: TSESLint.Scope.Definition): TSESTree.Expression | undefined {
  if (def.type !== TSESLint.Scope.DefinitionType.Variable || def.node.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  const loop = def.parent.parent;
  return loop.type === AST_NODE_TYPES.ForOfStatement && loop.left === def.parent && def.parent.declarations.length === 1
    ? loop.right
    : undefined;
}

/** The signals a loop iterates: `outside` when they are the elements of a parameter or of a member of one (`signals`, `opts.signals`). */
function elementsOrigin(sourceCode: SourceCode, iterable: TSESTree.Expression): SignalOrigin {
  let root = skipWrappers(iterable);
  while (root.type === AST_NODE_TYPES.MemberExpression && !root.computed) root = skipWrappers(root.object);
  if (root.type !== AST_NODE_TYPES.Identifier) return 'unknown';
  const variable = ASTUtils.findVariable(sourceCode.getScope(root), root.name);
  return variable?.defs.length === 1 && variable.defs[0]!.type === TSESLint.Scope.DefinitionType.Parameter ? 'outside' : 'unknown';
}

/** `this.signal`: a parameter property, or a field initialised (in its declaration or the constructor) from something of known origin. */
function fieldOrigin(
  services: NativeHandleServices,
  sourceCode: SourceCode,
  member: TSESTree.MemberExpression,
  depth: number,
): SignalOrigin {
  const name = memberNameOf(member);
  const classNode = enclosingClass(member);
  if (name === undefined || !classNode) return 'unknown';
  const sources = fieldSourcesOf(sourceCode, classNode).get(name);
  if (!sources) return 'unknown';
  const origins: SignalOrigin[] = sources.values.map(value => originOf(services, sourceCode, skipWrappers(value), depth + 1));
  if (sources.parameterProperty) origins.push('outside');
  if (origins.length === 0) return 'unknown';
  return origins.every(origin => origin === origins[0]) ? origins[0]! : 'unknown';
}

/** What an instance field of a class is set from: initialisers and constructor assignments `this.f = v`, and whether a constructor parameter property declares it. */
interface FieldSources {
  readonly values: TSESTree.Expression[];
  parameterProperty: boolean;
}

const fieldSourcesByClass = new WeakMap<ClassLike, ReadonlyMap<string, FieldSources>>();

/**
 * Per class, by field name, what its instance fields are set from (see {@link fieldOrigin}), read in
 * one pass over the class and its constructors: a class of n listeners on `this.signal` asked it
 * n times, and each pass was as long as the class (n² in all).
 */
function fieldSourcesOf(sourceCode: SourceCode, classNode: ClassLike): ReadonlyMap<string, FieldSources> {
  const cached = fieldSourcesByClass.get(classNode);
  if (cached) return cached;
  const byName = new Map<string, FieldSources>();
  const entry = (name: string): FieldSources => {
    let sources = byName.get(name);
    if (!sources) {
      sources = { values: [], parameterProperty: false };
      byName.set(name, sources);
    }
    return sources;
  };
  for (const element of classNode.body.body) {
    if (element.type === AST_NODE_TYPES.PropertyDefinition && !element.static && element.value) {
      const name = propertyKeyName(element.key, element.computed);
      if (name !== undefined) entry(name).values.push(element.value);
    }
    if (element.type !== AST_NODE_TYPES.MethodDefinition || element.kind !== 'constructor') continue;
    for (const param of element.value.params) {
      if (param.type === AST_NODE_TYPES.TSParameterProperty) {
        const id = param.parameter.type === AST_NODE_TYPES.AssignmentPattern ? param.parameter.left : param.parameter;
        entry(id.name).parameterProperty = true;
      }
    }
    walk(element.value.body ?? element.value, sourceCode.visitorKeys, node => {
      if (
        node.type === AST_NODE_TYPES.AssignmentExpression &&
        node.operator === '=' &&
        node.left.type === AST_NODE_TYPES.MemberExpression &&
        skipWrappers(node.left.object).type === AST_NODE_TYPES.ThisExpression
      ) {
        const name = memberNameOf(node.left);
        if (name !== undefined) entry(name).values.push(node.right);
      }
    });
  }
  fieldSourcesByClass.set(classNode, byName);
  return byName;
}

function isLocalNewController(sourceCode: SourceCode, identifier: TSESTree.Identifier): boolean {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier.name);
  const def = variable?.defs[0];
  if (variable?.defs.length !== 1 || def?.type !== TSESLint.Scope.DefinitionType.Variable || isModuleLevel(variable)) return false;
  const init = def.node.init && skipWrappers(def.node.init);
  return init?.type === AST_NODE_TYPES.NewExpression;
}

function isModuleLevel(variable: TSESLint.Scope.Variable): boolean {
  return variable.scope.type === TSESLint.Scope.ScopeType.module || variable.scope.type === TSESLint.Scope.ScopeType.global;
}

/** The class whose body contains the node (the nearest one). */
function enclosingClass(node: TSESTree.Node): ClassLike | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassBody) return current.parent;
  }
  return undefined;
}

// -----------------------------------------------------------------------------------------
// Helpers

/** Whether the type (every non-nullish member of a union) is the lib's / `@types/node`'s type of that name. */
function isLibType(services: NativeHandleServices, type: ts.Type, name: string): boolean {
  if (tsutils.isTypeFlagSet(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return false;
  if (tsutils.isTypeFlagSet(type, ts.TypeFlags.TypeParameter)) {
    const constraint = services.checker.getBaseConstraintOfType(type);
    return constraint !== undefined && constraint !== type && isLibType(services, constraint, name);
  }
  const parts = tsutils
    .unionConstituents(type)
    .filter(part => !tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void));
  return (
    parts.length > 0 &&
    parts.every(part => {
      const symbol = part.getSymbol();
      const declarations = symbol?.declarations ?? [];
      return (
        symbol?.name === name && declarations.length > 0 && declarations.every(declaration => isLibOrNodeDeclaration(services, declaration))
      );
    })
  );
}

function isLibOrNodeDeclaration(services: NativeHandleServices, declaration: ts.Node): boolean {
  const file = declaration.getSourceFile();
  return (
    file.isDeclarationFile &&
    (services.model.program.isSourceFileDefaultLibrary(file) || services.model.node.isNodeTypesDeclaration(declaration))
  );
}

/** The value of a string literal or a template literal without substitutions. */
function staticString(node: TSESTree.Node): string | undefined {
  const expression = skipWrappers(node);
  if (expression.type === AST_NODE_TYPES.Literal && typeof expression.value === 'string') return expression.value;
  if (expression.type === AST_NODE_TYPES.TemplateLiteral && expression.expressions.length === 0)
    return expression.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** An identifier that reads a value (not a property name, a key, a declaration or a type). */
function isValueReference(identifier: TSESTree.Identifier): boolean {
  const parent = identifier.parent;
  switch (parent.type) {
    case AST_NODE_TYPES.MemberExpression:
      return parent.object === identifier || parent.computed;
    case AST_NODE_TYPES.Property:
      return parent.value === identifier && parent.parent.type === AST_NODE_TYPES.ObjectExpression;
    case AST_NODE_TYPES.VariableDeclarator:
      return parent.init === identifier;
    case AST_NODE_TYPES.MethodDefinition:
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.LabeledStatement:
    case AST_NODE_TYPES.BreakStatement:
    case AST_NODE_TYPES.ContinueStatement:
      return false;
    default:
      return !isFunction(parent) || parent.body === identifier;
  }
}

/** Whether the predicate holds for the node or one below it (type annotations left out); with `ownThis`, not in non-arrow functions and classes (the root included), where `this` is another value. */
function someNode(
  sourceCode: SourceCode,
  root: TSESTree.Node,
  predicate: (node: TSESTree.Node) => boolean,
  options: { readonly ownThis?: boolean } = {},
): boolean {
  let found = false;
  walk(
    root,
    sourceCode.visitorKeys,
    node => {
      if (!found && predicate(node)) found = true;
    },
    {
      skipTypes: true,
      skip: node =>
        found ||
        (options.ownThis === true &&
          (node.type === AST_NODE_TYPES.FunctionExpression ||
            node.type === AST_NODE_TYPES.FunctionDeclaration ||
            node.type === AST_NODE_TYPES.ClassDeclaration ||
            node.type === AST_NODE_TYPES.ClassExpression)),
    },
  );
  return found;
}
