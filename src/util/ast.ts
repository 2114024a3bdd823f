import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

/**
 * Generic questions about the syntax tree that several rules ask. Nothing here looks at types:
 * type and symbol questions go through the resource model (`src/model`).
 */

/** A function declaration, function expression or arrow function. */
export type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/** The parser's visitor keys (`context.sourceCode.visitorKeys`): which properties of a node hold its children. */
export type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;

/** Options of {@link childNodes}, {@link walk} and {@link some}. */
export interface ChildOptions {
  /** Leave out type annotations, type arguments, type parameters and return types. */
  readonly skipTypes?: boolean;
}

/** Options of {@link walk} and {@link some}. */
export interface WalkOptions extends ChildOptions {
  /** Subtrees to leave out: a node for which this is true (the root included) is neither visited nor entered. */
  readonly skip?: (node: TSESTree.Node) => boolean;
}

const TYPE_KEYS = new Set(['typeAnnotation', 'typeArguments', 'typeParameters', 'returnType']);

/** Per visitor keys, the keys of each node type without {@link TYPE_KEYS} (filtered once per type, not per node). */
const valueKeys = new WeakMap<VisitorKeys, Map<string, readonly string[]>>();

/** The keys of a node type's children (without the type keys with `skipTypes`). */
export function keysOf(type: string, visitorKeys: VisitorKeys, skipTypes: boolean): readonly string[] {
  const all = visitorKeys[type] ?? [];
  if (!skipTypes) return all;
  let byType = valueKeys.get(visitorKeys);
  if (!byType) {
    byType = new Map();
    valueKeys.set(visitorKeys, byType);
  }
  let keys = byType.get(type);
  if (!keys) {
    keys = all.filter(key => !TYPE_KEYS.has(key));
    byType.set(type, keys);
  }
  return keys;
}

/** The child nodes of a node, in source order (the order of the visitor keys). */
export function childNodes(node: TSESTree.Node, visitorKeys: VisitorKeys, options: ChildOptions = {}): TSESTree.Node[] {
  const children: TSESTree.Node[] = [];
  for (const key of keysOf(node.type, visitorKeys, options.skipTypes === true)) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) if (isNodeValue(item)) children.push(item);
    } else if (isNodeValue(value)) {
      children.push(value);
    }
  }
  return children;
}

/** Whether a property value of a node is itself a node (not a token list, a primitive or null). */
export function isNodeValue(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && 'type' in value;
}

/** Whether `predicate` holds for `root` or a node below it (visited in source order, stopping at the first). */
export function some(
  root: TSESTree.Node,
  visitorKeys: VisitorKeys,
  predicate: (node: TSESTree.Node) => boolean,
  options: WalkOptions = {},
): boolean {
  const skipTypes = options.skipTypes === true;
  const stack: TSESTree.Node[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (options.skip?.(node) === true) continue;
    if (predicate(node)) return true;
    // The children, last first, straight onto the stack (no array per node): popped in source order.
    const keys = keysOf(node.type, visitorKeys, skipTypes);
    for (let keyIndex = keys.length - 1; keyIndex >= 0; keyIndex--) {
      const value = (node as unknown as Record<string, unknown>)[keys[keyIndex]!];
      if (Array.isArray(value)) {
        for (let index = value.length - 1; index >= 0; index--) {
          const item: unknown = value[index];
          if (isNodeValue(item)) stack.push(item);
        }
      } else if (isNodeValue(value)) {
        stack.push(value);
      }
    }
  }
  return false;
}

/** Visits `root` and every node below it, in source order (parents before their children). */
export function walk(root: TSESTree.Node, visitorKeys: VisitorKeys, visit: (node: TSESTree.Node) => void, options: WalkOptions = {}): void {
  some(
    root,
    visitorKeys,
    node => {
      visit(node);
      return false;
    },
    options,
  );
}

