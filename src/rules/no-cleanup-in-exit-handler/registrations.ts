// no-cleanup-in-exit-handler: which calls register a listener for the process's 'exit' (or a
// configured exit hook) or for a terminating event (signals, uncaught errors), and the function
// that listener is when it is declared in this file.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import ts from '../../util/typescript.cjs';
import { memberNameOf } from '../../model/index.js';
import { isInlineFunction, skipWrappers, type FunctionNode } from '../../util/ast.js';
import type { Listener, Scan } from './scan.js';

/** `exit`: process 'exit' and configured exit hooks. `terminating`: 'SIG…', uncaughtException, unhandledRejection. */
export type EventKind = 'exit' | 'terminating';

export interface Registration {
  readonly kind: EventKind;
  readonly listener: TSESTree.Expression;
}

const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

// -----------------------------------------------------------------------------------------
// Registrations

/** `process.on('exit' | 'SIG…' | …, listener)` or a configured exit hook `onExit(listener)`. */
export function registrationOf(scan: Scan, call: TSESTree.CallExpression): Registration | undefined {
  const callee = skipWrappers(call.callee);
  const [event, listener] = call.arguments;
  if (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    LISTEN_METHODS.has(memberNameOf(callee) ?? '') &&
    event !== undefined &&
    listener !== undefined &&
    listener.type !== AST_NODE_TYPES.SpreadElement
  ) {
    // The event first: a literal is read from the syntax, a name's type is its declared constant
    // (`Events.Ready`, a `symbol`) at worst; the emitter's type may mean inferring a whole
    // initializer (`const emitter = this.#disposables.use(new EventEmitter(…))`: 0.25 s in
    // puppeteer-core), and only an exit or terminating event needs it.
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
  if (node.type === AST_NODE_TYPES.TemplateLiteral)
    return node.expressions.length === 0 ? (node.quasis[0]?.value.cooked ?? undefined) : undefined;
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
export function resolveListener(scan: Scan, listener: TSESTree.Expression): Listener | undefined {
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

/**
 * The function a callee or listener expression denotes when it is declared in this file: an
 * inline function, a function declaration, a `const` initialised with a function (or with
 * another such name), a method, or a property/field holding a function. Otherwise undefined.
 */
export function resolveLocalFunction(scan: Scan, expression: TSESTree.Node, depth = 0): FunctionNode | undefined {
  const node = skipWrappers(expression);
  if (isInlineFunction(node)) return node;
  if (depth > 3) return undefined;
  if (node.type !== AST_NODE_TYPES.Identifier && (node.type !== AST_NODE_TYPES.MemberExpression || node.computed)) return undefined;
  if (!mayNameLocalFunction(scan.sourceFile, node)) return undefined;
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

/** Per file: the names its function, method, variable and property declarations declare (undefined: a computed name could be any). */
const declaredNames = new WeakMap<ts.SourceFile, ReadonlySet<string> | null>();

/**
 * Syntax before symbols for {@link resolveLocalFunction}: a name no declaration of this file
 * declares cannot denote a function of this file. The symbol of `h.close` takes the type of `h`,
 * which TypeScript narrows by walking the control flow back from each call (through the whole top
 * level, from a listener there): asked at every call in a long listener, or in n listeners, n².
 */
function mayNameLocalFunction(sourceFile: ts.SourceFile, node: TSESTree.Identifier | TSESTree.MemberExpression): boolean {
  let names = declaredNames.get(sourceFile);
  if (names === undefined) {
    names = namesDeclaredIn(sourceFile) ?? null;
    declaredNames.set(sourceFile, names);
  }
  if (names === null) return true;
  if (node.type === AST_NODE_TYPES.Identifier) return names.has(node.name);
  const property = node.property;
  return names.has(property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${property.name}` : (property as TSESTree.Identifier).name);
}

/** The declared names of the declarations {@link resolveLocalFunction} accepts; undefined when one's name is computed from a non-literal. */
function namesDeclaredIn(sourceFile: ts.SourceFile): Set<string> | undefined {
  const names = new Set<string>();
  let complete = true as boolean;
  const visit = (node: ts.Node): void => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isVariableDeclaration(node) ||
      ts.isPropertyAssignment(node) ||
      ts.isPropertyDeclaration(node)
    ) {
      const name = node.name && declaredName(node.name);
      if (name === null) complete = false;
      else if (name !== undefined) names.add(name);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return complete ? names : undefined;
}

/** A declaration's name as its symbol is named; undefined for a binding pattern (no symbol of its own), null when it cannot be told. */
function declaredName(name: ts.Node): string | undefined | null {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const expression = name.expression;
    if (ts.isStringLiteralLike(expression) || ts.isNumericLiteral(expression)) return expression.text;
    // `[Symbol.dispose]`: a well-known symbol, which no plain name denotes.
    const wellKnown =
      ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === 'Symbol';
    return wellKnown ? undefined : null;
  }
  return ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name) ? undefined : null;
}
