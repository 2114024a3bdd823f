// no-raw-handle-close at Program:exit: for each raw close, whether it closes an owner's raw
// handle or a variable handed to an adopter on some path to it (the adoptions come from the flow
// in adoptionFlow.ts).
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { analyzeFunction, type FlowResult } from '../../model/flow.js';
import { rawHandleSource, type NativeHandleServices } from '../../model/index.js';
import { isInlineFunction, skipWrappers, walk } from '../../util/ast.js';
import { asFunction, contains } from '../../model/util.js';
import { adoptionFlow, sameAdoption } from './adoptionFlow.js';
import type { Collector } from './collector.js';
import type { Adoption, AdoptionSite, CallLike, Finding, FunctionInfo, RawClose, SourceCode, State, Variable } from './records.js';
import { declaredInside, isNestedScope, isStable, variableOf } from './syntax.js';

export class Analyzer {
  private readonly flows = new Map<FunctionInfo, FlowResult<State>>();
  private readonly sites = new Map<CallLike, AdoptionSite>();

  constructor(
    private readonly sourceCode: SourceCode,
    private readonly services: NativeHandleServices,
    private readonly collector: Collector,
  ) {}

  run(): Finding[] {
    const findings: Finding[] = [];
    for (const close of this.collector.closes) {
      const source = rawHandleSource(this.services, this.sourceCode, close.argument);
      if (source) {
        // An owner closing its own raw handle (`closeHandle(this.handle)` in its close method) is how it closes.
        if (skipWrappers(source.ownerNode).type !== AST_NODE_TYPES.ThisExpression) findings.push({ kind: 'owned', close, source });
        continue;
      }
      const argument = skipWrappers(close.argument);
      const variable = argument.type === AST_NODE_TYPES.Identifier ? variableOf(this.sourceCode, argument) : undefined;
      const adoptions = variable ? this.adoptionsAt(close, variable) : [];
      if (variable && adoptions.length > 0) findings.push({ kind: 'adopted', close, variable, adoptions });
    }
    return findings;
  }

  siteOf(call: CallLike): AdoptionSite {
    let site = this.sites.get(call);
    if (!site) {
      site = adoptionSite(call);
      this.sites.set(call, site);
    }
    return site;
  }

  /**
   * The adoptions `variable` has been through on some path to the close: in the close's own
   * function, or, for a close inside a callback of a variable it captures, in the function that
   * creates the callback, before it creates it (the callback cannot run earlier).
   */
  private adoptionsAt(close: RawClose, variable: Variable): readonly Adoption[] {
    let fn = close.fn;
    let anchor: TSESTree.Node = close.call;
    for (;;) {
      if (fn.adopted.has(variable)) {
        if (anchor !== close.call && !isStable(variable)) return [];
        const flow = this.flowOf(fn);
        const adoptions = flow.before(anchor)?.adopted.get(variable) ?? [];
        return adoptions.filter(adoption => adoption.armed || this.unarmedReaches(adoption, variable, close.call, flow));
      }
      if (!fn.parent || !isInlineFunction(fn.node) || declaredInside(variable, fn.node)) return [];
      anchor = fn.node;
      fn = fn.parent;
    }
  }

  /**
   * An adoption not yet armed at a close inside the `catch` of its `try` got there through the
   * adopting statement's own throw: the adopter failed. In the `finally`, it got there that way,
   * or through a `return`, `break` or `continue` right after it: only the latter is an adoption.
   */
  private unarmedReaches(adoption: Adoption, variable: Variable, close: TSESTree.Node, flow: FlowResult<State>): boolean {
    const { tryStatement } = this.siteOf(adoption.call);
    if (tryStatement?.handler && contains(tryStatement.handler, close)) return false;
    const finalizer = tryStatement?.finalizer;
    if (!tryStatement || !finalizer || !contains(finalizer, close)) return true;
    const exits: TSESTree.Node[] = [];
    walk(
      tryStatement.block,
      this.sourceCode.visitorKeys,
      node => {
        if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) exits.push(node.argument);
        else if (
          node.type === AST_NODE_TYPES.ReturnStatement ||
          node.type === AST_NODE_TYPES.BreakStatement ||
          node.type === AST_NODE_TYPES.ContinueStatement
        ) {
          exits.push(node);
        }
      },
      { skipTypes: true, skip: isNestedScope },
    );
    return exits.some(exit => {
      const state = exit.parent?.type === AST_NODE_TYPES.ReturnStatement ? flow.after(exit) : flow.before(exit);
      return state?.adopted.get(variable)?.some(other => sameAdoption(other, adoption)) ?? false;
    });
  }

  private flowOf(fn: FunctionInfo): FlowResult<State> {
    let flow = this.flows.get(fn);
    if (!flow) {
      flow = analyzeFunction(
        asFunction(fn.node),
        adoptionFlow(this.sourceCode, this.collector.adoptions, this),
        this.sourceCode.visitorKeys,
      );
      this.flows.set(fn, flow);
    }
    return flow;
  }
}

/** The statement of an adopting call, and the innermost `try` (in its function) whose block holds it. */
function adoptionSite(call: CallLike): AdoptionSite {
  let statement: TSESTree.Node | undefined;
  let child: TSESTree.Node = call;
  for (let parent: TSESTree.Node | undefined = call.parent; parent; child = parent, parent = parent.parent) {
    if (!statement && (child.type.endsWith('Statement') || child.type === AST_NODE_TYPES.VariableDeclaration)) statement = child;
    if (isNestedScope(parent)) break;
    if (parent.type === AST_NODE_TYPES.TryStatement && parent.block === child)
      return { statement: statement ?? call, tryStatement: parent };
  }
  return { statement: statement ?? call, tryStatement: undefined };
}
