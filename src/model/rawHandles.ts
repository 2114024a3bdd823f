import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { NativeHandleServices } from './services.js';
import { memberNameOf, propertyKeyName } from './names.js';
import type { Owner } from './owners.js';
import { isWriteTarget, outerWrapper, skipWrappers } from '../util/ast.js';

/** Where a raw-handle value comes from: an owner's `rawHandle` member. */
export interface RawHandleSource {
  /** The owner whose raw handle it is. */
  readonly owner: Owner;
  /** The owner expression: `fh` in `fh.fd`, in `const { fd } = fh`, `sock` in `sock.getHandle()`. */
  readonly ownerNode: TSESTree.Expression;
  /** The node that reads the raw handle: `fh.fd`, the call `sock.getHandle()`, the destructuring property. */
  readonly read: TSESTree.Node;
  /** The member read: `fd`, `getHandle`. */
  readonly member: string;
}

type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;

/** How many `const a = b` hops {@link rawHandleSource} follows. */
const MAX_ALIASES = 4;
/** The functions of `Object` that change the properties of their first argument. */
const OBJECT_MUTATORS: ReadonlySet<string> = new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf']);

/**
 * Whether `node` evaluates to an owner's raw handle: `fh.fd`, `fh?.fd`, `sock.getHandle()` (a
 * `rawHandle`-role method), or a local variable that is written once, by its declaration, from
 * one (also `const { fd } = fh` and `const { fd: h } = fh`), through a few aliases. Parameters,
 * fields and anything unknown give undefined.
 */
export function rawHandleSource(
  services: NativeHandleServices,
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
): RawHandleSource | undefined {
  let current = skipWrappers(node);
  for (let hop = 0; hop <= MAX_ALIASES; hop++) {
    if (current.type === AST_NODE_TYPES.MemberExpression) return memberSource(services, current);
    if (current.type === AST_NODE_TYPES.CallExpression) {
      const callee = skipWrappers(current.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      const info = services.ownerMember(callee);
      if (!info?.roles.includes('rawHandle')) return undefined;
      return { owner: info.owner, ownerNode: callee.object, read: current, member: info.name };
    }
    if (current.type !== AST_NODE_TYPES.Identifier) return undefined;
    const declarator = singleDeclarator(sourceCode, current);
    if (!declarator?.init) return undefined;
    if (declarator.id.type === AST_NODE_TYPES.ObjectPattern) return destructuredSource(services, declarator, current.name);
    if (declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
    current = skipWrappers(declarator.init);
  }
  return undefined;
}

/**
 * The raw-handle arguments a call or `new` adopts, when it is an adopter. Built-ins:
 * `fs.createReadStream`/`createWriteStream(path, { fd: X })` without `autoClose: false`, and
 * `new net.Socket({ fd: X })` give `X`. `adopt`-configured and `@adoptsHandle` callees give every
 * argument and every property value of an object-literal argument. Empty otherwise, and when
 * the options may keep the fd open (`autoClose` not literally `true`, or a spread).
 *
 * Given the file's `sourceCode`, a built-in's options may also be a local variable that holds an
 * object literal unchanged ({@link unchangedObjectLiteral}): `const opts = { fd: X }; fs.createReadStream(p, opts)`
 * gives `X`, a node of the declaration, outside the call.
 */
export function adoptedArguments(
  services: NativeHandleServices,
  call: CallLike,
  sourceCode?: Readonly<TSESLint.SourceCode>,
): TSESTree.Node[] {
  // Asked at every call by several rules: a new array only when there is a spread to leave out.
  const args = call.arguments.some(arg => arg.type === AST_NODE_TYPES.SpreadElement)
    ? call.arguments.filter(arg => arg.type !== AST_NODE_TYPES.SpreadElement)
    : call.arguments;
  // Syntax before types: a built-in adopter adopts only an `fd` of an object literal without
  // spreads (which may carry autoClose: false), so only such calls ask the checker here.
  const options = call.type === AST_NODE_TYPES.NewExpression ? args[0] : args[1];
  const object = options && optionsObject(sourceCode, options);
  const fd =
    object?.type === AST_NODE_TYPES.ObjectExpression && !object.properties.some(property => property.type === AST_NODE_TYPES.SpreadElement)
      ? propertyValue(object, 'fd')
      : undefined;
  if (fd && object?.type === AST_NODE_TYPES.ObjectExpression && services.isBuiltinAdopterCall(call)) {
    return call.type === AST_NODE_TYPES.CallExpression && !autoCloses(object) ? [] : [fd];
  }
  if (!services.isAdopter(call.callee)) return [];
  if (!fd && services.isBuiltinAdopterCall(call)) return []; // a built-in adopter given no literal fd
  const adopted: TSESTree.Node[] = [];
  for (const arg of args) {
    adopted.push(arg);
    const object = skipWrappers(arg);
    if (object.type !== AST_NODE_TYPES.ObjectExpression) continue;
    for (const property of object.properties) {
      if (property.type === AST_NODE_TYPES.Property && !property.computed) adopted.push(property.value);
    }
  }
  return adopted;
}

/** The options argument as an object literal: written at the call, or held unchanged by a local variable (given `sourceCode`). */
function optionsObject(sourceCode: Readonly<TSESLint.SourceCode> | undefined, options: TSESTree.Node): TSESTree.Node {
  const object = skipWrappers(options);
  if (!sourceCode || object.type !== AST_NODE_TYPES.Identifier) return object;
  return unchangedObjectLiteral(sourceCode, object)?.literal ?? object;
}

/** An object literal that a local variable holds from its declaration on (see {@link unchangedObjectLiteral}). */
export interface HeldObjectLiteral {
  readonly literal: TSESTree.ObjectExpression;
  readonly declarator: TSESTree.VariableDeclarator;
  readonly variable: TSESLint.Scope.Variable;
}

/**
 * The object literal that the local variable `identifier` reads still holds: a `const`, or a
 * `let` written only by its declaration, not exported, initialised with an object literal
 * (through parentheses and type assertions), none of whose references changes a property of it
 * (`opts.autoClose = false`, `opts.fd++`, `delete opts.fd`, `({ a: opts.fd } = o)`,
 * `Object.assign(opts, …)`). Undefined otherwise. Scope only, no types.
 */
export function unchangedObjectLiteral(
  sourceCode: Readonly<TSESLint.SourceCode>,
  identifier: TSESTree.Identifier,
): HeldObjectLiteral | undefined {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier.name);
  const declarator = variable ? writtenOnceDeclarator(variable) : undefined;
  const declaration = declarator?.parent;
  if (!variable || !declarator?.init || declaration?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
  if (declaration.kind !== 'const' && declaration.kind !== 'let') return undefined;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || declaration.parent.type === AST_NODE_TYPES.ExportNamedDeclaration)
    return undefined;
  const literal = skipWrappers(declarator.init);
  if (literal.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  if (variable.references.some(reference => !reference.init && changesProperty(reference.identifier))) return undefined;
  return { literal, declarator, variable };
}

/** Whether a read of a variable holding an object changes a property of that object there. */
function changesProperty(reference: TSESTree.Node): boolean {
  const read = outerWrapper(reference);
  const parent = read.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === read) return isWriteTarget(parent, { destructuring: true });
  if (parent?.type !== AST_NODE_TYPES.CallExpression || parent.arguments[0] !== read) return false;
  // `Object.assign(opts, …)`, `Object.defineProperty(opts, …)`: syntax only, as written.
  const callee = skipWrappers(parent.callee);
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.object.name === 'Object' &&
    OBJECT_MUTATORS.has(memberNameOf(callee) ?? '')
  );
}

