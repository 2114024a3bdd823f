import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { analyzeFunction } from '../model/flow.js';
import { getNativeHandleServices } from '../model/index.js';
import { statementRemovalRange, type FunctionNode } from '../util/ast.js';
import { createRule } from './_createRule.js';
import { examineExitFunction, type Finding } from './no-cleanup-in-exit-handler/exitListeners.js';
import { containsOwnAwait, runsOnlyAtExit, syncTwinEdit, wholeStatementOf } from './no-cleanup-in-exit-handler/fixes.js';
import { floatingAnalysis, processExitCalls } from './no-cleanup-in-exit-handler/floating.js';
import { registrationOf, resolveListener } from './no-cleanup-in-exit-handler/registrations.js';
import type { Listener, Scan } from './no-cleanup-in-exit-handler/scan.js';

export type MessageIds =
  | 'asyncListener'
  | 'await'
  | 'promiseCall'
  | 'asyncLocalCall'
  | 'timer'
  | 'callbackCall'
  | 'serverClose'
  | 'streamEnd'
  | 'exitAbandonsPromise'
  | 'removeAsync'
  | 'removeCleanup'
  | 'useSyncTwin'
  | 'awaitBeforeExit';

export default createRule<[], MessageIds>({
  name: 'no-cleanup-in-exit-handler',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow asynchronous cleanup in process exit handlers, where it never completes',
      recommended: true,
      requiresTypeChecking: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [],
    defaultOptions: [],
    messages: {
      asyncListener:
        "This exit listener is async, so nothing after its first await ever runs. Node runs 'exit' listeners synchronously and ends the process as soon as they return. Make it synchronous and use synchronous calls (fs.*Sync).",
      await:
        'This await never resumes: it is inside an exit listener, and the process ends as soon as the listener returns. Do this cleanup synchronously, or before the process exits.',
      promiseCall:
        'This call returns a Promise inside an exit listener, where it never settles. The process ends as soon as the listener returns (an fs.promises write leaves an empty file). Use a synchronous call, or do this cleanup before the process exits.',
      asyncLocalCall:
        "'{{name}}' is an async function: called from an exit listener, only its synchronous start runs and the rest is abandoned. Make it synchronous, or call and await it before the process exits.",
      timer:
        "'{{name}}' in an exit listener schedules a callback that never runs: the event loop has already stopped. Do this work synchronously.",
      callbackCall:
        'This call completes through a callback, which never runs in an exit listener. The process ends as soon as the listener returns. Use the synchronous API instead (fs.unlinkSync, fs.writeFileSync, …).',
      serverClose:
        'close() on {{type}} finishes asynchronously (it waits for open connections) and never completes in an exit listener. Close the server before the process exits, e.g. in a signal handler that awaits it.',
      streamEnd:
        'end() on {{type}} flushes asynchronously, so it never completes in an exit listener. Only what the kernel takes at once is written, and the end callback never runs. Finish the stream before the process exits.',
      exitAbandonsPromise:
        'process.exit() here abandons a Promise this handler started and neither awaited nor returned. That cleanup stops midway. Await it (with a hard timeout) before exiting, or set process.exitCode and let the process end on its own.',
      removeAsync: 'Remove `async` from this listener.',
      removeCleanup: 'Remove this cleanup; the process is ending and the OS reclaims handles.',
      useSyncTwin: 'Use {{name}} instead.',
      awaitBeforeExit: 'Await this cleanup before calling process.exit().',
    },
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const scan: Scan<MessageIds> = {
      context,
      services,
      sourceFile: services.tsNodeOf(context.sourceCode.ast).getSourceFile(),
      exitBodies: new Set(),
      terminatingHandlers: new Set(),
      reported: new Set(),
      floating: new Map(),
    };
    return {
      CallExpression(node) {
        const registration = registrationOf(scan, node);
        if (!registration) return;
        const target = resolveListener(scan, registration.listener);
        if (!target) return;
        if (registration.kind === 'exit') checkExitListener(scan, target);
        else checkTerminatingHandler(scan, target);
      },
    };
  },
});

// -----------------------------------------------------------------------------------------
// Exit listeners

function checkExitListener(scan: Scan<MessageIds>, listener: Listener): void {
  const { fn, inline } = listener;
  if (fn.generator) return;
  if (fn.async) reportAsyncListener(scan, fn, inline);
  examineExitFunction(scan, fn, (node, finding) => {
    reportExitFinding(scan, node, finding);
  });
}

