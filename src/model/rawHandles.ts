import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { NativeHandleServices } from './index.js';
import { propertyKeyName } from './names.js';
import type { Owner } from './owners.js';
import { skipWrappers } from '../util/ast.js';

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
 */
export function adoptedArguments(services: NativeHandleServices, call: CallLike): TSESTree.Node[] {
  const args = call.arguments.filter(arg => arg.type !== AST_NODE_TYPES.SpreadElement);
  if (services.isBuiltinAdopterCall(call)) {
    const options = call.type === AST_NODE_TYPES.NewExpression ? args[0] : args[1];
    const object = options && skipWrappers(options);
    if (object?.type !== AST_NODE_TYPES.ObjectExpression) return [];
    if (object.properties.some(property => property.type === AST_NODE_TYPES.SpreadElement)) return []; // may carry autoClose: false
    if (call.type === AST_NODE_TYPES.CallExpression && !autoCloses(object)) return [];
    const fd = propertyValue(object, 'fd');
    return fd ? [fd] : [];
  }
  if (!services.isAdopter(call.callee)) return [];
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

function memberSource(services: NativeHandleServices, member: TSESTree.MemberExpression): RawHandleSource | undefined {
  if (skipWrappers(member.object).type === AST_NODE_TYPES.Super) return undefined;
  const info = services.ownerMember(member);
  if (!info?.roles.includes('rawHandle')) return undefined;
  if (services.typeOf(member).getCallSignatures().length > 0) return undefined; // the method itself, not the handle
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
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  if (variable?.defs.length !== 1) return undefined;
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