/** Whether the node is a function declaration, function expression or arrow function. */
export function isFunction(node: TSESTree.Node): node is FunctionNode {
  return (
    node.type === AST_NODE_TYPES.FunctionDeclaration ||
    node.type === AST_NODE_TYPES.FunctionExpression ||
    node.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

/** Whether the node is a function written as an expression (a function expression or an arrow function). */
export function isInlineFunction(node: TSESTree.Node): node is TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression {
  return node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.ArrowFunctionExpression;
}

/** Whether the node is a class declaration or class expression. */
export function isClass(node: TSESTree.Node): node is TSESTree.ClassDeclaration | TSESTree.ClassExpression {
  return node.type === AST_NODE_TYPES.ClassDeclaration || node.type === AST_NODE_TYPES.ClassExpression;
}

/**
 * Whether the node only wraps an expression without changing its value: `x as T`, `<T>x`,
 * `x satisfies T`, `x!`, and the `ChainExpression` around an optional chain.
 */
export function isWrapper(
  node: TSESTree.Node,
): node is
  | TSESTree.TSAsExpression
  | TSESTree.TSTypeAssertion
  | TSESTree.TSSatisfiesExpression
  | TSESTree.TSNonNullExpression
  | TSESTree.ChainExpression {
  switch (node.type) {
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSTypeAssertion:
    case AST_NODE_TYPES.TSSatisfiesExpression:
    case AST_NODE_TYPES.ChainExpression:
      return true;
    default:
      return false;
  }
}

/** Unwraps `(x)`, `x!`, `x as T`, `<T>x`, `x satisfies T` and optional chains (see {@link isWrapper}). */
export function skipWrappers(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (isWrapper(current)) current = current.expression;
  return current;
}

/** The outermost wrapper around a node (see {@link isWrapper}), or the node itself: the inverse of {@link skipWrappers}. */
export function outerWrapper(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (current.parent && isWrapper(current.parent)) current = current.parent;
  return current;
}

/** Options of {@link isWriteTarget}. */
export interface WriteTargetOptions {
  /**
   * Also count any position inside a destructuring pattern (a default value included) and the
   * head of a `for…in`/`for…of` loop.
   */
  readonly destructuring?: boolean;
}

/**
 * Whether the node, seen through the wrappers around it, is written rather than read: the left
 * side of an assignment (`x.m = …`, `x.m += …`), the operand of `++`/`--`, or of `delete`.
 */
export function isWriteTarget(node: TSESTree.Node, options: WriteTargetOptions = {}): boolean {
  const child = outerWrapper(node);
  const parent = child.parent;
  switch (parent?.type) {
    case AST_NODE_TYPES.AssignmentExpression:
      return parent.left === child;
    case AST_NODE_TYPES.UpdateExpression:
      return true;
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === 'delete';
    case AST_NODE_TYPES.ArrayPattern:
    case AST_NODE_TYPES.AssignmentPattern:
    case AST_NODE_TYPES.RestElement:
      return options.destructuring === true;
    case AST_NODE_TYPES.Property:
      return options.destructuring === true && parent.parent.type === AST_NODE_TYPES.ObjectPattern;
    case AST_NODE_TYPES.ForInStatement:
    case AST_NODE_TYPES.ForOfStatement:
      return options.destructuring === true && parent.left === child;
    default:
      return false;
  }
}

/** Options of {@link isNullish}. */
export interface NullishOptions {
  /** Also look through wrappers (`undefined as never`, `null!`) and count any `void …` expression. */
  readonly loose?: boolean;
}

/** Whether the node is the test of an `if`, a loop (`while`, `do … while`, `for`) or a `?:`. */
export function isBranchTest(node: TSESTree.Node): boolean {
  const parent = node.parent;
  switch (parent?.type) {
    case AST_NODE_TYPES.IfStatement:
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement:
    case AST_NODE_TYPES.ForStatement:
    case AST_NODE_TYPES.ConditionalExpression:
      return parent.test === node;
    default:
      return false;
  }
}

/** Whether the expression is `null` or `undefined`, written out. */
export function isNullish(node: TSESTree.Node, options: NullishOptions = {}): boolean {
  const expression = options.loose === true ? skipWrappers(node) : node;
  if (expression.type === AST_NODE_TYPES.Literal) return expression.value === null;
  if (expression.type === AST_NODE_TYPES.Identifier) return expression.name === 'undefined';
  return options.loose === true && expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === 'void';
}

/**
 * Whether evaluating the node suspends its function: an `await`, a `yield`, or the head of a
 * `for await` loop (the implicit await of each iteration).
 */
export function isSuspension(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.AwaitExpression || node.type === AST_NODE_TYPES.YieldExpression) return true;
  const parent = node.parent;
  return parent?.type === AST_NODE_TYPES.ForOfStatement && parent.await && parent.left === node;
}

/** The statement list of a block-like node (block, static block, program, `switch` case); undefined for other nodes. */
export function statementList(node: TSESTree.Node): readonly TSESTree.Node[] | undefined {
  switch (node.type) {
    case AST_NODE_TYPES.BlockStatement:
    case AST_NODE_TYPES.StaticBlock:
    case AST_NODE_TYPES.Program:
      return node.body;
    case AST_NODE_TYPES.SwitchCase:
      return node.consequent;
    default:
      return undefined;
  }
}

/** Whether the node is an entry of a statement list (so a statement can be inserted before it or removed). */
export function inStatementList(node: TSESTree.Node): boolean {
  const list = node.parent ? statementList(node.parent) : undefined;
  return list?.includes(node) ?? false;
}

/** The direct child of `ancestor` that contains `node` (or is it); undefined when `node` is not below `ancestor`. */
export function childContaining(ancestor: TSESTree.Node, node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
    if (current.parent === ancestor) return current;
  }
  return undefined;
}

