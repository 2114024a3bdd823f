import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { ConditionKeys } from '../model/conditions.js';
import { analyzeFunction } from '../model/flow.js';
import { calleeMember, getNativeHandleServices, memberNameOf, thisFieldName, type NativeHandleServices } from '../model/index.js';
import { isAccessorMember, mayBeCloseName } from '../model/lifetime.js';
import { skipWrappers, type FunctionNode } from '../util/ast.js';
import { createRule } from './_createRule.js';
import { asFunction } from '../model/util.js';
import { UseAfterClose, type Close, type Finding } from './no-use-after-close/analysis.js';
import { moveCloseFix, type MoveClose } from './no-use-after-close/fixes.js';
import { OwnerKeys, type Key } from './no-use-after-close/keys.js';
import { closeOnTheWayOut, closesByKey, isResolveCall, resolveParameter } from './no-use-after-close/tryFinally.js';
export type MessageIds = 'useAfterClose' | 'rawHandleAfterClose' | 'returnedClosed' | 'resolvedClosed' | 'moveClose';

export default createRule<[], MessageIds>({
  name: 'no-use-after-close',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow using an owner after it was closed on the same path',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      useAfterClose:
        '`{{name}}` is used after `{{close}}` (line {{line}}) closed it on this path. Work on a closed {{owner}} fails or is silently dropped. Finish with it before closing it, or give `{{name}}` a new {{owner}} first.',
      rawHandleAfterClose:
        'The raw handle `{{use}}` is read after `{{close}}` (line {{line}}) closed `{{name}}` on this path. The handle of a closed {{owner}} is no longer valid (a FileHandle reports -1), and a number saved earlier may already belong to another file or socket. Read it before closing.',
      returnedClosed:
        '`{{name}}` is returned from a `try` whose `finally` closes it (`{{close}}`, line {{line}}). The caller always receives a closed {{owner}}. Close it in the `finally` only when the `try` failed, or leave the close to the caller.',
      resolvedClosed:
        '`{{name}}` is passed to `{{resolve}}` in a `try` whose `finally` closes it (`{{close}}`, line {{line}}). The promise always delivers a closed {{owner}}. Close it in the `finally` only when the `try` failed, or leave the close to the caller.',
      moveClose: 'Move `{{close}}` after the last statement that uses `{{name}}` (line {{line}}).',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const services = getNativeHandleServices(context);
    const collector = new CloseCollector(context, services);
    return {
      Program: node => {
        collector.enter(node);
      },
      ':function': (node: FunctionNode) => {
        collector.enter(node);
      },
      CallExpression: node => {
        collector.call(node);
      },
      ReturnStatement: node => {
        collector.handOff(node);
      },
      ':function:exit': () => {
        collector.exit();
      },
      'Program:exit': () => {
        collector.exit();
      },
    };
  },
});

// -----------------------------------------------------------------------------------------
// Owners, closes and the single AST pass

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;

interface FunctionInfo {
  readonly node: FunctionNode | TSESTree.Program;
  /** Calls whose member name may be a close (`x.close()`, `this.sock.destroy()`), on an owner the rule can follow. */
  readonly candidates: TSESTree.CallExpression[];
  /** `return x;` statements, and calls that may resolve the promise of an enclosing `new Promise` executor with a value. */
  readonly handOffs: (TSESTree.ReturnStatement | TSESTree.CallExpression)[];
  /** When the function is a `new Promise` executor: the name of its `resolve` parameter. */
  readonly resolve: string | undefined;
}

/** Collects close candidates per function in the one AST pass, and analyses each function that has one when it is left. */
class CloseCollector {
  private readonly stack: FunctionInfo[] = [];

  constructor(
    private readonly context: Context,
    private readonly services: NativeHandleServices,
  ) {}

  enter(node: FunctionNode | TSESTree.Program): void {
    this.stack.push({ node, candidates: [], handOffs: [], resolve: resolveParameter(node)?.name });
  }

  handOff(node: TSESTree.ReturnStatement): void {
    if (node.argument) this.stack[this.stack.length - 1]?.handOffs.push(node);
  }

  call(node: TSESTree.CallExpression): void {
    const callee = node.callee;
    if (callee.type === AST_NODE_TYPES.Identifier && node.arguments.length > 0 && this.stack.some(info => info.resolve === callee.name)) {
      this.stack[this.stack.length - 1]?.handOffs.push(node);
      return;
    }
    const member = calleeMember(node);
    if (!member || !mayBeCloseName(this.services.model, memberNameOf(member))) return;
    const object = skipWrappers(member.object);
    if (object.type === AST_NODE_TYPES.Identifier || thisFieldName(object) !== undefined) {
      this.stack[this.stack.length - 1]?.candidates.push(node);
    }
  }

