import { AST_NODE_TYPES, AST_TOKEN_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { getNativeHandleServices, type NativeHandleServices } from '../model/index.js';
import { childContaining, indentOf, lineBreakOf, linesBefore, statementList, type FunctionNode } from '../util/ast.js';
import { createRule } from './_createRule.js';
import { ClassAnalysis } from './require-lifetime-guard/analysis.js';
import { enclosingStatement } from './require-lifetime-guard/ast.js';
import { Entry, type Finding, type Origin } from './require-lifetime-guard/findings.js';
import { describeClass, type ClassInfo, type ClassNode } from './require-lifetime-guard/ownerClass.js';

export type MessageIds = 'unguardedAfterAwait' | 'rawHandleAfterAwait' | 'unguardedInCallback' | 'acquiredAfterAwait' | 'insertFlagCheck';
export type Options = [{ allOwnedFields?: boolean }];

export default createRule<Options, MessageIds>({
  name: 'require-lifetime-guard',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a liveness check before an owner class uses its resources after an await or in a later callback',
      recommended: true,
      strictOptions: [{ allOwnedFields: true }],
      requiresTypeChecking: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: {
      unguardedAfterAwait:
        "`this.{{field}}` ({{owner}}) is used after an `await` with no check that this {{className}} is still open. Another caller may have closed it while this code was suspended, and the call then fails (EBADF, ERR_STREAM_DESTROYED). Check the closed flag, or call the class's throwing guard, between the await and the use.",
      unguardedInCallback:
        '`this.{{field}}` ({{owner}}) is used in a later callback with no check that this {{className}} is still open. It may have been closed before the callback runs. Check the closed flag at the start of the callback.',
      rawHandleAfterAwait:
        "`this.{{field}}` (a raw handle) is read after an `await` with no check that this {{className}} is still open. A close() during the await freed the number, which may already belong to an unrelated file or socket. Check the closed flag, or call the class's throwing guard, between the await and the use.",
      acquiredAfterAwait:
        '`this.{{field}}` gets a newly acquired {{owner}} after an `await` with no check that this {{className}} is still open. If it was closed meanwhile (or before a later callback ran), nothing will ever close the new one: a leak, the close undone. Check the closed flag before acquiring, or close the new resource when the flag says closed.',
      insertFlagCheck: 'Throw when this {{className}} is closed: insert `if (this.{{flag}}) throw new Error(…)` before the use.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          allOwnedFields: {
            type: 'boolean',
            description:
              'Also report uses of owned fields that are Node built-ins or inferred owner classes (which fail with a clean error after close), not only native resources (tagged, configured, known native packages).',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ allOwnedFields: false }],
  },
  create(context, [{ allOwnedFields = false }]) {
    const services = getNativeHandleServices(context);
    const frames: ClassFrame[] = [];
    const enterClass = (node: ClassNode): void => {
      frames.push({ node, functions: [], usesThis: false });
    };
    const exitClass = (): void => {
      const frame = frames.pop();
      if (frame && frame.usesThis && frame.functions.length > 0) checkClass(context, services, frame, allOwnedFields);
    };
    return {
      ClassDeclaration: enterClass,
      ClassExpression: enterClass,
      'ClassDeclaration:exit': exitClass,
      'ClassExpression:exit': exitClass,
      ':function'(node: FunctionNode) {
        const frame = frames[frames.length - 1];
        if (frame && (node.async || node.type === AST_NODE_TYPES.ArrowFunctionExpression)) frame.functions.push(node);
      },
      'MemberExpression[object.type="ThisExpression"]'() {
        const frame = frames[frames.length - 1];
        if (frame) frame.usesThis = true;
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, Options>>;

interface ClassFrame {
  readonly node: ClassNode;
  /** Async functions and arrow functions met inside the class body (nested classes have their own frame). */
  readonly functions: FunctionNode[];
  usesThis: boolean;
}

function checkClass(context: Context, services: NativeHandleServices, frame: ClassFrame, allOwnedFields: boolean): void {
  const info = describeClass(services, frame.node, context.sourceCode.visitorKeys, allOwnedFields);
  if (!info) return;
  const analysis = new ClassAnalysis(context, services, info);
  const findings = new Map<string, Finding & { origins: Set<Origin> }>();
  for (const fn of frame.functions) {
    for (const finding of analysis.standaloneFindings(fn)) {
      const origins = [...finding.origins].filter(origin => !(origin instanceof Entry));
      if (origins.length === 0) continue;
      const key = `${String(finding.node.range[0])}:${finding.field}`;
      const known = findings.get(key);
      if (known) for (const origin of origins) known.origins.add(origin);
      else findings.set(key, { ...finding, origins: new Set(origins) });
    }
  }
  for (const finding of findings.values()) report(context, info, finding);
}

// -----------------------------------------------------------------------------------------
// Reports and fixes

function report(context: Context, info: ClassInfo, finding: Finding): void {
  const onlyCallbacks = [...finding.origins].every(origin => origin === finding.fn && !(origin instanceof Entry));
  const data = { field: finding.field, owner: info.fields.get(finding.field)?.name ?? 'raw handle', className: info.name };
  if (finding.acquired) {
    context.report({ node: finding.node, messageId: 'acquiredAfterAwait', data });
    return;
  }
  const autofix = autofixFor(context, info, finding);
  const suggestion = autofix ? undefined : suggestionFor(context, info, finding);
  context.report({
    node: finding.node,
    messageId: onlyCallbacks ? 'unguardedInCallback' : info.fields.has(finding.field) ? 'unguardedAfterAwait' : 'rawHandleAfterAwait',
    data,
    ...(autofix ? { fix: autofix } : {}),
    suggest: suggestion
      ? [{ messageId: 'insertFlagCheck', data: { className: info.name, flag: suggestion.flag }, fix: suggestion.fix }]
      : [],
  });
}

/**
 * `this.throwIfClosed();` (or `await this.assertOpen();` for an async guard, inside an async
 * function) on a new line after the statement holding the await, when the class has a guard that
 * verifiably throws, that statement is an expression statement or a declaration in a block, and
 * the use is in a later statement of that block.
 */
function autofixFor(context: Context, info: ClassInfo, finding: Finding): TSESLint.ReportFixFunction | undefined {
  const guard = info.fixGuard;
  if (guard === undefined || finding.origins.size !== 1) return undefined;
  if (guard.kind === 'async' && !finding.fn.async) return undefined;
  const origin = [...finding.origins][0]!;
  if (origin instanceof Entry || (origin.type !== AST_NODE_TYPES.AwaitExpression && origin.type !== AST_NODE_TYPES.YieldExpression))
    return undefined;
  const statement = enclosingStatement(origin);
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement && statement?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
  const block = statement.parent;
  if (block.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const useStatement = childContaining(block, finding.node);
  if (!useStatement || block.body.indexOf(useStatement as TSESTree.Statement) <= block.body.indexOf(statement)) return undefined;
  const sourceCode = context.sourceCode;
  let end = statement.range[1];
  for (
    let next = sourceCode.getTokenAfter(statement, { includeComments: true });
    next && (next.type === AST_TOKEN_TYPES.Line || next.type === AST_TOKEN_TYPES.Block) && next.loc.start.line === statement.loc.end.line;
    next = sourceCode.getTokenAfter(next, { includeComments: true })
  ) {
    end = next.range[1];
  }
  const call = `${guard.kind === 'async' ? 'await ' : ''}this.${guard.name}();`;
  const text = `${lineBreakOf(sourceCode)}${indentOf(sourceCode, statement)}${call}`;
  return fixer => fixer.insertTextAfterRange([end, end], text);
}

/** `if (this.closed) throw new Error('X is closed');` before the statement holding the use (or at the start of an expression-bodied callback). */
function suggestionFor(context: Context, info: ClassInfo, finding: Finding): { flag: string; fix: TSESLint.ReportFixFunction } | undefined {
  const flag = info.fixFlag;
  if (flag === undefined) return undefined;
  const check = `if (this.${flag}) throw new Error('${info.name} is closed');`;
  const fn = finding.fn;
  const statement = enclosingStatement(finding.node, fn);
  if (!statement) {
    if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression || fn.body.type === AST_NODE_TYPES.BlockStatement || fn.returnType)
      return undefined;
    const arrow = context.sourceCode.getTokenBefore(fn.body, { filter: token => token.value === '=>' });
    if (!arrow) return undefined;
    const body = context.sourceCode.text.slice(arrow.range[1], fn.range[1]).trim();
    return { flag, fix: fixer => fixer.replaceTextRange([arrow.range[1], fn.range[1]], ` { ${check} return ${body}; }`) };
  }
  if (!statement.parent || !statementList(statement.parent)) return undefined;
  // An await inside the statement that runs before the use (`this.fh.write(await encode())`):
  // a check before the statement would come too early. One that wraps the use reaches it only
  // through a loop's next iteration.
  const awaitedBefore = [...finding.origins].some(
    origin =>
      !(origin instanceof Entry) &&
      origin.range[0] >= statement.range[0] &&
      origin.range[1] <= statement.range[1] &&
      !(origin.range[0] <= finding.node.range[0] && finding.node.range[1] <= origin.range[1]),
  );
  if (awaitedBefore) return undefined;
  return { flag, fix: fixer => fixer.insertTextBefore(statement, linesBefore(context.sourceCode, statement, [check])) };
}