function reportAsyncListener(scan: Scan<MessageIds>, fn: FunctionNode, inline: boolean): void {
  const node = inline ? fn : declarationNodeOf(fn);
  if (scan.reported.has(node)) return;
  scan.reported.add(node);
  const asyncToken = scan.context.sourceCode.getFirstToken(fn);
  const next = asyncToken ? scan.context.sourceCode.getTokenAfter(asyncToken) : null;
  scan.context.report({
    node,
    messageId: 'asyncListener',
    suggest:
      inline && asyncToken?.value === 'async' && next && !containsOwnAwait(scan, fn)
        ? [{ messageId: 'removeAsync', fix: fixer => fixer.removeRange([asyncToken.range[0], next.range[0]]) }]
        : [],
  });
}

// -----------------------------------------------------------------------------------------
// Reports and fixes inside exit listeners

function reportExitFinding(scan: Scan<MessageIds>, node: TSESTree.Node, finding: Finding): void {
  if (scan.reported.has(node)) return;
  scan.reported.add(node);
  const twin = node.type === AST_NODE_TYPES.CallExpression && finding.messageId === 'callbackCall' ? syncTwinEdit(scan, node) : undefined;
  const { sourceCode } = scan.context;
  // Rewriting a helper that also runs outside exit handlers would make its other callers block
  // on synchronous I/O: only code that runs at exit alone gets the autofix (CONTRIBUTING.md#quality-bars).
  if (twin && sourceCode.getCommentsInside(twin.statement).length === 0 && runsOnlyAtExit(scan, twin.statement)) {
    scan.context.report({
      node,
      messageId: finding.messageId,
      data: finding.data,
      fix: fixer => fixer.replaceText(twin.statement, twin.text),
    });
    return;
  }
  const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
  if (twin) {
    suggest.push({
      messageId: 'useSyncTwin',
      data: { name: twin.name },
      fix: fixer => fixer.replaceText(twin.statement, twin.text),
    });
  }
  const statement = wholeStatementOf(node);
  if (statement)
    suggest.push({
      messageId: 'removeCleanup',
      fix: fixer => fixer.removeRange(statementRemovalRange(scan.context.sourceCode, statement)),
    });
  scan.context.report({ node, messageId: finding.messageId, data: finding.data, suggest });
}

// -----------------------------------------------------------------------------------------
// Signal and uncaught-error handlers: process.exit() after a floating promise

function checkTerminatingHandler(scan: Scan<MessageIds>, listener: Listener): void {
  const { fn } = listener;
  if (fn.generator || scan.terminatingHandlers.has(fn)) return;
  scan.terminatingHandlers.add(fn);
  const exits = processExitCalls(scan, fn);
  if (exits.length === 0) return;
  const asked = new Set<TSESTree.Node>(exits);
  const result = analyzeFunction(
    fn,
    { ...floatingAnalysis(scan, fn), records: node => asked.has(node), exit: false },
    scan.context.sourceCode.visitorKeys,
  );
  for (const exit of exits) {
    const state = result.before(exit);
    if (state === undefined || state.size === 0) continue;
    const [only] = state;
    const statement = state.size === 1 ? only?.statement : undefined;
    const canAwait = statement !== undefined && only !== undefined && (fn.async || listener.inline);
    scan.context.report({
      node: exit,
      messageId: 'exitAbandonsPromise',
      suggest: canAwait
        ? [
            {
              messageId: 'awaitBeforeExit',
              fix: fixer => [
                ...(fn.async ? [] : [fixer.insertTextBefore(fn, 'async ')]),
                statement.expression.type === AST_NODE_TYPES.UnaryExpression
                  ? fixer.replaceText(statement.expression, `await ${scan.context.sourceCode.getText(statement.expression.argument)}`)
                  : fixer.insertTextBefore(only.call, 'await '),
              ],
            },
          ]
        : [],
    });
  }
}

/** Where an async listener passed by name is declared: the function, method, field or variable. */
function declarationNodeOf(fn: FunctionNode): TSESTree.Node {
  const parent = fn.parent;
  switch (parent.type) {
    case AST_NODE_TYPES.MethodDefinition:
    case AST_NODE_TYPES.Property:
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.VariableDeclarator:
      return parent;
    default:
      return fn;
  }
}