  exit(): void {
    const info = this.stack.pop();
    if (!info || info.candidates.length === 0) return;
    const keys = new OwnerKeys(this.context.sourceCode, info.node);
    const closes = new Map<TSESTree.CallExpression, Close>();
    const functionText = this.context.sourceCode.getText(info.node);
    for (const call of info.candidates) {
      const member = calleeMember(call)!;
      // Syntax before types: an owner whose text occurs nowhere else in the function (a copy or a
      // destructuring mentions it too) has no use after this close to find.
      const object = skipWrappers(member.object);
      if (!occursElsewhere(functionText, this.context.sourceCode.getText(object), object.range[0] - info.node.range[0])) continue;
      const key = keys.of(member.object);
      if (
        key === undefined ||
        (typeof key === 'string' && isAccessorMember(this.services.model, this.services.tsNodeOf(skipWrappers(member.object))))
      ) {
        continue;
      }
      const called = this.services.calledOwnerMember(call);
      if (called?.roles.includes('close')) closes.set(call, { key, owner: called.owner, member });
    }
    if (closes.size === 0) return;
    const conditions = new ConditionKeys(this.context.sourceCode, info.node, this.context.sourceCode.visitorKeys);
    const analysis = new UseAfterClose(this.services, keys, conditions, closes);
    analyzeFunction(asFunction(info.node), analysis.flow(), this.context.sourceCode.visitorKeys);
    reportFindings(this.context, keys, closes, analysis.findings(), info.node);
    const byKey = info.handOffs.length > 0 ? closesByKey(closes) : new Map<never, never>();
    for (const handOff of info.handOffs) this.reportClosedOnTheWayOut(handOff, keys, closes, byKey, info.node);
  }

  /** `return fh;` (or `resolve(fh)`) in a `try` whose `finally` closes `fh` on every way out. */
  private reportClosedOnTheWayOut(
    handOff: TSESTree.ReturnStatement | TSESTree.CallExpression,
    keys: OwnerKeys,
    closes: ReadonlyMap<TSESTree.CallExpression, Close>,
    byKey: ReadonlyMap<Key, readonly TSESTree.CallExpression[]>,
    fn: FunctionNode | TSESTree.Program,
  ): void {
    const returned = handOff.type === AST_NODE_TYPES.ReturnStatement ? handOff.argument : handOff.arguments[0];
    if (!returned || returned.type === AST_NODE_TYPES.SpreadElement) return;
    if (handOff.type === AST_NODE_TYPES.CallExpression && !isResolveCall(this.context.sourceCode, handOff)) return;
    const key = keys.of(returned);
    if (key === undefined) return;
    const close = closeOnTheWayOut(handOff, key, keys, byKey, fn, this.context.sourceCode.visitorKeys);
    if (!close) return;
    const sourceCode = this.context.sourceCode;
    const { member, owner } = closes.get(close)!;
    const data = {
      name: sourceCode.getText(returned),
      close: `${sourceCode.getText(member)}()`,
      line: String(close.loc.start.line),
      owner: owner.name,
    };
    if (handOff.type === AST_NODE_TYPES.ReturnStatement) {
      this.context.report({ node: handOff, messageId: 'returnedClosed', data, suggest: null });
    } else {
      this.context.report({
        node: handOff,
        messageId: 'resolvedClosed',
        data: { ...data, resolve: sourceCode.getText(handOff.callee) },
        suggest: null,
      });
    }
  }
}

// -----------------------------------------------------------------------------------------
// Reports and the suggestion

function reportFindings(
  context: Context,
  keys: OwnerKeys,
  closes: ReadonlyMap<TSESTree.CallExpression, Close>,
  findings: readonly Finding[],
  fn: FunctionNode | TSESTree.Program,
): void {
  const sourceCode = context.sourceCode;
  const offered = new Set<TSESTree.CallExpression>();
  for (const finding of findings) {
    const first = [...finding.closes].sort((a, b) => a.range[0] - b.range[0])[0]!;
    const close = closes.get(first)!;
    const data = {
      name: sourceCode.getText(close.member.object),
      close: `${sourceCode.getText(close.member)}()`,
      line: String(first.loc.start.line),
      owner: finding.owner.name,
      use: sourceCode.getText(finding.node),
    };
    let move: MoveClose | undefined;
    if (finding.closes.size === 1 && !offered.has(first)) {
      offered.add(first);
      move = moveCloseFix(sourceCode, keys, closes, first, finding, fn);
    }
    context.report({
      node: finding.node,
      messageId: finding.kind === 'rawHandle' ? 'rawHandleAfterClose' : 'useAfterClose',
      data,
      suggest: move
        ? [{ messageId: 'moveClose', data: { close: data.close, name: data.name, line: String(move.after.loc.end.line) }, fix: move.fix }]
        : null,
    });
  }
}

/**
 * Whether `text`, found in `source` at `at`, occurs there a second time: searched from `at` both
 * ways, so that the search usually stops at a nearby use (from the start of the function, each
 * close of a long one scanned it up to its owner's first mention: quadratic in its length).
 */
function occursElsewhere(source: string, text: string, at: number): boolean {
  return (at > 0 && source.lastIndexOf(text, at - 1) !== -1) || source.indexOf(text, at + 1) !== -1;
}