/**
 * The line break the file uses: `\r\n` when its first line ends so, else `\n`. Every fix that
 * puts text on a line of its own writes this one, so a CRLF file stays CRLF.
 */
export function lineBreakOf(sourceCode: Pick<TSESLint.SourceCode, 'text'>): string {
  const index = sourceCode.text.indexOf('\n');
  return index > 0 && sourceCode.text[index - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * The text to insert before `node`, which starts its line, to put `lines` on lines of their own
 * above it at its indentation, in the file's line break.
 */
export function linesBefore(
  sourceCode: Pick<TSESLint.SourceCode, 'lines' | 'text'>,
  node: TSESTree.Node,
  lines: readonly string[],
): string {
  const lineBreak = lineBreakOf(sourceCode);
  const indent = indentOf(sourceCode, node);
  return lines.map(line => `${line}${lineBreak}${indent}`).join('');
}

/**
 * The range that removes a statement: its whole lines (line break included) when nothing else
 * shares them, else the statement and the spaces after it.
 */
export function statementRemovalRange(sourceCode: Pick<TSESLint.SourceCode, 'text'>, statement: TSESTree.Node): [number, number] {
  const text = sourceCode.text;
  const lineStart = text.lastIndexOf('\n', statement.range[0] - 1) + 1;
  const newline = text.indexOf('\n', statement.range[1]);
  const lineEnd = newline === -1 ? text.length : newline;
  if (/^\s*$/.test(text.slice(lineStart, statement.range[0])) && /^\s*$/.test(text.slice(statement.range[1], lineEnd))) {
    return [lineStart, newline === -1 ? text.length : newline + 1];
  }
  const trailingSpaces = /^[ \t]*/.exec(text.slice(statement.range[1], lineEnd))?.[0].length ?? 0;
  return [statement.range[0], statement.range[1] + trailingSpaces];
}

/** The whitespace that starts the line the node starts on. */
export function indentOf(sourceCode: Pick<TSESLint.SourceCode, 'lines'>, node: TSESTree.Node): string {
  const line = sourceCode.lines[node.loc.start.line - 1] ?? '';
  return /^\s*/.exec(line)?.[0] ?? '';
}

/** One operand of a comparison, the other operand, and what the comparison's outcome says of the operand. */
export interface ComparedOperand {
  readonly side: TSESTree.Expression | TSESTree.PrivateIdentifier;
  /** The other operand, without wrappers. */
  readonly other: TSESTree.Node;
  /**
   * For an (in)equality with a boolean literal (`x === false`, `true != x`): the truth of `side`
   * when the comparison has the given outcome. Undefined for any other comparison.
   */
  readonly truth: boolean | undefined;
}

/** Both operands of a comparison (left first), each with what the outcome says of it ({@link ComparedOperand}). */
export function comparedOperands(test: TSESTree.BinaryExpression, outcome: boolean): ComparedOperand[] {
  const equality = test.operator === '===' || test.operator === '==';
  const known = equality || test.operator === '!==' || test.operator === '!=';
  const pairs = [
    [test.left, test.right],
    [test.right, test.left],
  ] as const;
  return pairs.map(([side, otherSide]) => {
    const other = skipWrappers(otherSide);
    const boolean = known && other.type === AST_NODE_TYPES.Literal && typeof other.value === 'boolean';
    return { side, other, truth: boolean ? other.value === (equality ? outcome : !outcome) : undefined };
  });
}
