// Fixes and suggestions: a statement at the start of a close method, `once: true` on a listener.

import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { propertyKeyName } from '../../model/index.js';
import { indentOf, lineBreakOf, linesBefore } from '../../util/ast.js';
import { type SourceCode } from './closeFacts.js';

export type Fix = TSESLint.ReportFixFunction;

/** `, { once: true }` after the listener, or `once: true` in an options literal that has no `once` (a boolean `capture` is left alone). */
export function addOnceFix(call: TSESTree.CallExpression, options: TSESTree.Node | undefined): Fix | undefined {
  if (options === undefined) {
    const listener = call.arguments[1];
    return call.arguments.length === 2 && listener ? fixer => fixer.insertTextAfter(listener, ', { once: true }') : undefined;
  }
  if (options.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  const properties = options.properties;
  if (properties.some(property => property.type !== AST_NODE_TYPES.Property || propertyKeyName(property.key, property.computed) === 'once'))
    return undefined;
  const first = properties[0];
  return first ? fixer => fixer.insertTextBefore(first, 'once: true, ') : fixer => fixer.replaceText(options, '{ once: true }');
}

export function methodName(method: TSESTree.MethodDefinition): string {
  return propertyKeyName(method.key, method.computed) ?? 'close';
}

/** Inserts a statement at the start of a method's body, on its own line. */
export function insertFirstStatement(
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
