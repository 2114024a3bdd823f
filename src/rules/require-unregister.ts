import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import {
  abortListenerCall,
  getNativeHandleServices,
  isSetIntervalCall,
  memberNameOf,
  mentionsThis,
  registryCall,
  signalOrigin,
  timerCollection,
  usesOwner,
  type ClassClosePath,
  type NativeHandleServices,
} from '../model/index.js';
import { isNullish, skipWrappers } from '../util/ast.js';
import { createRule } from './_createRule.js';
import { type References, referencesOf } from '../model/references.js';
import { enclosingFunctions, thisClassOf, type ClassLike } from '../model/util.js';
import { ClosePaths, isThis, isThisField, sameOrUnknown, type SourceCode, type Undo } from './require-unregister/closeFacts.js';
import { addOnceFix, insertFirstStatement, methodName, type Fix } from './require-unregister/fixes.js';
import { IntervalAnalysis, type IntervalSite } from './require-unregister/intervals.js';
import { SignalAnalysis, isDeferred, optionsVerdict, resolveFunction } from './require-unregister/signals.js';

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
type Suggestion = TSESLint.SuggestionReportDescriptor<MessageIds>;

class RegistrationChecker {
  private readonly sourceCode: SourceCode;
  private readonly refs: References;
  private readonly closePaths: ClosePaths;
  private readonly signals: SignalAnalysis;
  private readonly intervals: IntervalAnalysis;

  constructor(
    private readonly context: Context,
    private readonly services: NativeHandleServices,
  ) {
    this.sourceCode = context.sourceCode;
    this.refs = referencesOf(context.sourceCode);
    this.closePaths = new ClosePaths(services, this.sourceCode, this.refs);
    this.signals = new SignalAnalysis(services, this.sourceCode, this.refs);
    this.intervals = new IntervalAnalysis(services, this.sourceCode);
  }

  /** The one entry point: syntax first, then types at the candidates. */
  check(call: TSESTree.CallExpression): void {
    const callee = skipWrappers(call.callee);
    const name = callee.type === AST_NODE_TYPES.MemberExpression ? memberNameOf(callee) : undefined;
    if (name === 'register' && call.arguments.length >= 2) this.checkRegister(call);
    else if (name === 'addEventListener' && call.arguments.length >= 2) this.checkAbortListener(call);
    else if (name === 'setInterval' || (callee.type === AST_NODE_TYPES.Identifier && this.mayBeSetInterval(callee)))
      this.checkInterval(call);
  }

  // ---------------------------------------------------------------------------------------
  // 1. FinalizationRegistry#register

  private checkRegister(call: TSESTree.CallExpression): void {
    const info = registryCall(this.services, call);
    if (info?.method !== 'register' || call.arguments.some(arg => arg.type === AST_NODE_TYPES.SpreadElement)) return;
    const [target, held, token] = call.arguments as TSESTree.Expression[];
    if (!target || !held) return;
    const classNode = thisClassOf(call);
    const path = classNode && this.closePaths.closePath(classNode);
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
    const facts = this.closePaths.factsOf(classNode, path);
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
    // `this.fd`: the field's declared type (narrowing could only drop null/undefined, dropped below
    // anyway), without the flow walk back through a long constructor.
    const type = isThisField(expression) ? this.services.typeIgnoringNullishOf(expression) : this.services.declaredTypeOf(expression);
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
      const facts = this.closePaths.factsOf(classNode, path);
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
        fix: ((fixer): TSESLint.RuleFix =>
          insertFirstStatement(this.sourceCode, fixer, method, `${registryText}.unregister(${tokenText});`)) as Fix,
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
    const path = classNode && this.closePaths.closePath(classNode);
    const listener = resolveFunction(this.sourceCode, info.listener) ?? info.listener;
    const inScope =
      usesOwner(this.services, this.sourceCode, listener) || (path?.owner !== undefined && mentionsThis(this.sourceCode, listener));
    if (!inScope) return;
    const signalKey = this.refs.keyOf(info.signal);
    const listenerKey = this.refs.keyOf(info.listener);
    if (listenerKey !== undefined) {
      // In a `finally` (or a callback) of the function that adds it, or of a function around that one.
      const removedAfter =
        (fn: TSESTree.Node) =>
        (undo: Undo): boolean =>
          undo.item === listenerKey &&
          (sameOrUnknown(undo.target, signalKey) || this.signals.compareSignals(undo.signal, info.signal) === 'same') &&
          isDeferred(undo.call, fn, call);
      if (enclosingFunctions(call).some(fn => this.signals.removalsIn(fn).some(removedAfter(fn)))) return;
      // In the close path, the signal is often spelled otherwise (`signal` in the constructor, `this.signal` in close()):
      // a removal from another signal does not count, one from a signal that cannot be compared does.
      const removedOnClose = (undo: Undo): boolean =>
        undo.item === listenerKey && this.signals.compareSignals(undo.signal, info.signal) !== 'different';
      if (classNode && path && this.closePaths.factsOf(classNode, path).removals.some(removedOnClose)) return;
    }
    const fix = addOnceFix(call, info.options);
    this.context.report({
      node: call,
      messageId: 'abortListener',
      data: { signal: this.sourceCode.getText(info.signal), subject: path ? `\`${path.name}\`` : 'the owner it uses' },
      ...(fix ? { suggest: [{ messageId: 'addOnce', fix }] } : {}),
    });
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
    const site = this.intervals.intervalSite(call, classNode);
    if (!site || !isSetIntervalCall(this.services, call)) return;
    const path = this.closePaths.closePath(classNode);
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
    if (this.closePaths.factsOf(classNode, path).clearedTimers.has(`this.${site.field}`)) return;
    const timer = `this.${site.field}`;
    const spellable = /^#?[A-Za-z_$][\w$]*$/.test(site.field);
    const methods = path.closeMethods.filter(method => spellable && this.intervals.isGlobalIn('clearInterval', method));
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
    if (!collection || this.intervals.collectionVerdict(classNode, path, site.field) !== 'kept') return;
    const timers = `this.${site.field}`;
    // `for…of` over an array or set of timers yields the timers (a map would yield entries).
    const fixable = collection.ofTimers && collection.kind !== 'map' && /^#?[A-Za-z_$][\w$]*$/.test(site.field);
    const methods = path.closeMethods.filter(method => fixable && this.intervals.isGlobalIn('clearInterval', method));
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
}
