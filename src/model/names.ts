import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import ts from '../util/typescript.cjs';
import { skipWrappers } from '../util/ast.js';

export { skipWrappers };

/**
 * The name the model uses for a member: `fd`, `#closed`, `[Symbol.asyncDispose]`, or the
 * value of a string-literal key. Undefined for a computed key it cannot name.
 */
export function memberNameOf(member: TSESTree.MemberExpression): string | undefined {
  return propertyKeyName(member.property, member.computed);
}

/** Like {@link memberNameOf}, for the key of a class member, property or method definition. */
export function propertyKeyName(key: TSESTree.Node, computed: boolean): string | undefined {
  if (!computed) {
    if (key.type === AST_NODE_TYPES.Identifier) return key.name;
    if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  }
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string') return key.value;
  if (
    computed &&
    key.type === AST_NODE_TYPES.MemberExpression &&
    !key.computed &&
    key.object.type === AST_NODE_TYPES.Identifier &&
    key.object.name === 'Symbol' &&
    key.property.type === AST_NODE_TYPES.Identifier
  ) {
    return `[Symbol.${key.property.name}]`;
  }
  return undefined;
}

/** The model's name for a TypeScript property symbol (`__@asyncDispose@12` → `[Symbol.asyncDispose]`). */
export function symbolMemberName(symbol: ts.Symbol): string {
  const escaped = symbol.escapedName as string;
  const wellKnown = /^__@(\w+)@\d+$/.exec(escaped);
  if (wellKnown) return `[Symbol.${wellKnown[1]}]`;
  if (escaped.startsWith('__#')) return symbol.name; // #private names keep their '#'
  return symbol.name;
}

/** The callee's member expression of a call (`a.b()` → `a.b`, `a?.b()` too), if any. */
export function calleeMember(call: TSESTree.CallExpression | TSESTree.NewExpression): TSESTree.MemberExpression | undefined {
  const callee = skipWrappers(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression ? callee : undefined;
}

/** `this.x`, `this.#x` (also through wrappers): the field name, else undefined. */
export function thisFieldName(node: TSESTree.Node): string | undefined {
  const expr = skipWrappers(node);
  if (expr.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  if (skipWrappers(expr.object).type !== AST_NODE_TYPES.ThisExpression) return undefined;
  return memberNameOf(expr);
}

/** The name a callee is called by: `f` in `f()`, `m` in `a.b.m()` (wrappers skipped); undefined for a computed key or another expression. */
export function calleeName(callee: TSESTree.Node): string | undefined {
  const node = skipWrappers(callee);
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  return node.type === AST_NODE_TYPES.MemberExpression ? memberNameOf(node) : undefined;
}
