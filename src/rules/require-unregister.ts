import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import {
  abortListenerCall,
  classClosePath,
  clearedTimer,
  forOfIterable,
  getNativeHandleServices,
  isSetIntervalCall,
  isTimerClearFunction,
  memberNameOf,
  mentionsThis,
  propertyKeyName,
  registryCall,
  signalOrigin,
  timerCollection,
  usesOwner,
  type ClassClosePath,
  type NativeHandleServices,
} from '../model/index.js';
import { indentOf, isFunction, lineBreakOf, linesBefore, isNullish, outerWrapper, skipWrappers, walk, type FunctionNode } from '../util/ast.js';
import { createRule } from './createRule.js';
import { type References, memberKey, referencesOf, rootOfKey } from '../model/references.js';
import { enclosingFunctions, thisClassOf, type ClassLike } from '../model/util.js';

export type MessageIds =
  | 'registerWithoutToken'
  | 'tokenNeverUnregistered'
  | 'abortListener'
  | 'intervalNotCleared'
  | 'intervalNotStored'
  | 'intervalsNotCleared'
  | 'addTokenAndUnregister'
  | 'addUnregister'
  | 'addOnce'
  | 'clearInClose'
  | 'clearAllInClose';

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
        'This FinalizationRegistry registration of {{subject}} has no unregister token, so it can never be undone. The finalizer can still run after close and release the handle a second time, when its number may already belong to another resource. Pass a token (`this`) and call `{{registry}}.unregister(token)` in the close method.',
      tokenNeverUnregistered:
        'The close path of {{subject}} never calls `{{registry}}.unregister({{token}})` for this FinalizationRegistry registration. The finalizer can still run after close and release the handle a second time, when its number may already belong to another resource.',
      abortListener:
        "This 'abort' listener on `{{signal}}` is never removed, and that signal outlives {{subject}}. It is not removed in a `finally` or on close, so it stays registered, keeping what it uses reachable, for as long as the signal lives (one more per registration on a signal that never aborts). Remove it with `removeEventListener` in a `finally` or in the close method, or pass `{ signal }` of a controller you abort when done.",
      intervalNotCleared:
        '`{{timer}}` holds an interval that the close path of `{{class}}` never clears. It keeps running, and keeps the instance and its resources reachable, after close. Clear it in the close method (`clearInterval({{timer}})`).',
      intervalsNotCleared:
        '`{{timers}}` holds intervals that the close path of `{{class}}` never clears. They keep running, and keep the instance and its resources reachable, after close. Clear each one in the close method (`clearInterval` on every element).',
      intervalNotStored:
        'This interval uses the `{{class}}` instance but is never stored, so nothing can clear it. It keeps running, and keeps the instance and its resources reachable, after close. Store it in a field and clear it in the close method.',
      addTokenAndUnregister: 'Pass `this` as the unregister token and call `{{registry}}.unregister(this)` at the start of `{{method}}()`.',
      addUnregister: 'Call `{{registry}}.unregister({{token}})` at the start of `{{method}}()`.',
      addOnce: 'Pass `once: true` (the listener is removed when the signal aborts, though not while it never does).',
      clearInClose: 'Call `clearInterval({{timer}})` at the start of `{{method}}()`.',
      clearAllInClose: 'Clear every interval of `{{timers}}` at the start of `{{method}}()`.',
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
type Fix = TSESLint.ReportFixFunction;
type Suggestion = TSESLint.SuggestionReportDescriptor<MessageIds>;
/** What a field is set from: an expression, or the key of a parameter property's parameter. */
type FieldSource = TSESTree.Node | string;

/** What the close path of a class undoes, by the keys of the expressions involved (see {@link References.keyOf}). */
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
  /** The signal a removal is made on (to compare it with {@link RegistrationChecker.compareSignals}). */
  readonly signal?: TSESTree.Node;
}

/** Where an interval is kept: a `this` field, a collection field (`this.#timers.push(…)`), or nowhere. */
type IntervalSite =
  | { readonly kind: 'field'; readonly field: string }
  | { readonly kind: 'collection'; readonly field: string; readonly receiver: TSESTree.Expression }
  | { readonly kind: 'dropped' };

