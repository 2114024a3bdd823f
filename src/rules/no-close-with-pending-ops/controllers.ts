// no-close-with-pending-ops: the AbortControllers whose signal an operation was given, and how the
// close can name them (for the abort suggestion).
import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { memberNameOf, propertyKeyName } from '../../model/index.js';
import { skipWrappers } from '../../util/ast.js';
import { isThisMemberKey, type References } from '../../model/references.js';
import { rootIsThis } from './collector.js';
import type { Controller } from './records.js';

/** The controllers whose `signal` an operation was given (`{ signal: ac.signal }`, `{ signal }`). */
export function controllersOf(call: TSESTree.CallExpression, keys: References, sourceCode: Readonly<TSESLint.SourceCode>): Controller[] {
  const controllers: Controller[] = [];
  for (const argument of call.arguments) {
    const options = skipWrappers(argument);
    if (options.type !== AST_NODE_TYPES.ObjectExpression) continue;
    for (const property of options.properties) {
      if (property.type !== AST_NODE_TYPES.Property || propertyKeyName(property.key, property.computed) !== 'signal') continue;
      const controller = controllerExpression(property.value, keys, 0);
      if (controller) controllers.push(describeController(controller, keys, sourceCode));
    }
  }
  return controllers;
}

function controllerExpression(signal: TSESTree.Node, keys: References, depth: number): TSESTree.Expression | undefined {
  const node = skipWrappers(signal);
  if (node.type === AST_NODE_TYPES.MemberExpression && memberNameOf(node) === 'signal') {
    return keys.keyOf(node.object) === undefined ? undefined : node.object;
  }
  if (node.type !== AST_NODE_TYPES.Identifier || depth > 3) return undefined;
  const def = keys.variableOf(node)?.defs[0];
  if (def?.type !== TSESLint.Scope.DefinitionType.Variable || def.parent.kind !== 'const' || !def.node.init) return undefined;
  if (def.node.id.type === AST_NODE_TYPES.Identifier) return controllerExpression(def.node.init, keys, depth + 1);
  // const { signal } = ac;
  return def.node.id.type === AST_NODE_TYPES.ObjectPattern && keys.keyOf(def.node.init) !== undefined ? def.node.init : undefined;
}

function describeController(node: TSESTree.Expression, keys: References, sourceCode: Readonly<TSESLint.SourceCode>): Controller {
  const controllerKeys = [keys.keyOf(node)!];
  const spellings: { text: string; variable?: TSESLint.Scope.Variable }[] = [];
  const expression = skipWrappers(node);
  if (expression.type === AST_NODE_TYPES.Identifier) {
    const variable = keys.variableOf(expression);
    if (variable) {
      spellings.push({ text: expression.name, variable });
      // `this.ac = ac`: the close method can reach it as `this.ac`.
      for (const reference of variable.references) {
        const parent = reference.identifier.parent;
        if (parent.type !== AST_NODE_TYPES.AssignmentExpression || parent.right !== reference.identifier) continue;
        const key = keys.keyOf(parent.left);
        if (key === undefined || !isThisMemberKey(key)) continue;
        controllerKeys.push(key);
        spellings.push({ text: sourceCode.getText(parent.left) });
      }
    }
  } else if (rootIsThis(expression)) {
    spellings.push({ text: sourceCode.getText(expression) });
  }
  return { keys: controllerKeys, spellings };
}
