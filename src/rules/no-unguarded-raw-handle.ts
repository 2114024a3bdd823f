import { AST_NODE_TYPES, AST_TOKEN_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getNativeHandleServices, type NativeHandleServices, type Owner } from '../model/index.js';
import { childContaining, indentOf, lineBreakOf, skipWrappers, statementList } from '../util/ast.js';
import { createRule } from './_createRule.js';
import { RawHandleAnalyzer } from './no-unguarded-raw-handle/analysis.js';
import type { Origin, Reason } from './no-unguarded-raw-handle/records.js';

export type MessageIds = 'rawHandleOutlives' | 'wrapInBorrow';

export default createRule<[], MessageIds>({
  name: 'no-unguarded-raw-handle',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow raw handles that outlive the statement that read them outside an addRef/release borrow',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      rawHandleOutlives:
        'The raw handle `{{member}}` of this {{owner}} {{how}}. It outlives the statement that read it: by then the {{owner}} may be closed and its handle reused by another resource. {{remedy}}',
      wrapInBorrow: 'Hold a borrow around the uses: `{{object}}.{{addRef}}()` before and `{{object}}.{{release}}()` in a `finally`.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const analyzer = new RawHandleAnalyzer(context, services);
    return {
      MemberExpression: node => {
        analyzer.memberCandidate(node);
      },
      VariableDeclarator: node => {
        analyzer.destructuringCandidates(node);
      },
      AwaitExpression: node => {
        analyzer.suspension(node);
      },
      YieldExpression: node => {
        analyzer.suspension(node);
      },
      ForOfStatement: node => {
        if (node.await) analyzer.suspension(node.left);
      },
      'Program:exit': () => {
        const remedies = new Map<Owner, string>(); // one per owner (its members are read from its type)
        for (const origin of analyzer.finish()) report(context, services, origin, remedies);
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;

const HOW: Readonly<Record<Reason, string>> = {
  await: 'is used after an `await` or `yield`',
  callback: 'is used in a callback or closure that can run later',
  field: 'is stored in a field',
  outer: 'is stored in a variable declared outside this function',
  returned: 'is returned from the function that read it',
  asyncCall: 'is passed to an asynchronous operation that keeps using it after this statement',
};
const IDENTIFIER_NAME = /^[A-Za-z_$][\w$]*$/;

// -----------------------------------------------------------------------------------------
// Reports and the suggestion

function report(context: Context, services: NativeHandleServices, origin: Origin, remedies: Map<Owner, string>): void {
  const first = [...origin.problems].sort((a, b) => a.at.range[0] - b.at.range[0])[0];
  if (!first) return;
  const owner = origin.owner;
  const suggestion = borrowSuggestion(context.sourceCode, services, origin);
  let text = remedies.get(owner);
  if (text === undefined) {
    text = remedy(services, owner);
    remedies.set(owner, text);
  }
  context.report({
    node: origin.report,
    messageId: 'rawHandleOutlives',
    data: { owner: owner.name, member: origin.member, how: HOW[first.reason], remedy: text },
    ...(suggestion ? { suggest: [suggestion] } : {}),
  });
}

function remedy(services: NativeHandleServices, owner: Owner): string {
  const model = services.model;
  const [addRef] = model.membersWithRole(owner, 'addRef');
  const [release] = model.membersWithRole(owner, 'release');
  const [lease] = model.membersWithRole(owner, 'lease');
  const borrows: string[] = [];
  if (addRef !== undefined && release !== undefined)
    borrows.push(`\`${addRef}()\` before the read and \`${release}()\` in a \`finally\` after the last use`);
  if (lease !== undefined) borrows.push(`a \`using\` lease from \`${lease}()\``);
  if (borrows.length > 0)
    return `Hold a borrow across every use (${borrows.join(', or ')}), or use the ${owner.name}'s own methods instead of the raw handle.`;
  if (owner.name === 'FileHandle') {
    return "Use the FileHandle's own methods, or pass the FileHandle itself (`{ fd: fh }`, `fh.createReadStream()`), instead of the raw fd.";
  }
  return `Use the ${owner.name}'s own methods, or pass the ${owner.name} itself, instead of the raw handle.`;
}

function borrowSuggestion(
  sourceCode: Readonly<TSESLint.SourceCode>,
  services: NativeHandleServices,
  origin: Origin,
): TSESLint.SuggestionReportDescriptor<MessageIds> | undefined {
  if (origin.problems.some(problem => !problem.borrowable) || origin.key === undefined || origin.nullable) return undefined;
  if (!isStableKey(skipWrappers(origin.object))) return undefined;
  const model = services.model;
  const [addRef] = model.membersWithRole(origin.owner, 'addRef');
  const [release] = model.membersWithRole(origin.owner, 'release');
  if (addRef === undefined || release === undefined || !IDENTIFIER_NAME.test(addRef) || !IDENTIFIER_NAME.test(release)) return undefined;
  const range = wrapRange(sourceCode, origin);
  if (!range) return undefined;
  const object = sourceCode.getText(skipWrappers(origin.object));
  // A bracket already written around the statements, with the release outside a `finally`
  // (`dev.ref(); …; dev.unref();`): the fix reuses it rather than taking a second borrow.
  const statements = statementList(range.first.parent!)!;
  const before = statements[statements.indexOf(range.first) - 1];
  const after = statements[statements.indexOf(range.last) + 1];
  const addRefBefore = before !== undefined && isCallStatement(sourceCode, before, object, addRef);
  const releaseAfter = after !== undefined && isCallStatement(sourceCode, after, object, release);
  if (addRefBefore !== releaseAfter) return undefined;
  const text = wrapText(sourceCode, range.first, range.last, `${object}.${addRef}();`, `${object}.${release}();`);
  const from = addRefBefore ? before : range.first;
  const to = releaseAfter ? after : range.last;
  return {
    messageId: 'wrapInBorrow',
    data: { object, addRef, release },
    fix: fixer => fixer.replaceTextRange([from.range[0], to.range[1]], text),
  };
}

/** `object.method();` as a whole statement (spaces aside). */
function isCallStatement(sourceCode: Readonly<TSESLint.SourceCode>, statement: TSESTree.Node, object: string, method: string): boolean {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  const compact = (text: string): string => text.replace(/\s+/g, '');
  return compact(sourceCode.getText(statement.expression)) === compact(`${object}.${method}()`);
}

/** The statements from the read to the last use, when they are siblings in one block and can be wrapped. */
function wrapRange(sourceCode: Readonly<TSESLint.SourceCode>, origin: Origin): { first: TSESTree.Node; last: TSESTree.Node } | undefined {
  const first = statementIn(origin.report, origin.fn);
  const block = first?.parent;
  const statements = block ? statementList(block) : undefined;
  if (!first || !block || !statements) return undefined;
  const start = statements.indexOf(first);
  let end = start;
  for (const use of [...origin.uses, ...origin.problems.map(problem => problem.at)]) {
    const statement = childContaining(block, use);
    const index = statement ? statements.indexOf(statement) : -1;
    if (index < start) return undefined;
    end = Math.max(end, index);
  }
  return canWrap(sourceCode, statements.slice(start, end + 1)) ? { first, last: statements[end]! } : undefined;
}

/** Block-scoped declarations in the wrapped statements must not be used after them; no `using` inside. */
function canWrap(sourceCode: Readonly<TSESLint.SourceCode>, wrapped: readonly TSESTree.Node[]): boolean {
  const end = wrapped[wrapped.length - 1]!.range[1];
  for (const declaration of wrapped) {
    if (declaration.type === AST_NODE_TYPES.ExportNamedDeclaration || declaration.type === AST_NODE_TYPES.ExportDefaultDeclaration)
      return false;
    if (declaration.type === AST_NODE_TYPES.VariableDeclaration) {
      if (declaration.kind === 'using' || declaration.kind === 'await using') return false;
      if (declaration.kind === 'var') continue;
    } else if (declaration.type !== AST_NODE_TYPES.FunctionDeclaration && declaration.type !== AST_NODE_TYPES.ClassDeclaration) {
      continue;
    }
    for (const variable of sourceCode.getDeclaredVariables(declaration)) {
      if (variable.references.some(reference => reference.identifier.range[0] >= end)) return false;
    }
  }
  return true;
}

function wrapText(
  sourceCode: Readonly<TSESLint.SourceCode>,
  first: TSESTree.Node,
  last: TSESTree.Node,
  addRef: string,
  release: string,
): string {
  const indent = indentOf(sourceCode, first);
  const lineBreak = lineBreakOf(sourceCode);
  const unit = indent.includes('\t') ? '\t' : '  ';
  const templateLines = linesInsideTemplates(sourceCode, first, last);
  const body = sourceCode.text
    .slice(first.range[0], last.range[1])
    .split(/\r?\n/)
    .map((line, index) => {
      if (index === 0) return `${indent}${unit}${line}`;
      const lineNumber = first.loc.start.line + index;
      return line.trim() === '' || templateLines.has(lineNumber) ? line : `${unit}${line}`;
    })
    .join(lineBreak);
  return [addRef, `${indent}try {`, body, `${indent}} finally {`, `${indent}${unit}${release}`, `${indent}}`].join(lineBreak);
}

/** Lines that start inside a multi-line template literal (re-indenting them would change the string). */
function linesInsideTemplates(sourceCode: Readonly<TSESLint.SourceCode>, first: TSESTree.Node, last: TSESTree.Node): Set<number> {
  const lines = new Set<number>();
  const statements = first.parent ? (statementList(first.parent) ?? [first]) : [first];
  for (const statement of statements.slice(statements.indexOf(first), statements.indexOf(last) + 1)) {
    for (const token of sourceCode.getTokens(statement)) {
      if (token.type !== AST_TOKEN_TYPES.Template) continue;
      for (let line = token.loc.start.line + 1; line <= token.loc.end.line; line++) lines.add(line);
    }
  }
  return lines;
}

/** Whether the owner expression can be evaluated again without side effects (for the suggestion). */
function isStableKey(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.ThisExpression) return true;
  return node.type === AST_NODE_TYPES.MemberExpression && !node.computed && !node.optional && isStableKey(node.object);
}

/** The statement in a block-like list that contains `node`, within `fn`. */
function statementIn(node: TSESTree.Node, fn: TSESTree.Node): TSESTree.Node | undefined {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (child === fn) return undefined;
    if (statementList(parent)) return child;
  }
  return undefined;
}
