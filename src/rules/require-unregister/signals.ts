// Abort listeners: which signal an expression denotes (through fields, aliases and loops), where
// a listener is removed, and what the options of `addEventListener` settle.

import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import {
  abortListenerCall,
  forOfIterable,
  memberNameOf,
  propertyKeyName,
  signalOrigin,
  type NativeHandleServices,
} from '../../model/index.js';
import { isFunction, isNullish, outerWrapper, skipWrappers, walk, type FunctionNode } from '../../util/ast.js';
import { type References, memberKey, referencesOf, rootOfKey } from '../../model/references.js';
import { thisClassOf, type ClassLike } from '../../model/util.js';
import { calleeName, isThis, isThisField, type SourceCode, type Undo } from './closeFacts.js';

/** What a field is set from: an expression, or the key of a parameter property's parameter. */
type FieldSource = TSESTree.Node | string;

/** The abort-listener removals of each function, and which signal a signal expression denotes (computed once per function and class). */
export class SignalAnalysis {
  private readonly functionRemovals = new Map<TSESTree.Node, readonly Undo[]>();
  private readonly fieldSources = new Map<ClassLike, ReadonlyMap<string, readonly FieldSource[]>>();

  constructor(
    private readonly services: NativeHandleServices,
    private readonly sourceCode: SourceCode,
    private readonly refs: References,
  ) {}

  /** The `removeEventListener('abort', …)` calls in a function (or the program), nested functions included. */
  removalsIn(fn: FunctionNode | TSESTree.Program): readonly Undo[] {
    let removals = this.functionRemovals.get(fn);
    if (!removals) {
      const found: Undo[] = [];
      const body = fn.type === AST_NODE_TYPES.Program ? fn : fn.body;
      walk(body, this.sourceCode.visitorKeys, node => {
        if (node.type !== AST_NODE_TYPES.CallExpression || calleeName(node) !== 'removeEventListener') return;
        const info = abortListenerCall(this.services, node);
        if (info?.method !== 'remove' || !info.listener) return;
        found.push({ call: node, target: this.refs.keyOf(info.signal), item: this.refs.keyOf(info.listener), signal: info.signal });
      });
      removals = found;
      this.functionRemovals.set(fn, removals);
    }
    return removals;
  }

  /**
   * Whether two signal expressions denote the same signal, by {@link signalKey}: `same`,
   * `different` (distinct paths from one root: `options.signal` and `options.parent`), or
   * `unknown` when they cannot be compared (different roots, or a key cannot be formed).
   */
  compareSignals(a: TSESTree.Node | undefined, b: TSESTree.Node): 'same' | 'different' | 'unknown' {
    const keyA = a && this.signalKey(a);
    const keyB = this.signalKey(b);
    if (keyA === undefined || keyB === undefined) return 'unknown';
    if (keyA === keyB) return 'same';
    return rootOfKey(keyA) === rootOfKey(keyB) ? 'different' : 'unknown';
  }

  /**
   * {@link References.keyOf} of a signal, seen through storage: a field of `this` set from one source in
   * the class (a parameter property, `this.#signal = options.signal`) is that source, and the
   * element of a `for…of` or `forEach` over `x` is `x[]`. Undefined for `this` members that are
   * not data fields of the class (accessors, inherited fields).
   */
  private signalKey(node: TSESTree.Node, depth = 0): string | undefined {
    if (depth > 4) return undefined;
    const expression = skipWrappers(node);
    if (expression.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberNameOf(expression);
      if (name === undefined) return undefined;
      if (isThis(expression.object)) {
        const classNode = thisClassOf(expression);
        return classNode && this.fieldKey(classNode, name, depth);
      }
      const object = this.signalKey(expression.object, depth);
      return object === undefined ? undefined : memberKey(object, name);
    }
    if (expression.type !== AST_NODE_TYPES.Identifier) return this.refs.keyOf(expression);
    const variable = this.refs.variableOf(expression);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    const iterated = def && (forOfIterable(def) ?? forEachReceiver(def));
    if (iterated) {
      const key = this.signalKey(iterated, depth + 1);
      return key === undefined ? undefined : `${key}[]`;
    }
    const alias = variable && this.refs.aliasOf(variable);
    const init = alias?.property === undefined ? alias?.source : undefined;
    return (init && this.signalKey(init, depth + 1)) ?? this.refs.keyOf(expression);
  }

  /** The key of `this.<name>`: its one source in the class when there is one with a key, else `this.<name>`; undefined when it is no data field of the class or is never set in it. */
  private fieldKey(classNode: ClassLike, name: string, depth: number): string | undefined {
    const sources = this.sourcesOf(classNode).get(name);
    if (sources === undefined || sources.length === 0) return undefined;
    const source = sources.length === 1 ? sources[0]! : undefined;
    const key = typeof source === 'string' ? source : source && this.signalKey(source, depth + 1);
    return key ?? memberKey('this', name);
  }

