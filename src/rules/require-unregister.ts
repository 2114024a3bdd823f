import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import * as tsutils from 'ts-api-utils';
import * as ts from 'typescript';
import {
  abortListenerCall,
  classClosePath,
  clearedTimer,
  getNativeHandleServices,
  isSetIntervalCall,
  memberNameOf,
  mentionsThis,
  propertyKeyName,
  registryCall,
  signalOrigin,
  usesOwner,
  type ClassClosePath,
  type NativeHandleServices,
} from '../model/index.js';
import { indentOf, isFunction, isNullish, outerWrapper, skipWrappers, walk, type FunctionNode } from '../util/ast.js';
import { createRule } from '../util/createRule.js';

export type MessageIds =
  | 'registerWithoutToken'
  | 'tokenNeverUnregistered'
  | 'abortListener'
  | 'intervalNotCleared'
  | 'intervalNotStored'
  | 'addTokenAndUnregister'
  | 'addUnregister'
  | 'addOnce'
  | 'clearInClose';

export default createRule<[], MessageIds>({
  name: 'require-unregister',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require registrations that keep a handle alive or release it later to be undone on close',
      recommended: true,
      requiresTypeChecking: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: {
      registerWithoutToken:
        'This FinalizationRegistry registration of {{subject}} has no unregister token, so it can never be undone: the finalizer can still run after close and release the handle a second time, when its number may already belong to another resource. Pass a token (`this`) and call `{{registry}}.unregister(token)` in the close method.',
      tokenNeverUnregistered:
        'This FinalizationRegistry registration passes the unregister token `{{token}}`, but the close path of {{subject}} never calls `{{registry}}.unregister({{token}})`: the finalizer can still run after close and release the handle a second time, when its number may already belong to another resource.',
      abortListener:
        "This 'abort' listener on `{{signal}}`, a signal that outlives {{subject}}, is not removed in a `finally` or on close: it stays registered, keeping what it uses reachable, for as long as the signal lives (one more per registration on a signal that never aborts). Remove it with `removeEventListener` in a `finally` or in the close method, or pass `{ signal }` of a controller you abort when done.",
      intervalNotCleared:
        '`{{timer}}` holds an interval that the close path of `{{class}}` never clears: it keeps running, and keeps the instance and its resources reachable, after close. Clear it in the close method (`clearInterval({{timer}})`).',
      intervalNotStored:
        'This interval uses the `{{class}}` instance but is never stored, so nothing can clear it: it keeps running, and keeps the instance and its resources reachable, after close. Store it in a field and clear it in the close method.',
      addTokenAndUnregister: 'Pass `this` as the unregister token and call `{{registry}}.unregister(this)` at the start of `{{method}}()`.',
      addUnregister: 'Call `{{registry}}.unregister({{token}})` at the start of `{{method}}()`.',
      addOnce: 'Pass `once: true` (the listener is removed when the signal aborts, though not while it never does).',
      clearInClose: 'Call `clearInterval({{timer}})` at the start of `{{method}}()`.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const checker = new RegistrationChecker(context, services);
    return {
      CallExpression: node => {
        checker.check(node);
      },
    };
  },
});

// -----------------------------------------------------------------------------------------

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;
type SourceCode = Readonly<TSESLint.SourceCode>;
type ClassLike = TSESTree.ClassDeclaration | TSESTree.ClassExpression;
type Fix = TSESLint.ReportFixFunction;
type Suggestion = TSESLint.SuggestionReportDescriptor<MessageIds>;

/** What the close path of a class undoes, by the keys of the expressions involved (see {@link keyOf}). */
interface CloseFacts {
  readonly unregisters: readonly Undo[];
  readonly removals: readonly Undo[];
  readonly clearedTimers: ReadonlySet<string>;
}

/** An undoing call: `registry.unregister(token)` (target = registry), `signal.removeEventListener('abort', listener)` (target = signal). */
interface Undo {
  readonly call: TSESTree.CallExpression;
  readonly target: string | undefined;
  readonly item: string | undefined;
}

