// The suggestion: moving the close after the last statement that uses the owner, when that is a
// plain statement move.

import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { childContaining, isFunction, lineBreakOf, some, statementList, type FunctionNode } from '../../util/ast.js';
import { type Close, type Finding } from './analysis.js';
import { type Key, type OwnerKeys } from './keys.js';
import { ABRUPT, closeStatement } from './tryFinally.js';

const LOOPS = new Set<string>([
  AST_NODE_TYPES.WhileStatement,
  AST_NODE_TYPES.DoWhileStatement,
  AST_NODE_TYPES.ForStatement,
  AST_NODE_TYPES.ForInStatement,
  AST_NODE_TYPES.ForOfStatement,
]);

/** The suggested move: the statement the close goes after, and the edit. */
export interface MoveClose {
  readonly after: TSESTree.Node;
  readonly fix: TSESLint.ReportFixFunction;
}

/** The last statement of the close's statement list that mentions the owner, when it comes after the close. */
function lastMentioning(
  sourceCode: Readonly<TSESLint.SourceCode>,
  keys: OwnerKeys,
  close: TSESTree.CallExpression,
  key: Key,
): TSESTree.Node | undefined {
  const statement = closeStatement(close);
  const list = statement?.parent ? statementList(statement.parent) : undefined;
  if (!statement || !list) return undefined;
  const start = list.indexOf(statement);
  for (let index = list.length - 1; index > start; index--) {
    if (keys.mentions(list[index]!, key, sourceCode.visitorKeys)) return list[index];
  }
  return undefined;
}

/**
 * Moving the close statement to right after the last statement of its list that mentions the
 * owner, when that is a plain statement move: the close is a whole statement on lines of its
 * own, the use is in a later statement of the same list, nothing it moves over leaves the list
 * (`return`, `throw`, `break`, `continue`), gives the owner a new value or closes it again, and
 * the close is not in a loop that the owner outlives (the next iteration would still see it closed).
 * Comment lines right above the close, and a comment after it on its line, move with it.
 */
export function moveCloseFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  keys: OwnerKeys,
  closes: ReadonlyMap<TSESTree.CallExpression, Close>,
  close: TSESTree.CallExpression,
  finding: Finding,
  fn: FunctionNode | TSESTree.Program,
): MoveClose | undefined {
  const statement = closeStatement(close);
  const parent = statement?.parent;
  const list = parent ? statementList(parent) : undefined;
  if (!statement || !parent || !list) return undefined;
  const useStatement = childContaining(parent, finding.node);
  const target = lastMentioning(sourceCode, keys, close, finding.key);
  if (!useStatement || !target || list.indexOf(useStatement) <= list.indexOf(statement)) return undefined;
  if (finding.kind === 'rawHandle' && isStored(finding.node)) return undefined; // the raw value would outlive the close all the same
  const moved = list.slice(list.indexOf(statement) + 1, list.indexOf(target) + 1);
  const visitorKeys = sourceCode.visitorKeys;
  const changesOwner = (node: TSESTree.Node): boolean =>
    ABRUPT.has(node.type) ||
    (node.type === AST_NODE_TYPES.CallExpression && closes.get(node)?.key === finding.key) ||
    (node.type === AST_NODE_TYPES.AssignmentExpression && keys.written(node.left).includes(finding.key)) ||
    (node.type === AST_NODE_TYPES.UpdateExpression && keys.written(node.argument).includes(finding.key));
  const skipFunctions = { skip: (node: TSESTree.Node) => isFunction(node) || node.type === AST_NODE_TYPES.ClassBody };
  if (moved.some(node => some(node, visitorKeys, changesOwner, skipFunctions))) return undefined;
  if (!ownerOutlivesNoLoop(statement, finding.key, fn)) return undefined;

  const lines = sourceCode.lines;
  const firstLine = leadingCommentLine(sourceCode, statement);
  const lastLine = statement.loc.end.line;
  if (!endsItsLine(sourceCode, statement) || !endsItsLine(sourceCode, target)) return undefined;
  if (lines[statement.loc.start.line - 1]!.slice(0, statement.loc.start.column).trim() !== '') return undefined;
  const newline = lineBreakOf(sourceCode);
  const text = lines.slice(firstLine - 1, lastLine).join(newline);
  const removeFrom = sourceCode.getIndexFromLoc({ line: firstLine, column: 0 });
  const removeTo = sourceCode.getIndexFromLoc({ line: lastLine + 1, column: 0 });
  const targetLine = target.loc.end.line;
  const insertAt = sourceCode.getIndexFromLoc({ line: targetLine, column: lines[targetLine - 1]!.length });
  return {
    after: target,
    fix: fixer => [fixer.removeRange([removeFrom, removeTo]), fixer.insertTextAfterRange([insertAt, insertAt], `${newline}${text}`)],
  };
}

/** Whether a raw-handle read is kept for later: declared (`const { fd } = fh`, `const fd = fh.fd`) or assigned. */
function isStored(read: TSESTree.Node): boolean {
  for (let node: TSESTree.Node | undefined = read; node && !isFunction(node); node = node.parent) {
    if (node.type === AST_NODE_TYPES.VariableDeclarator || node.type === AST_NODE_TYPES.AssignmentExpression) return true;
    if (node.type === AST_NODE_TYPES.ExpressionStatement || node.type === AST_NODE_TYPES.BlockStatement) return false;
  }
  return false;
}

/** False when the close sits in a loop (inside the function) that the owner was declared outside of. */
function ownerOutlivesNoLoop(statement: TSESTree.Node, key: Key, fn: FunctionNode | TSESTree.Program): boolean {
  for (let node = statement.parent; node && node !== fn; node = node.parent) {
    if (!LOOPS.has(node.type)) continue;
    if (typeof key === 'string') return false;
    const declared = key.defs[0]?.name;
    return declared !== undefined && declared.range[0] >= node.range[0] && declared.range[1] <= node.range[1];
  }
  return true;
}

/** The first line of the comment lines right above the statement (no blank line between), or the statement's own line. */
function leadingCommentLine(sourceCode: Readonly<TSESLint.SourceCode>, statement: TSESTree.Node): number {
  let line = statement.loc.start.line;
  const comments = sourceCode.getCommentsBefore(statement);
  for (let index = comments.length - 1; index >= 0; index--) {
    const comment = comments[index]!;
    const before = sourceCode.lines[comment.loc.start.line - 1]!.slice(0, comment.loc.start.column);
    if (comment.loc.end.line !== line - 1 || before.trim() !== '') break;
    line = comment.loc.start.line;
  }
  return line;
}

/** Whether only whitespace or a comment follows the node on its last line. */
function endsItsLine(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): boolean {
  const rest = sourceCode.lines[node.loc.end.line - 1]!.slice(node.loc.end.column).trim();
  if (rest === '') return true;
  const next = sourceCode.getTokenAfter(node, { includeComments: true });
  return (
    next !== null &&
    ASTUtils.isCommentToken(next) &&
    next.loc.start.line === node.loc.end.line &&
    next.loc.end.line === node.loc.end.line &&
    rest === sourceCode.getText(next).trim()
  );
}