  /** The values each instance field of a class is set from: initializers, parameter properties (by key), and assignments to `this.<name>` anywhere in the class (`null`/`undefined` left out). */
  private sourcesOf(classNode: ClassLike): ReadonlyMap<string, readonly FieldSource[]> {
    let sources = this.fieldSources.get(classNode);
    if (sources) return sources;
    const found = new Map<string, FieldSource[]>();
    const add = (name: string, source: FieldSource | undefined): void => {
      const list = found.get(name) ?? [];
      if (source !== undefined) list.push(source);
      found.set(name, list);
    };
    for (const element of classNode.body.body) {
      if (element.type === AST_NODE_TYPES.PropertyDefinition && !element.static) {
        const name = propertyKeyName(element.key, element.computed);
        if (name !== undefined) add(name, element.value ?? undefined);
      }
      if (element.type !== AST_NODE_TYPES.MethodDefinition || element.kind !== 'constructor') continue;
      for (const param of element.value.params) {
        if (param.type !== AST_NODE_TYPES.TSParameterProperty) continue;
        const id = param.parameter.type === AST_NODE_TYPES.AssignmentPattern ? param.parameter.left : param.parameter;
        const variable = this.refs.variableOf(id);
        if (variable) add(id.name, this.refs.variableKey(variable));
      }
    }
    walk(classNode.body, this.sourceCode.visitorKeys, node => {
      if (node.type !== AST_NODE_TYPES.AssignmentExpression) return;
      const left = skipWrappers(node.left);
      const name = isThisField(left) ? memberNameOf(left) : undefined;
      if (name === undefined || thisClassOf(node) !== classNode) return;
      const assigns = ['=', '??=', '||='].includes(node.operator);
      add(name, !assigns ? node : isNullish(node.right, { loose: true }) ? undefined : node.right);
    });
    sources = found;
    this.fieldSources.set(classNode, sources);
    return sources;
  }
}

/**
 * Whether a removal inside `fn` runs on every path after the registration `added`: it is in a
 * `finally` block, or in a callback (a function that does not contain the registration: a
 * `.finally()` or completion callback).
 */
export function isDeferred(node: TSESTree.Node, fn: TSESTree.Node, added: TSESTree.Node): boolean {
  let child = node;
  for (let current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if (isFunction(current) && !(current.range[0] <= added.range[0] && added.range[1] <= current.range[1])) return true;
    if (current.type === AST_NODE_TYPES.TryStatement && current.finalizer === child) return true;
  }
  return false;
}

/** The function a listener denotes: itself when inline, a local function or `const f = () => …` when named. */
export function resolveFunction(sourceCode: SourceCode, listener: TSESTree.Node): TSESTree.Node | undefined {
  const expression = skipWrappers(listener);
  if (isFunction(expression)) return expression;
  if (expression.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = referencesOf(sourceCode).variableOf(expression);
  const def = variable?.defs[0];
  if (variable?.defs.length !== 1 || !def) return undefined;
  if (def.type === TSESLint.Scope.DefinitionType.FunctionName) return def.node;
  if (def.type !== TSESLint.Scope.DefinitionType.Variable || !def.node.init) return undefined;
  const init = skipWrappers(def.node.init);
  return isFunction(init) ? init : undefined;
}

/**
 * What the options of `addEventListener` settle: `safe` with `once: true` or a `signal` of a
 * controller the code owns; `unknown` when they cannot be read (a variable, a spread, a computed
 * `once`) — stay quiet; `none` when there are none; `plain` for an object literal or a boolean
 * that settles nothing.
 */
export function optionsVerdict(
  services: NativeHandleServices,
  sourceCode: SourceCode,
  options: TSESTree.Node | undefined,
): 'safe' | 'unknown' | 'none' | 'plain' {
  if (options === undefined) return 'none';
  const expression = skipWrappers(options);
  if (expression.type === AST_NODE_TYPES.Literal && typeof expression.value === 'boolean') return 'plain';
  if (expression.type !== AST_NODE_TYPES.ObjectExpression) return 'unknown';
  for (const property of expression.properties) {
    if (property.type === AST_NODE_TYPES.SpreadElement) return 'unknown';
    const name = propertyKeyName(property.key, property.computed);
    if (name === undefined) return 'unknown';
    const value = skipWrappers(property.value);
    if (name === 'once') {
      if (value.type !== AST_NODE_TYPES.Literal) return 'unknown';
      if (value.value === true) return 'safe';
    }
    if (name === 'signal') {
      const origin = signalOrigin(services, sourceCode, value);
      if (origin === 'own') return 'safe';
      if (origin === 'unknown') return 'unknown';
    }
  }
  return 'plain';
}

/** The collection a callback parameter iterates: `x` for the first parameter of `x.forEach(p => …)`. */
function forEachReceiver(def: TSESLint.Scope.Definition): TSESTree.Node | undefined {
  if (def.type !== TSESLint.Scope.DefinitionType.Parameter) return undefined;
  const fn = def.node;
  if (!isFunction(fn) || fn.params[0] !== def.name) return undefined;
  const call = outerWrapper(fn).parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || skipWrappers(call.arguments[0] ?? call) !== fn) return undefined;
  const callee = skipWrappers(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && memberNameOf(callee) === 'forEach' ? callee.object : undefined;
}
