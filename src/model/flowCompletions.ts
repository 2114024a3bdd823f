import type { AbruptKind, Context, Escape, EscapeRecorder, FlowAnalysis } from './flowTypes.js';

/**
 * Where the completions of the flow engine (src/model/flow.ts) go: the stack of enclosing
 * contexts (`try` blocks, `break`/`continue` targets, optional chains), the recorders of the
 * loops and `finally` blocks being walked, and the state at the function's exit. A
 * `return`/`throw`/`break`/`continue`, or a throw any call may make inside a `try`, is routed
 * from here to its target, through enclosing `finally` blocks. The engine extends this class.
 */
export class FlowCompletions<S> {
  protected readonly contexts: Context<S>[] = [];
  protected exitState: S | undefined;
  protected readonly recorders: EscapeRecorder<S>[] = [];

  constructor(protected readonly analysis: FlowAnalysis<S>) {}

  protected join(a: S | undefined, b: S | undefined): S | undefined {
    if (a === undefined) return b;
    if (b === undefined) return a;
    return this.analysis.join(a, b);
  }

  protected replay(escape: Escape<S>): void {
    if (escape.kind === 'implicit') this.implicitThrow(escape.state);
    else this.abrupt(escape.kind, escape.label, escape.state);
  }

  /** Notes, for every loop being walked that it leaves, a completion consumed by the context at `index` (-1: the function's exit). */
  protected escaped(index: number, kind: Escape<S>['kind'], label: string | undefined, state: S): void {
    for (const recorder of this.recorders) {
      if (recorder.depth <= index) continue;
      const key = `${kind}:${label ?? ''}`;
      const previous = recorder.escapes.get(key);
      if (previous) previous.state = this.analysis.join(previous.state, state);
      else recorder.escapes.set(key, { kind, label, state });
    }
  }

  /** Routes a `return`/`throw`/`break`/`continue` to its target, through enclosing `finally` blocks. */
  protected abrupt(kind: AbruptKind, label: string | undefined, state: S | undefined): void {
    if (state === undefined) return;
    for (let index = this.contexts.length - 1; index >= 0; index--) {
      const context = this.contexts[index]!;
      if (context.kind === 'try') {
        if (kind === 'throw' && context.phase === 'block' && context.hasCatch) {
          this.escaped(index, kind, label, state);
          context.thrown = this.join(context.thrown, state);
          return;
        }
        if (context.hasFinally && context.phase !== 'finally') {
          this.escaped(index, kind, label, state);
          this.addPending(context, kind, label, state);
          return;
        }
      } else if (context.kind === 'target') {
        const named = label === undefined || context.labels.includes(label);
        if (kind === 'break' && named && (label !== undefined || context.accepts !== 'block')) {
          this.escaped(index, kind, label, state);
          context.breaks = this.join(context.breaks, state);
          return;
        }
        if (kind === 'continue' && named && context.accepts === 'loop') {
          this.escaped(index, kind, label, state);
          context.continues = this.join(context.continues, state);
          return;
        }
      }
    }
    this.escaped(-1, kind, label, state);
    this.exitWith(state);
  }

  /** Joins a state into the function's exit, unless the analysis never asks for it. */
  protected exitWith(state: S | undefined): void {
    if (this.analysis.exit !== false) this.exitState = this.join(this.exitState, state);
  }

  /** Whether a throw here reaches a `catch` or `finally` of this function (where {@link implicitThrow} sends it). */
  protected catchesThrow(): boolean {
    for (let index = this.contexts.length - 1; index >= 0; index--) {
      const context = this.contexts[index]!;
      if (context.kind !== 'try' || context.phase === 'finally') continue;
      if ((context.phase === 'block' && context.hasCatch) || context.hasFinally) return true;
    }
    return false;
  }

  /** Any node that may throw inside a `try` sends its state to the `catch`/`finally`. */
  protected implicitThrow(state: S): void {
    for (let index = this.contexts.length - 1; index >= 0; index--) {
      const context = this.contexts[index]!;
      if (context.kind !== 'try' || context.phase === 'finally') continue;
      if (context.phase === 'block' && context.hasCatch) {
        this.escaped(index, 'implicit', undefined, state);
        context.thrown = this.join(context.thrown, state);
        return;
      }
      if (context.hasFinally) {
        this.escaped(index, 'implicit', undefined, state);
        this.addPending(context, 'throw', undefined, state);
        return;
      }
    }
  }

  protected addPending(context: Context<S> & { kind: 'try' }, kind: AbruptKind, label: string | undefined, state: S): void {
    const key = `${kind}:${label ?? ''}`;
    const previous = context.pending.get(key);
    context.pending.set(key, { kind, label, state: previous ? this.analysis.join(previous.state, state) : state });
  }
}
