// no-raw-handle-close: the single AST pass. The raw closes of the file, and the variables each
// adopting call (and each function) hands to an adopter.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { adoptedArguments, type NativeHandleServices } from '../../model/index.js';
import { skipWrappers, type FunctionNode } from '../../util/ast.js';
import type { CallLike, FunctionInfo, RawClose, SourceCode, Variable } from './records.js';
import { variableOf } from './syntax.js';

export class Collector {
  readonly closes: RawClose[] = [];
  /** Adopting calls, with the variables they adopt. */
  readonly adoptions = new Map<CallLike, readonly Variable[]>();
  private readonly stack: FunctionInfo[] = [];

  constructor(
    private readonly sourceCode: SourceCode,
    private readonly services: NativeHandleServices,
  ) {}

  enter(node: FunctionNode | TSESTree.Program): void {
    this.stack.push({ node, parent: this.stack[this.stack.length - 1], adopted: new Set() });
  }

  exit(): void {
    this.stack.pop();
  }

  rawClose(call: TSESTree.CallExpression): void {
    const fn = this.stack[this.stack.length - 1];
    const first = call.arguments[0];
    if (!fn || !first || first.type === AST_NODE_TYPES.SpreadElement) return;
    const argument = skipWrappers(first);
    const candidate =
      argument.type === AST_NODE_TYPES.Identifier ||
      argument.type === AST_NODE_TYPES.MemberExpression ||
      argument.type === AST_NODE_TYPES.CallExpression;
    if (!candidate || !this.services.isRawCloser(call.callee)) return;
    this.closes.push({ call, argument: first, fn });
  }

  adoption(call: CallLike): void {
    const fn = this.stack[this.stack.length - 1];
    if (!fn || !call.arguments.some(mentionsIdentifier)) return;
    const variables: Variable[] = [];
    for (const node of adoptedArguments(this.services, call, this.sourceCode)) {
      const value = skipWrappers(node);
      const variable = value.type === AST_NODE_TYPES.Identifier ? variableOf(this.sourceCode, value) : undefined;
      if (variable && variable.defs.length > 0 && !variables.includes(variable)) variables.push(variable);
    }
    if (variables.length === 0) return;
    this.adoptions.set(call, variables);
    for (const variable of variables) fn.adopted.add(variable);
  }
}

/** `x`, or an object literal with a property `{ fd }` / `{ fd: x }`: what an adopted variable looks like. */
function mentionsIdentifier(argument: TSESTree.CallExpressionArgument): boolean {
  const node = skipWrappers(argument);
  if (node.type === AST_NODE_TYPES.Identifier) return true;
  return (
    node.type === AST_NODE_TYPES.ObjectExpression &&
    node.properties.some(
      property => property.type === AST_NODE_TYPES.Property && skipWrappers(property.value).type === AST_NODE_TYPES.Identifier,
    )
  );
}
