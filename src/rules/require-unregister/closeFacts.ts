// What the close path of a class undoes (unregister calls, abort-listener removals, cleared
// timers), computed once per class; and the small syntax predicates the three checks share.

import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import {
  abortListenerCall,
  classClosePath,
  clearedTimer,
  memberNameOf,
  registryCall,
  type ClassClosePath,
  type NativeHandleServices,
} from '../../model/index.js';
import { skipWrappers, walk } from '../../util/ast.js';
import { type References } from '../../model/references.js';
import { type ClassLike } from '../../model/util.js';

export type SourceCode = Readonly<TSESLint.SourceCode>;

/** What the close path of a class undoes, by the keys of the expressions involved (see {@link References.keyOf}). */
export interface CloseFacts {
  readonly unregisters: readonly Undo[];
  readonly removals: readonly Undo[];
  readonly clearedTimers: ReadonlySet<string>;
}

/** An undoing call: `registry.unregister(token)` (target = registry), `signal.removeEventListener('abort', listener)` (target = signal). */
export interface Undo {
  readonly call: TSESTree.CallExpression;
  readonly target: string | undefined;
  readonly item: string | undefined;
  /** The signal a removal is made on (to compare it with {@link SignalAnalysis.compareSignals}). */
  readonly signal?: TSESTree.Node;
}

/** Whether, when there are facts on each side, the keys agree: an unknown key matches anything. */
export function sameOrUnknown(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** The close path of each class (see {@link classClosePath}) and what it undoes, computed once per class. */
export class ClosePaths {
  private readonly classes = new Map<ClassLike, ClassClosePath>();
  private readonly closeFacts = new Map<ClassLike, CloseFacts>();

  constructor(
    private readonly services: NativeHandleServices,
    private readonly sourceCode: SourceCode,
    private readonly refs: References,
  ) {}

  closePath(node: ClassLike): ClassClosePath {
    let path = this.classes.get(node);
    if (!path) {
      path = classClosePath(this.services, this.sourceCode, node);
      this.classes.set(node, path);
    }
    return path;
  }

  /** What the close path of a class undoes (computed once per class). */
  factsOf(node: ClassLike, path: ClassClosePath): CloseFacts {
    let facts = this.closeFacts.get(node);
    if (facts) return facts;
    const unregisters: Undo[] = [];
    const removals: Undo[] = [];
    const clearedTimers = new Set<string>();
    for (const fn of path.functions) {
      walk(fn.body, this.sourceCode.visitorKeys, inner => {
        if (inner.type !== AST_NODE_TYPES.CallExpression) return;
        const name = calleeName(inner);
        if (name === 'unregister') {
          const info = registryCall(this.services, inner);
          const token = inner.arguments[0];
          if (info?.method === 'unregister' && token) {
            unregisters.push({ call: inner, target: this.refs.keyOf(info.registry), item: this.refs.keyOf(token) });
          }
        } else if (name === 'removeEventListener') {
          const info = abortListenerCall(this.services, inner);
          if (info?.method === 'remove' && info.listener) {
            removals.push({ call: inner, target: this.refs.keyOf(info.signal), item: this.refs.keyOf(info.listener), signal: info.signal });
          }
        } else if (skipWrappers(inner.callee).type === AST_NODE_TYPES.Identifier || (name !== undefined && TIMER_STOPPERS.has(name))) {
          const timer = clearedTimer(this.services, inner);
          const key = timer && this.refs.keyOf(timer);
          if (key !== undefined) clearedTimers.add(key);
        }
      });
    }
    facts = { unregisters, removals, clearedTimers };
    this.closeFacts.set(node, facts);
    return facts;
  }
}

/** Member calls that may stop a timer (confirmed by {@link clearedTimer}; a plain call `f(x)` is asked too, for imported aliases). */
const TIMER_STOPPERS = new Set(['clearInterval', 'clearTimeout', 'close', '[Symbol.dispose]']);

/** The name a call is made by: `f` in `f()`, `m` in `x.m()`. */
export function calleeName(call: TSESTree.CallExpression): string | undefined {
  const callee = skipWrappers(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  return callee.type === AST_NODE_TYPES.MemberExpression ? memberNameOf(callee) : undefined;
}

export function isThis(node: TSESTree.Node): boolean {
  return skipWrappers(node).type === AST_NODE_TYPES.ThisExpression;
}

/** `this.x` / `this.#x`. */
export function isThisField(node: TSESTree.Node): node is TSESTree.MemberExpression {
  return node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.object.type === AST_NODE_TYPES.ThisExpression;
}