/** What the close path does with the intervals of a collection field: clears them, never does, or something the rule cannot follow. */
type CollectionVerdict = 'cleared' | 'kept' | 'unknown';

/** What a use of a collection field (or of one of its elements) in the close path does. */
type UseVerdict = 'cleared' | 'benign' | 'unknown';

/** Whether, when there are facts on each side, the keys agree: an unknown key matches anything. */
function sameOrUnknown(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

class RegistrationChecker {
  private readonly sourceCode: SourceCode;
  private readonly refs: References;
  private readonly classes = new Map<ClassLike, ClassClosePath>();
  private readonly closeFacts = new Map<ClassLike, CloseFacts>();
  private readonly functionRemovals = new Map<TSESTree.Node, readonly Undo[]>();
  private readonly collectionVerdicts = new Map<ClassLike, Map<string, CollectionVerdict>>();
  private readonly fieldSources = new Map<ClassLike, ReadonlyMap<string, readonly FieldSource[]>>();

  constructor(
    private readonly context: Context,
    private readonly services: NativeHandleServices,
  ) {
    this.sourceCode = context.sourceCode;
    this.refs = referencesOf(context.sourceCode);
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
    const registryKey = this.refs.keyOf(info.registry);
    const tokenKey = this.refs.keyOf(token);
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
    const type = this.services.declaredTypeOf(expression);
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
    const registryKey = this.refs.keyOf(registry);
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
    const variable = this.refs.variableOf(expression);
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
    const signalKey = this.refs.keyOf(info.signal);
    const listenerKey = this.refs.keyOf(info.listener);
    if (listenerKey !== undefined) {
      // In a `finally` (or a callback) of the function that adds it, or of a function around that one.
      const removedAfter = (fn: TSESTree.Node) => (undo: Undo): boolean =>
        undo.item === listenerKey &&
        (sameOrUnknown(undo.target, signalKey) || this.compareSignals(undo.signal, info.signal) === 'same') &&
        isDeferred(undo.call, fn, call);
      if (enclosingFunctions(call).some(fn => this.removalsIn(fn).some(removedAfter(fn)))) return;
      // In the close path, the signal is often spelled otherwise (`signal` in the constructor, `this.signal` in close()):
      // a removal from another signal does not count, one from a signal that cannot be compared does.
      const removedOnClose = (undo: Undo): boolean => undo.item === listenerKey && this.compareSignals(undo.signal, info.signal) !== 'different';
      if (classNode && path && this.factsOf(classNode, path).removals.some(removedOnClose)) return;
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
  private compareSignals(a: TSESTree.Node | undefined, b: TSESTree.Node): 'same' | 'different' | 'unknown' {
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

  // ---------------------------------------------------------------------------------------
  // 3. setInterval stored by an owner and not cleared on close

  private mayBeSetInterval(callee: TSESTree.Identifier): boolean {
    if (callee.name === 'setInterval') return true;
    const variable = this.refs.variableOf(callee);
    return variable?.defs[0]?.type === TSESLint.Scope.DefinitionType.ImportBinding;
  }

  private checkInterval(call: TSESTree.CallExpression): void {
    const classNode = thisClassOf(call);
    if (!classNode) return;
    const site = this.intervalSite(call, classNode);
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
    if (site.kind === 'collection') {
      this.checkIntervalCollection(call, classNode, path, site);
      return;
    }
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

  /** An interval kept in a collection field: reported when the close path never clears the collection's intervals, and is understood. */
  private checkIntervalCollection(
    call: TSESTree.CallExpression,
    classNode: ClassLike,
    path: ClassClosePath,
    site: Extract<IntervalSite, { kind: 'collection' }>,
  ): void {
    const collection = timerCollection(this.services, site.receiver);
    if (!collection || this.collectionVerdict(classNode, path, site.field) !== 'kept') return;
    const timers = `this.${site.field}`;
    // `for…of` over an array or set of timers yields the timers (a map would yield entries).
    const fixable = collection.ofTimers && collection.kind !== 'map' && /^#?[A-Za-z_$][\w$]*$/.test(site.field);
    const methods = path.closeMethods.filter(method => fixable && this.isGlobalIn('clearInterval', method));
    const suggest = methods.map(method => ({
      messageId: 'clearAllInClose' as const,
      data: { timers, method: methodName(method) },
      fix: ((fixer): TSESLint.RuleFix =>
        insertFirstStatement(this.sourceCode, fixer, method, `for (const timer of ${timers}) clearInterval(timer);`)) as Fix,
    }));
    this.context.report({
      node: call,
      messageId: 'intervalsNotCleared',
      data: { timers, class: path.name },
      ...(suggest.length > 0 ? { suggest } : {}),
    });
  }

  /**
   * Where a `setInterval` result goes: into a `this` field or a collection field (by
   * assignment, as a field initializer, or `this.#timers.push(…)` / `add` / `set`), directly
   * or through a local `const t = setInterval(…)` stored once; or nowhere. Undefined otherwise,
   * and for a local the function clears itself.
   */
  private intervalSite(call: TSESTree.CallExpression, classNode: ClassLike): IntervalSite | undefined {
    const node = skipRefCalls(call);
    const parent = node.parent;
    if (parent?.type !== AST_NODE_TYPES.VariableDeclarator) return storeSite(node);
    if (parent.init !== node || parent.id.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = this.sourceCode.getDeclaredVariables(parent)[0];
    if (!variable || variable.defs.length !== 1 || variable.references.filter(reference => reference.isWrite()).length !== 1) return undefined;
    const sites: IntervalSite[] = [];
    for (const reference of variable.references) {
      if (reference.isWrite()) continue;
      const read = skipRefCalls(reference.identifier);
      if (this.stopsTimer(read)) return undefined;
      const site = thisClassOf(read) === classNode ? storeSite(read) : undefined;
      if (site && site.kind !== 'dropped') sites.push(site);
    }
    return sites.length === 1 ? sites[0] : undefined;
  }

  /** Whether the expression is the timer a call stops: `clearInterval(x)`, `x.close()` (see {@link clearedTimer}). */
  private stopsTimer(node: TSESTree.Node): boolean {
    const outer = outerWrapper(node);
    const parent = outer.parent;
    const viaMember =
      parent?.type === AST_NODE_TYPES.MemberExpression &&
      parent.object === outer &&
      parent.parent.type === AST_NODE_TYPES.CallExpression &&
      parent.parent.callee === parent;
    const call = parent?.type === AST_NODE_TYPES.CallExpression ? parent : viaMember ? (parent.parent as TSESTree.CallExpression) : undefined;
    const timer = call && clearedTimer(this.services, call);
    return timer !== undefined && skipWrappers(timer) === skipWrappers(node);
  }

  /**
   * What the close path does with the intervals of the collection field `this.<field>` (once
   * per class and field): `cleared` when it stops one of its elements (`for (const t of
   * this.#timers) clearInterval(t)`, `this.#timers.forEach(clearInterval)`), `unknown` when it
   * uses the collection in a way the rule does not follow (hands it to a function, aliases it),
   * else `kept` (it only empties the collection, or never touches it).
   */
  private collectionVerdict(classNode: ClassLike, path: ClassClosePath, field: string): CollectionVerdict {
    let verdicts = this.collectionVerdicts.get(classNode);
    if (!verdicts) this.collectionVerdicts.set(classNode, (verdicts = new Map<string, CollectionVerdict>()));
    let verdict = verdicts.get(field);
    if (verdict) return verdict;
    const uses: UseVerdict[] = [];
    for (const fn of path.functions) {
      walk(fn.body, this.sourceCode.visitorKeys, node => {
        if (isThisField(node) && memberNameOf(node) === field && thisClassOf(node) === classNode) uses.push(this.collectionUse(node));
      });
    }
    verdict = uses.includes('cleared') ? 'cleared' : uses.includes('unknown') ? 'unknown' : 'kept';
    verdicts.set(field, verdict);
    return verdict;
  }

  /** What one use of a collection field in the close path does (see {@link collectionVerdict}). */
  private collectionUse(member: TSESTree.MemberExpression): UseVerdict {
    const node = outerWrapper(member);
    const parent = node.parent;
    if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node) return 'benign';
    if (parent?.type === AST_NODE_TYPES.ForOfStatement && parent.right === node) return this.loopUse(parent);
    if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) return 'unknown';
    const call = parent.parent.type === AST_NODE_TYPES.CallExpression && parent.parent.callee === parent ? parent.parent : undefined;
    const name = memberNameOf(parent);
    if (!call) return parent.computed ? this.elementUse(parent) : name === 'length' || name === 'size' ? 'benign' : 'unknown';
    switch (name) {
      case 'forEach':
        return this.callbackUse(call.arguments[0]);
      case 'values': {
        const outer = outerWrapper(call);
        return outer.parent?.type === AST_NODE_TYPES.ForOfStatement && outer.parent.right === outer ? this.loopUse(outer.parent) : 'unknown';
      }
      case 'pop':
      case 'shift':
      case 'get':
      case 'at':
        return this.elementUse(call);
      default:
        return name !== undefined && BOOKKEEPING.has(name) ? 'benign' : 'unknown';
    }
  }

  /** An expression that yields one element of the collection: stopped, dropped, or kept in a local looked at in turn. */
  private elementUse(element: TSESTree.Node): UseVerdict {
    if (this.stopsTimer(element)) return 'cleared';
    const outer = outerWrapper(element);
    const parent = outer.parent;
    if (parent?.type === AST_NODE_TYPES.ExpressionStatement) return 'benign';
    if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== outer || parent.id.type !== AST_NODE_TYPES.Identifier) return 'unknown';
    const variable = this.sourceCode.getDeclaredVariables(parent)[0];
    return variable ? this.elementVariableUse(variable) : 'unknown';
  }

  /** `for (const t of this.#timers)` / `for (const [, t] of this.#timers)`: what the loop does with `t`. */
  private loopUse(loop: TSESTree.ForOfStatement): UseVerdict {
    const declaration = loop.left.type === AST_NODE_TYPES.VariableDeclaration ? loop.left.declarations[0] : undefined;
    const id = declaration?.id;
    const pair = id?.type === AST_NODE_TYPES.ArrayPattern && id.elements.length === 2 ? id.elements[1] : undefined;
    const target = id?.type === AST_NODE_TYPES.Identifier ? id : pair?.type === AST_NODE_TYPES.Identifier ? pair : undefined;
    const variable = target && this.sourceCode.getDeclaredVariables(declaration!).find(candidate => candidate.defs[0]?.name === target);
    return variable ? this.elementVariableUse(variable) : 'unknown';
  }

  /** `this.#timers.forEach(cb)`: `cb` is `clearInterval`/`clearTimeout`, or a function whose first parameter is looked at. */
  private callbackUse(callback: TSESTree.CallExpressionArgument | undefined): UseVerdict {
    if (!callback || callback.type === AST_NODE_TYPES.SpreadElement) return 'unknown';
    const fn = skipWrappers(callback);
    if (isTimerClearFunction(this.services, fn)) return 'cleared';
    const param = isFunction(fn) ? fn.params[0] : undefined;
    if (!isFunction(fn) || param?.type !== AST_NODE_TYPES.Identifier) return 'unknown';
    const variable = this.sourceCode.getDeclaredVariables(fn).find(candidate => candidate.defs[0]?.name === param);
    return variable ? this.elementVariableUse(variable) : 'unknown';
  }

  /** A variable holding an element: `cleared` when a read of it is stopped; `benign` when it is only `unref()`-ed and the like; else `unknown`. */
  private elementVariableUse(variable: TSESLint.Scope.Variable): UseVerdict {
    let verdict: UseVerdict = 'benign';
    for (const reference of variable.references) {
      if (reference.identifier === variable.defs[0]?.name) continue;
      if (reference.isWrite()) return 'unknown';
      if (this.stopsTimer(reference.identifier)) return 'cleared';
      if (!isRefCall(reference.identifier)) verdict = 'unknown';
    }
    return verdict;
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
            unregisters.push({ call: inner, target: this.refs.keyOf(info.registry), item: this.refs.keyOf(token) });
          }
        } else if (name === 'removeEventListener') {
          const info = abortListenerCall(this.services, inner);
          if (info?.method === 'remove' && info.listener) {
            removals.push({ call: inner, target: this.refs.keyOf(info.signal), item: this.refs.keyOf(info.listener), signal: info.signal });
          }
        } else if (skipWrappers(inner.callee).type === AST_NODE_TYPES.Identifier || (name !== undefined && TIMER_STOPPERS.has(name))) {
          const timer = clearedTimer(this.services, inner);
          const key = timer && this.refs.keyOf(timer);
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

function isThis(node: TSESTree.Node): boolean {
  return skipWrappers(node).type === AST_NODE_TYPES.ThisExpression;
}

/** `this.x` / `this.#x`. */
function isThisField(node: TSESTree.Node): node is TSESTree.MemberExpression {
  return node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.object.type === AST_NODE_TYPES.ThisExpression;
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
  const variable = ASTUtils.findVariable(sourceCode.getScope(expression), expression.name);
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

/** Collection methods the close path may call without handing out the timers: emptying or probing the collection. */
const BOOKKEEPING: ReadonlySet<string> = new Set(['clear', 'delete', 'has', 'push', 'add', 'set', 'unshift', 'includes', 'indexOf', 'keys']);

/** Calls on a timer that return it or a flag without stopping or handing it on. */
const REF_CALLS: ReadonlySet<string> = new Set(['unref', 'ref', 'hasRef', 'refresh']);

/** Whether the node is the timer in `t.unref()` (or `ref`, `hasRef`, `refresh`). */
function isRefCall(node: TSESTree.Node): boolean {
  const outer = outerWrapper(node);
  const parent = outer.parent;
  return (
    parent?.type === AST_NODE_TYPES.MemberExpression &&
    parent.object === outer &&
    REF_CALLS.has(memberNameOf(parent) ?? '') &&
    parent.parent.type === AST_NODE_TYPES.CallExpression &&
    parent.parent.callee === parent
  );
}

/** The outermost expression that is still the same timer: through wrappers and `.unref()` / `.ref()`, which return it. */
function skipRefCalls(timer: TSESTree.Node): TSESTree.Node {
  let node = outerWrapper(timer);
  while (
    node.parent?.type === AST_NODE_TYPES.MemberExpression &&
    node.parent.object === node &&
    (memberNameOf(node.parent) === 'unref' || memberNameOf(node.parent) === 'ref') &&
    node.parent.parent.type === AST_NODE_TYPES.CallExpression &&
    node.parent.parent.callee === node.parent
  ) {
    node = outerWrapper(node.parent.parent);
  }
  return node;
}

/** Where a timer expression (after {@link skipRefCalls}) is kept: a `this` field, a collection field, or nowhere (a statement). */
function storeSite(node: TSESTree.Node): IntervalSite | undefined {
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
    case AST_NODE_TYPES.CallExpression:
      return collectionStore(parent, node);
    case AST_NODE_TYPES.ExpressionStatement:
      return { kind: 'dropped' };
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === 'void' && parent.parent.type === AST_NODE_TYPES.ExpressionStatement ? { kind: 'dropped' } : undefined;
    default:
      return undefined;
  }
}

/** `this.#timers.push(timer)` / `unshift(timer)` / `add(timer)` / `set(key, timer)`: the collection field the timer goes into. */
function collectionStore(call: TSESTree.CallExpression, timer: TSESTree.Node): IntervalSite | undefined {
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const receiver = skipWrappers(callee.object);
  if (!isThisField(receiver)) return undefined;
  const field = memberNameOf(receiver);
  const index = call.arguments.indexOf(timer as TSESTree.CallExpressionArgument);
  const method = memberNameOf(callee);
  const stored = method === 'push' || method === 'unshift' ? index >= 0 : method === 'add' ? index === 0 : method === 'set' && index === 1;
  return field !== undefined && stored ? { kind: 'collection', field, receiver } : undefined;
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
    return fixer.insertTextBefore(first, ownLine ? linesBefore(sourceCode, first, [statement]) : `${statement} `);
  }
  const indent = indentOf(sourceCode, method);
  const lineBreak = lineBreakOf(sourceCode);
  return fixer.replaceText(body, `{${lineBreak}${indent}  ${statement}${lineBreak}${indent}}`);
}