function memberSource(services: NativeHandleServices, member: TSESTree.MemberExpression): RawHandleSource | undefined {
  if (skipWrappers(member.object).type === AST_NODE_TYPES.Super) return undefined;
  const info = services.ownerMember(member);
  if (!info?.roles.includes('rawHandle')) return undefined;
  if (services.declaredTypeOf(member).getCallSignatures().length > 0) return undefined; // the method itself, not the handle
  return { owner: info.owner, ownerNode: member.object, read: member, member: info.name };
}

function destructuredSource(
  services: NativeHandleServices,
  declarator: TSESTree.VariableDeclarator,
  name: string,
): RawHandleSource | undefined {
  const init = declarator.init;
  if (!init || declarator.id.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
  for (const property of declarator.id.properties) {
    if (property.type !== AST_NODE_TYPES.Property) continue;
    const target = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    if (target.type !== AST_NODE_TYPES.Identifier || target.name !== name) continue;
    const member = propertyKeyName(property.key, property.computed);
    const owner = member === undefined ? undefined : services.ownerOf(init);
    if (member === undefined || !owner || !services.model.hasRole(owner, 'rawHandle', member)) return undefined;
    if (services.typeOf(target).getCallSignatures().length > 0) return undefined;
    return { owner, ownerNode: init, read: property, member };
  }
  return undefined;
}

/** The declarator of a local variable whose only write is its declaration (`const`, or a `let` never reassigned). */
function singleDeclarator(
  sourceCode: Readonly<TSESLint.SourceCode>,
  identifier: TSESTree.Identifier,
): TSESTree.VariableDeclarator | undefined {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier.name);
  return variable ? writtenOnceDeclarator(variable) : undefined;
}

/** The declarator of a variable whose only write is its declaration. */
function writtenOnceDeclarator(variable: TSESLint.Scope.Variable): TSESTree.VariableDeclarator | undefined {
  if (variable.defs.length !== 1) return undefined;
  const def = variable.defs[0];
  if (def?.type !== TSESLint.Scope.DefinitionType.Variable) return undefined;
  const writes = variable.references.filter(reference => reference.isWrite());
  if (writes.length !== 1 || writes[0]?.writeExpr !== def.node.init) return undefined;
  return def.node;
}

function propertyValue(object: TSESTree.ObjectExpression, name: string): TSESTree.Node | undefined {
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property) continue;
    if (propertyKeyName(property.key, property.computed) === name) return property.value;
  }
  return undefined;
}

/** Whether a stream created with these options closes its fd: `autoClose` absent or literally `true`. */
function autoCloses(options: TSESTree.ObjectExpression): boolean {
  const value = propertyValue(options, 'autoClose');
  if (value === undefined) return true;
  const literal = skipWrappers(value);
  return literal.type === AST_NODE_TYPES.Literal && literal.value === true;
}