/** Whether, when there are facts on each side, the keys agree: an unknown key matches anything. */
function sameOrUnknown(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

class RegistrationChecker {
  private readonly sourceCode: SourceCode;
  private readonly classes = new Map<ClassLike, ClassClosePath>();
  private readonly closeFacts = new Map<ClassLike, CloseFacts>();
  private readonly functionRemovals = new Map<TSESTree.Node, readonly Undo[]>();

  constructor(
    private readonly context: Context,
    private readonly services: NativeHandleServices,
  ) {
    this.sourceCode = context.sourceCode;
  }

  /** The one entry point: syntax first, then types at the candidates. */
  check(call: TSESTree.CallExpression): void {
    const callee = skipWrappers(call.callee);
    const name = callee.type === AST_NODE_TYPES.MemberExpression ? memberNameOf(callee) : undefined;
    if (name === 'register' && call.arguments.length >= 2) this.checkRegister(call);
    else if (name === 'addEventListener' && call.arguments.length >= 2) this.checkAbortListener(call);
    else if (name === 'setInterval' || (callee.type === AST_NODE_TYPES.Identifier && this.mayBeSetInterval(callee))) this.checkInterval(call);
  }

  // ---------------------------------------------------------------------------------------
  // 1. FinalizationRegistry#register

  private checkRegister(call: TSESTree.CallExpression): void {
    const info = registryCall(this.services, call);
    if (info?.method !== 'register' || call.arguments.some(arg => arg.type === AST_NODE_TYPES.SpreadElement)) return;
    const [target, held, token] = call.arguments as TSESTree.Expression[];
    if (!target || !held) return;
    const classNode = thisClassOf(call);
    const path = classNode && this.closePath(classNode);
    const heldUsesOwner = usesOwner(this.services, this.sourceCode, held);
    const inOwnerClass = path?.owner !== undefined && isThis(target) && this.isNumericValue(held);
    if (!heldUsesOwner && !inOwnerClass) return;
    const registry = this.sourceCode.getText(info.registry);
    const subject = path && isThis(target) ? `\`${path.name}\`` : `\`${this.sourceCode.getText(target)}\``;
    if (token === undefined || isNullish(token, { loose: true })) {
      this.context.report({
        node: call,
        messageId: 'registerWithoutToken',
        data: { subject, registry },
        ...this.tokenFixes(call, info.registry, classNode, path),
      });
      return;
    }
    if (!classNode || !path || path.closeMethods.length === 0) return; // no close path to look at
    const registryKey = keyOf(this.sourceCode, info.registry);
    const tokenKey = keyOf(this.sourceCode, token);
    const facts = this.factsOf(classNode, path);
    if (facts.unregisters.some(undo => sameOrUnknown(undo.target, registryKey) && sameOrUnknown(undo.item, tokenKey))) return;
    this.context.report({
      node: call,
      messageId: 'tokenNeverUnregistered',
      data: { subject: `\`${path.name}\``, registry, token: this.sourceCode.getText(token) },
      ...this.unregisterFixes(info.registry, token, path),
    });
  }

  /** Whether the held value is a number or bigint read from a variable or field (a raw handle kept by the class). */
  private isNumericValue(node: TSESTree.Node): boolean {
    const expression = skipWrappers(node);
    if (expression.type !== AST_NODE_TYPES.Identifier && expression.type !== AST_NODE_TYPES.MemberExpression) return false;
    const type = this.services.typeOf(expression);
    const parts = tsutils.unionConstituents(this.services.checker.getNonNullableType(type));
    return parts.length > 0 && parts.every(part => tsutils.isTypeFlagSet(part, ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike));
  }

  /**
   * No token: autofix `, this` plus `registry.unregister(this)` at the start of the close method
   * when the target is `this`, the class has one close method and the registry can be named
   * there; one suggestion per close method when the choice is not unambiguous.
   */
  private tokenFixes(
    call: TSESTree.CallExpression,
    registry: TSESTree.Expression,
    classNode: ClassLike | undefined,
    path: ClassClosePath | undefined,
  ): { fix?: Fix; suggest?: Suggestion[] } {
    if (!classNode || !path || call.arguments.length !== 2) return {};
    const held = call.arguments[1]!;
    const registryText = this.sourceCode.getText(registry);
    const registryKey = keyOf(this.sourceCode, registry);
    const edits = path.closeMethods.flatMap(method => {
      if (!this.canName(registry, method)) return [];
      const facts = this.factsOf(classNode, path);
      const alreadyUnregisters = facts.unregisters.some(undo => undo.target === registryKey && undo.item === 'this');
      const addToken = (fixer: TSESLint.RuleFixer): TSESLint.RuleFix => fixer.insertTextAfter(held, ', this');
      const fix: Fix = alreadyUnregisters
        ? addToken
        : fixer => [addToken(fixer), insertFirstStatement(this.sourceCode, fixer, method, `${registryText}.unregister(this);`)];
      return [{ method, fix }];
    });
    if (edits.length === 0) return {};
    const target = call.arguments[0]!;
    const unambiguous = edits.length === 1 && path.closeMethods.length === 1 && target.type === AST_NODE_TYPES.ThisExpression;
    if (unambiguous) return { fix: edits[0]!.fix };
    return {
      suggest: edits.map(({ method, fix }) => ({
        messageId: 'addTokenAndUnregister' as const,
        data: { registry: registryText, method: methodName(method) },
        fix,
      })),
    };
  }

  /** A token that is never unregistered: autofix the `unregister` call when the token is `this` and there is one close method; else suggestions. */
  private unregisterFixes(
    registry: TSESTree.Expression,
    token: TSESTree.Expression,
    path: ClassClosePath,
  ): { fix?: Fix; suggest?: Suggestion[] } {
    const tokenExpression = skipWrappers(token);
    const tokenIsThis = tokenExpression.type === AST_NODE_TYPES.ThisExpression;
    if (!tokenIsThis && !isThisField(tokenExpression)) return {};
    const registryText = this.sourceCode.getText(registry);
    const tokenText = this.sourceCode.getText(tokenExpression);
    const edits = path.closeMethods
      .filter(method => this.canName(registry, method))
      .map(method => ({
        method,
        fix: ((fixer): TSESLint.RuleFix => insertFirstStatement(this.sourceCode, fixer, method, `${registryText}.unregister(${tokenText});`)) as Fix,
      }));
    if (edits.length === 0) return {};
    if (tokenIsThis && edits.length === 1 && path.closeMethods.length === 1) return { fix: edits[0]!.fix };
    return {
      suggest: edits.map(({ method, fix }) => ({
        messageId: 'addUnregister' as const,
        data: { registry: registryText, token: tokenText, method: methodName(method) },
        fix,
      })),
    };
  }

  /** Whether the registry expression means the same registry inside the close method: a `this` field, or a module-level `const`. */
  private canName(registry: TSESTree.Expression, method: TSESTree.MethodDefinition): boolean {
    const expression = skipWrappers(registry);
    if (isThisField(expression)) return expression === registry;
    if (expression.type !== AST_NODE_TYPES.Identifier || expression !== registry) return false;
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(expression), expression);
    const def = variable?.defs[0];
    const isModuleConst =
      variable?.defs.length === 1 &&
      def?.type === TSESLint.Scope.DefinitionType.Variable &&
      def.parent.kind === 'const' &&
      (variable.scope.type === TSESLint.Scope.ScopeType.module || variable.scope.type === TSESLint.Scope.ScopeType.global);
    if (!isModuleConst || !method.value.body) return false;
    return ASTUtils.findVariable(this.sourceCode.getScope(method.value.body), expression.name) === variable;
  }

  // ---------------------------------------------------------------------------------------
  // 2. addEventListener('abort', …) on a signal that outlives the owner

  private checkAbortListener(call: TSESTree.CallExpression): void {
    const info = abortListenerCall(this.services, call);
    if (info?.method !== 'add' || !info.listener) return;
    const options = optionsVerdict(this.services, this.sourceCode, info.options);
    if (options === 'safe' || options === 'unknown') return;
    if (signalOrigin(this.services, this.sourceCode, info.signal) !== 'outside') return;
    const classNode = thisClassOf(call);
    const path = classNode && this.closePath(classNode);
    const listener = resolveFunction(this.sourceCode, info.listener) ?? info.listener;
    const inScope =
      usesOwner(this.services, this.sourceCode, listener) || (path?.owner !== undefined && mentionsThis(this.sourceCode, listener));
    if (!inScope) return;
    const signalKey = keyOf(this.sourceCode, info.signal);
    const listenerKey = keyOf(this.sourceCode, info.listener);
    if (listenerKey !== undefined) {
      // In a `finally` (or a callback) of the function that adds it, or of a function around that one.
      const removedAfter = (fn: TSESTree.Node) => (undo: Undo): boolean =>
        undo.item === listenerKey && sameOrUnknown(undo.target, signalKey) && isDeferred(undo.call, fn, call);
      if (enclosingFunctions(call).some(fn => this.removalsIn(fn).some(removedAfter(fn)))) return;
      // In the close path, the signal is often spelled otherwise (`signal` in the constructor, `this.signal` in close()).
      if (classNode && path && this.factsOf(classNode, path).removals.some(undo => undo.item === listenerKey)) return;
    }
    const fix = addOnceFix(call, info.options);
    this.context.report({
      node: call,
      messageId: 'abortListener',
      data: { signal: this.sourceCode.getText(info.signal), subject: path ? `\`${path.name}\`` : 'the owner it uses' },
      ...(fix ? { suggest: [{ messageId: 'addOnce', fix }] } : {}),
    });
  }

  /** The `removeEventListener('abort', …)` calls in a function (or the program), nested functions included. */
  private removalsIn(fn: FunctionNode | TSESTree.Program): readonly Undo[] {
    let removals = this.functionRemovals.get(fn);
    if (!removals) {
      const found: Undo[] = [];
      const body = fn.type === AST_NODE_TYPES.Program ? fn : fn.body;
      walk(body, this.sourceCode.visitorKeys, node => {
        if (node.type !== AST_NODE_TYPES.CallExpression || calleeName(node) !== 'removeEventListener') return;
        const info = abortListenerCall(this.services, node);
        if (info?.method !== 'remove' || !info.listener) return;
        found.push({ call: node, target: keyOf(this.sourceCode, info.signal), item: keyOf(this.sourceCode, info.listener) });
      });
      removals = found;
      this.functionRemovals.set(fn, removals);
    }
    return removals;
  }

  // ---------------------------------------------------------------------------------------
  // 3. setInterval stored by an owner and not cleared on close

  private mayBeSetInterval(callee: TSESTree.Identifier): boolean {
    if (callee.name === 'setInterval') return true;
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(callee), callee);
    return variable?.defs[0]?.type === TSESLint.Scope.DefinitionType.ImportBinding;
  }

  private checkInterval(call: TSESTree.CallExpression): void {
    const classNode = thisClassOf(call);
    if (!classNode) return;
    const site = intervalSite(call);
    if (!site || !isSetIntervalCall(this.services, call)) return;
    const path = this.closePath(classNode);
    const callback = call.arguments[0];
    const callbackUsesOwner = callback !== undefined && usesOwner(this.services, this.sourceCode, callback);
    if (path.owner === undefined && !callbackUsesOwner) return;
    if (site.kind === 'dropped') {
      if (!callbackUsesOwner && !(callback && mentionsThis(this.sourceCode, callback))) return;
      this.context.report({ node: call, messageId: 'intervalNotStored', data: { class: path.name } });
      return;
    }
    if (path.closeMethods.length === 0) return;
    if (this.factsOf(classNode, path).clearedTimers.has(`this.${site.field}`)) return;
    const timer = `this.${site.field}`;
    const spellable = /^#?[A-Za-z_$][\w$]*$/.test(site.field);
    const methods = path.closeMethods.filter(method => spellable && this.isGlobalIn('clearInterval', method));
    const suggest = methods.map(method => ({
      messageId: 'clearInClose' as const,
      data: { timer, method: methodName(method) },
      fix: ((fixer): TSESLint.RuleFix => insertFirstStatement(this.sourceCode, fixer, method, `clearInterval(${timer});`)) as Fix,
    }));
    this.context.report({
      node: call,
      messageId: 'intervalNotCleared',
      data: { timer, class: path.name },
      ...(suggest.length > 0 ? { suggest } : {}),
    });
  }

  /** Whether `name` in the method's body is the global of that name (no declaration in this file shadows it). */
  private isGlobalIn(name: string, method: TSESTree.MethodDefinition): boolean {
    const body = method.value.body;
    if (!body) return false;
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(body), name);
    return !variable || variable.defs.length === 0;
  }

  // ---------------------------------------------------------------------------------------
  // Classes and their close path

  private closePath(node: ClassLike): ClassClosePath {
    let path = this.classes.get(node);
    if (!path) {
      path = classClosePath(this.services, this.sourceCode, node);
      this.classes.set(node, path);
    }
    return path;
  }

  /** What the close path of a class undoes (computed once per class). */
  private factsOf(node: ClassLike, path: ClassClosePath): CloseFacts {
    let facts = this.closeFacts.get(node);
    if (facts) return facts;
    const unregisters: Undo[] = [];
    const removals: Undo[] = [];
    const clearedTimers = new Set<string>();
    for (const fn of path.functions) {
      walk(fn.body, this.sourceCode.visitorKeys, inner => {
        if (inner.type !== AST_NODE_TYPES.CallExpression) return;
        const name = calleeName(inner);
        if (name === 'unregister') {
          const info = registryCall(this.services, inner);
          const token = inner.arguments[0];
          if (info?.method === 'unregister' && token) {
            unregisters.push({ call: inner, target: keyOf(this.sourceCode, info.registry), item: keyOf(this.sourceCode, token) });
          }
        } else if (name === 'removeEventListener') {
          const info = abortListenerCall(this.services, inner);
          if (info?.method === 'remove' && info.listener) {
            removals.push({ call: inner, target: keyOf(this.sourceCode, info.signal), item: keyOf(this.sourceCode, info.listener) });
          }
        } else if (skipWrappers(inner.callee).type === AST_NODE_TYPES.Identifier || (name !== undefined && TIMER_STOPPERS.has(name))) {
          const timer = clearedTimer(this.services, inner);
          const key = timer && keyOf(this.sourceCode, timer);
          if (key !== undefined) clearedTimers.add(key);
        }
      });
    }
    facts = { unregisters, removals, clearedTimers };
    this.closeFacts.set(node, facts);
    return facts;
  }
}

/** Member calls that may stop a timer (confirmed by {@link clearedTimer}; a plain call `f(x)` is asked too, for imported aliases). */
const TIMER_STOPPERS = new Set(['clearInterval', 'clearTimeout', 'close', '[Symbol.dispose]']);

// -----------------------------------------------------------------------------------------
// Helpers

/** The name a call is made by: `f` in `f()`, `m` in `x.m()`. */
function calleeName(call: TSESTree.CallExpression): string | undefined {
  const callee = skipWrappers(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  return callee.type === AST_NODE_TYPES.MemberExpression ? memberNameOf(callee) : undefined;
}

/**
 * A key naming what an expression denotes, to match a registration with what undoes it:
 * `this`, `this.timer`, a variable (by its declaration; a local `const` by its initializer, so
 * `const t = this.timer` is `this.timer`), and member paths on those. Undefined for anything else.
 */
function keyOf(sourceCode: SourceCode, node: TSESTree.Node, depth = 0): string | undefined {
  const expression = skipWrappers(node);
  if (expression.type === AST_NODE_TYPES.ThisExpression) return 'this';
  if (expression.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberNameOf(expression);
    const object = keyOf(sourceCode, expression.object, depth);
    return name === undefined || object === undefined ? undefined : `${object}.${name}`;
  }
  if (expression.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(expression), expression);
  if (!variable) return `global ${expression.name}`;
  const def = variable.defs[0];
  if (variable.defs.length === 1 && def?.type === TSESLint.Scope.DefinitionType.Variable && def.node.init && depth < 3) {
    const writes = variable.references.filter(reference => reference.isWrite());
    const init = skipWrappers(def.node.init);
    const aliases = def.node.id.type === AST_NODE_TYPES.Identifier && writes.length === 1 && !isFunction(init);
    const aliased = aliases ? keyOf(sourceCode, init, depth + 1) : undefined;
    if (aliased !== undefined) return aliased;
  }
  return `${expression.name}@${def?.name.range[0] ?? -1}`;
}

function isThis(node: TSESTree.Node): boolean {
  return skipWrappers(node).type === AST_NODE_TYPES.ThisExpression;
}

/** `this.x` / `this.#x`. */
function isThisField(node: TSESTree.Node): node is TSESTree.MemberExpression {
  return node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.object.type === AST_NODE_TYPES.ThisExpression;
}

/**
 * The class whose instance `this` is where the node is evaluated: instance methods, instance
 * field initializers, and arrow functions inside them. Undefined in static members, plain
 * functions and top-level code.
 */
function thisClassOf(node: TSESTree.Node): ClassLike | undefined {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.ArrowFunctionExpression:
        break;
      case AST_NODE_TYPES.FunctionExpression: {
        const member = current.parent;
        const isMethod = member.type === AST_NODE_TYPES.MethodDefinition || member.type === AST_NODE_TYPES.PropertyDefinition;
        return isMethod && !member.static && member.value === current ? member.parent.parent : undefined;
      }
      case AST_NODE_TYPES.PropertyDefinition:
        return !current.static && current.value === child ? current.parent.parent : undefined;
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.StaticBlock:
      case AST_NODE_TYPES.ClassBody:
      case AST_NODE_TYPES.Program:
        return undefined;
      default:
        break;
    }
  }
  return undefined;
}

/** The functions around the node, innermost first, up to the member of a class or the program (included). */
function enclosingFunctions(node: TSESTree.Node): (FunctionNode | TSESTree.Program)[] {
  const functions: (FunctionNode | TSESTree.Program)[] = [];
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current) || current.type === AST_NODE_TYPES.Program) functions.push(current);
    if (current.type === AST_NODE_TYPES.ClassBody) break;
  }
  return functions;
}

/**
 * Whether a removal inside `fn` runs on every path after the registration `added`: it is in a
 * `finally` block, or in a callback (a function that does not contain the registration: a
 * `.finally()` or completion callback).
 */
function isDeferred(node: TSESTree.Node, fn: TSESTree.Node, added: TSESTree.Node): boolean {
  let child = node;
  for (let current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if (isFunction(current) && !(current.range[0] <= added.range[0] && added.range[1] <= current.range[1])) return true;
    if (current.type === AST_NODE_TYPES.TryStatement && current.finalizer === child) return true;
  }
  return false;
}

/** The function a listener denotes: itself when inline, a local function or `const f = () => …` when named. */
function resolveFunction(sourceCode: SourceCode, listener: TSESTree.Node): TSESTree.Node | undefined {
  const expression = skipWrappers(listener);
  if (isFunction(expression)) return expression;
  if (expression.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(expression), expression);
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
function optionsVerdict(
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

/** `, { once: true }` after the listener, or `once: true` in an options literal that has no `once` (a boolean `capture` is left alone). */
function addOnceFix(call: TSESTree.CallExpression, options: TSESTree.Node | undefined): Fix | undefined {
  if (options === undefined) {
    const listener = call.arguments[1];
    return call.arguments.length === 2 && listener ? fixer => fixer.insertTextAfter(listener, ', { once: true }') : undefined;
  }
  if (options.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  const properties = options.properties;
  if (properties.some(property => property.type !== AST_NODE_TYPES.Property || propertyKeyName(property.key, property.computed) === 'once')) return undefined;
  const first = properties[0];
  return first ? fixer => fixer.insertTextBefore(first, 'once: true, ') : fixer => fixer.replaceText(options, '{ once: true }');
}

/** Where a `setInterval` result goes: into a `this` field (by assignment or as a field initializer), or nowhere. */
function intervalSite(call: TSESTree.CallExpression): { kind: 'field'; field: string } | { kind: 'dropped' } | undefined {
  let node = outerWrapper(call);
  // `setInterval(…).unref()` / `.ref()` return the same timer.
  while (
    node.parent?.type === AST_NODE_TYPES.MemberExpression &&
    node.parent.object === node &&
    (memberNameOf(node.parent) === 'unref' || memberNameOf(node.parent) === 'ref') &&
    node.parent.parent.type === AST_NODE_TYPES.CallExpression &&
    node.parent.parent.callee === node.parent
  ) {
    node = outerWrapper(node.parent.parent);
  }
  const parent = node.parent;
  switch (parent?.type) {
    case AST_NODE_TYPES.AssignmentExpression: {
      if (parent.right !== node || !['=', '??=', '||='].includes(parent.operator)) return undefined;
      const left = skipWrappers(parent.left);
      const field = isThisField(left) ? memberNameOf(left) : undefined;
      return field === undefined ? undefined : { kind: 'field', field };
    }
    case AST_NODE_TYPES.PropertyDefinition: {
      const field = parent.value === node && !parent.static ? propertyKeyName(parent.key, parent.computed) : undefined;
      return field === undefined ? undefined : { kind: 'field', field };
    }
    case AST_NODE_TYPES.ExpressionStatement:
      return { kind: 'dropped' };
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === 'void' && parent.parent.type === AST_NODE_TYPES.ExpressionStatement ? { kind: 'dropped' } : undefined;
    default:
      return undefined;
  }
}

function methodName(method: TSESTree.MethodDefinition): string {
  return propertyKeyName(method.key, method.computed) ?? 'close';
}

/** Inserts a statement at the start of a method's body, on its own line. */
function insertFirstStatement(
  sourceCode: SourceCode,
  fixer: TSESLint.RuleFixer,
  method: TSESTree.MethodDefinition,
  statement: string,
): TSESLint.RuleFix {
  const body = method.value.body!;
  const first = body.body[0];
  if (first) {
    const ownLine = first.loc.start.line > body.loc.start.line;
    return fixer.insertTextBefore(first, ownLine ? `${statement}\n${indentOf(sourceCode, first)}` : `${statement} `);
  }
  const indent = indentOf(sourceCode, method);
  return fixer.replaceText(body, `{\n${indent}  ${statement}\n${indent}}`);
}
