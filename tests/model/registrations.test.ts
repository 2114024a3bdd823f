import { AST_NODE_TYPES, ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import {
  abortListenerCall,
  classClosePath,
  clearedTimer,
  getNativeHandleServices,
  isAbortController,
  isAbortSignal,
  isFinalizationRegistry,
  isNodeTimeout,
  isSetIntervalCall,
  mentionsThis,
  propertyKeyName,
  registryCall,
  signalOrigin,
  usesOwner,
} from '../../src/model/index.js';
import { createRuleTester } from '../ruleTester.js';

// Probe rules: report what the helpers answer, so the tests read the answers as lint messages.
const createProbe = ESLintUtils.RuleCreator.withoutDocs;
const tester = createRuleTester();

/** `kind(x)`: which of the lib/@types/node types `x` is (`none` when it is none of them). */
const typeProbe = createProbe({
  meta: { type: 'problem', schema: [], defaultOptions: [], messages: { kind: '{{kind}}' } },
  create(context) {
    const services = getNativeHandleServices(context);
    return {
      'CallExpression[callee.name="kind"]'(call: TSESTree.CallExpression) {
        const arg = call.arguments[0]!;
        const kinds = [
          isFinalizationRegistry(services, arg) && 'FinalizationRegistry',
          isAbortSignal(services, arg) && 'AbortSignal',
          isAbortController(services, arg) && 'AbortController',
          isNodeTimeout(services, arg) && 'Timeout',
        ].filter(Boolean);
        context.report({ node: call, messageId: 'kind', data: { kind: kinds.join(',') || 'none' } });
      },
    };
  },
});

/** Every call the helpers recognise: a registry call, an abort listener call, a setInterval, a timer stop. */
const callProbe = createProbe({
  meta: { type: 'problem', schema: [], defaultOptions: [], messages: { call: '{{what}}' } },
  create(context) {
    const services = getNativeHandleServices(context);
    const text = (node: TSESTree.Node | undefined): string => (node ? context.sourceCode.getText(node) : '-');
    return {
      CallExpression(call) {
        const registry = registryCall(services, call);
        const listener = abortListenerCall(services, call);
        const timer = clearedTimer(services, call);
        let what: string | undefined;
        if (registry) what = `${registry.method} on ${text(registry.registry)}`;
        else if (listener)
          what = `${listener.method} ${text(listener.listener)} on ${text(listener.signal)} with ${text(listener.options)}`;
        else if (timer) what = `stops ${text(timer)}`;
        else if (isSetIntervalCall(services, call)) what = 'setInterval';
        if (what !== undefined) context.report({ node: call, messageId: 'call', data: { what } });
      },
    };
  },
});

/** `origin(x)`: where the signal `x` comes from. */
const originProbe = createProbe({
  meta: { type: 'problem', schema: [], defaultOptions: [], messages: { origin: '{{origin}}' } },
  create(context) {
    const services = getNativeHandleServices(context);
    return {
      'CallExpression[callee.name="origin"]'(call: TSESTree.CallExpression) {
        context.report({
          node: call,
          messageId: 'origin',
          data: { origin: signalOrigin(services, context.sourceCode, call.arguments[0]!) },
        });
      },
    };
  },
});

/** Each class: whether it is an owner, its close methods, and the functions of its close path (by member name). */
const classProbe = createProbe({
  meta: { type: 'problem', schema: [], defaultOptions: [], messages: { path: '{{owner}} close=[{{close}}] path=[{{path}}]' } },
  create(context) {
    const services = getNativeHandleServices(context);
    const memberName = (fn: TSESTree.Node): string => {
      const parent = fn.parent;
      return parent && (parent.type === AST_NODE_TYPES.MethodDefinition || parent.type === AST_NODE_TYPES.PropertyDefinition)
        ? (propertyKeyName(parent.key, parent.computed) ?? '?')
        : '?';
    };
    return {
      ClassDeclaration(node) {
        const path = classClosePath(services, context.sourceCode, node);
        context.report({
          node,
          messageId: 'path',
          data: {
            owner: path.owner ? `owner ${path.owner.name}` : 'not an owner',
            close: path.closeMethods.map(method => propertyKeyName(method.key, method.computed)).join(' '),
            path: path.functions.map(memberName).join(' '),
          },
        });
      },
    };
  },
});

/** `uses(x)`: whether `x` uses an owner or its raw handle, and whether it mentions `this`. */
const usesProbe = createProbe({
  meta: { type: 'problem', schema: [], defaultOptions: [], messages: { uses: 'owner={{owner}} this={{self}}' } },
  create(context) {
    const services = getNativeHandleServices(context);
    return {
      'CallExpression[callee.name="uses"]'(call: TSESTree.CallExpression) {
        const arg = call.arguments[0]!;
        context.report({
          node: call,
          messageId: 'uses',
          data: { owner: String(usesOwner(services, context.sourceCode, arg)), self: String(mentionsThis(context.sourceCode, arg)) },
        });
      },
    };
  },
});

const DECLS = 'declare function kind(value: unknown): void;';

tester.run('type predicates', typeProbe, {
  valid: [],
  invalid: [
    {
      name: 'a FinalizationRegistry',
      code: `${DECLS} declare const r: FinalizationRegistry<number>; kind(r);`,
      errors: [{ messageId: 'kind', data: { kind: 'FinalizationRegistry' } }],
    },
    {
      name: 'a nullable AbortSignal',
      code: `${DECLS} declare const s: AbortSignal | undefined; kind(s);`,
      errors: [{ messageId: 'kind', data: { kind: 'AbortSignal' } }],
    },
    {
      name: 'an AbortController',
      code: `${DECLS} kind(new AbortController());`,
      errors: [{ messageId: 'kind', data: { kind: 'AbortController' } }],
    },
    {
      name: 'the result of setInterval',
      code: `${DECLS} kind(setInterval(() => {}, 1));`,
      errors: [{ messageId: 'kind', data: { kind: 'Timeout' } }],
    },
    {
      name: 'a type parameter constrained to AbortSignal',
      code: `${DECLS} function f<S extends AbortSignal>(s: S) { kind(s); }`,
      errors: [{ messageId: 'kind', data: { kind: 'AbortSignal' } }],
    },
    {
      name: 'a local class named FinalizationRegistry',
      code: `${DECLS} class FinalizationRegistry { register() {} } kind(new FinalizationRegistry());`,
      errors: [{ messageId: 'kind', data: { kind: 'none' } }],
    },
    {
      name: 'an interface named AbortSignal in a module',
      code: `${DECLS} interface Sig { aborted: boolean } declare const s: Sig; kind(s); export {};`,
      errors: [{ messageId: 'kind', data: { kind: 'none' } }],
    },
    { name: 'any', code: `${DECLS} declare const s: any; kind(s);`, errors: [{ messageId: 'kind', data: { kind: 'none' } }] },
    {
      name: 'a union with another type',
      code: `${DECLS} declare const s: AbortSignal | EventTarget; kind(s);`,
      errors: [{ messageId: 'kind', data: { kind: 'none' } }],
    },
  ],
});

tester.run('call predicates', callProbe, {
  valid: [
    { name: 'register on a look-alike', code: 'declare const r: { register(a: object, b: number): void }; r.register({}, 1);' },
    { name: "a 'close' listener", code: "declare const s: AbortSignal; s.addEventListener('close', () => {});" },
    { name: 'an abort listener on a plain EventTarget', code: "declare const t: EventTarget; t.addEventListener('abort', () => {});" },
    { name: 'unref does not stop a timer', code: 'declare const t: NodeJS.Timeout; t.unref();' },
    { name: 'close() of something else', code: 'declare const t: { close(): void }; t.close();' },
    {
      name: 'a local clearInterval',
      code: 'function clearInterval(t: unknown) { void t; } declare const t: NodeJS.Timeout; clearInterval(t); export {};',
    },
    { name: 'setTimeout', code: 'setTimeout(() => {}, 1);' },
  ],
  invalid: [
    {
      name: 'register and unregister',
      code: 'declare const r: FinalizationRegistry<number>; r.register({}, 1, r); r.unregister(r);',
      errors: [
        { messageId: 'call', data: { what: 'register on r' } },
        { messageId: 'call', data: { what: 'unregister on r' } },
      ],
    },
    {
      name: 'abort listeners, template-literal event name',
      code: "declare const s: AbortSignal; const f = () => {}; s.addEventListener(`abort`, f, { once: true }); s.removeEventListener('abort', f);",
      errors: [
        { messageId: 'call', data: { what: 'add f on s with { once: true }' } },
        { messageId: 'call', data: { what: 'remove f on s with -' } },
      ],
    },
    {
      name: 'timers started and stopped',
      code: 'const t = setInterval(() => {}, 1); clearInterval(t); clearTimeout(t); t.close(); t[Symbol.dispose]();',
      errors: [
        { messageId: 'call', data: { what: 'setInterval' } },
        { messageId: 'call', data: { what: 'stops t' } },
        { messageId: 'call', data: { what: 'stops t' } },
        { messageId: 'call', data: { what: 'stops t' } },
        { messageId: 'call', data: { what: 'stops t' } },
      ],
    },
    {
      name: 'setInterval and clearInterval imported from timers under other names',
      code: "import { setInterval as every, clearInterval as stop } from 'node:timers'; const t = every(() => {}, 1); stop(t);",
      errors: [
        { messageId: 'call', data: { what: 'setInterval' } },
        { messageId: 'call', data: { what: 'stops t' } },
      ],
    },
  ],
});

const ORIGIN = 'declare function origin(signal: AbortSignal): void;';

tester.run('signalOrigin', originProbe, {
  valid: [],
  invalid: [
    {
      name: 'a parameter',
      code: `${ORIGIN} export function f(signal: AbortSignal) { origin(signal); }`,
      errors: [{ messageId: 'origin', data: { origin: 'outside' } }],
    },
    {
      name: 'a member of a parameter',
      code: `${ORIGIN} export function f(opts: { signal: AbortSignal }) { origin(opts.signal); }`,
      errors: [{ messageId: 'origin', data: { origin: 'outside' } }],
    },
    {
      name: 'a destructured parameter',
      code: `${ORIGIN} export function f({ signal }: { signal: AbortSignal }) { origin(signal); }`,
      errors: [{ messageId: 'origin', data: { origin: 'outside' } }],
    },
    {
      name: 'a module-level controller',
      code: `${ORIGIN} const ac = new AbortController(); export function f() { origin(ac.signal); }`,
      errors: [{ messageId: 'origin', data: { origin: 'outside' } }],
    },
    {
      name: 'a local controller',
      code: `${ORIGIN} export function f() { const ac = new AbortController(); origin(ac.signal); }`,
      errors: [{ messageId: 'origin', data: { origin: 'own' } }],
    },
    {
      name: 'a local alias of a parameter',
      code: `${ORIGIN} export function f(s: AbortSignal) { const signal = s; origin(signal); }`,
      errors: [{ messageId: 'origin', data: { origin: 'outside' } }],
    },
    {
      name: "the class's own controller",
      code: `${ORIGIN} export class C { #ac = new AbortController(); m() { origin(this.#ac.signal); } }`,
      errors: [{ messageId: 'origin', data: { origin: 'own' } }],
    },
    {
      name: 'a parameter property',
      code: `${ORIGIN} export class C { constructor(private readonly signal: AbortSignal) {} m() { origin(this.signal); } }`,
      errors: [{ messageId: 'origin', data: { origin: 'outside' } }],
    },
    {
      name: 'a field set from a constructor parameter',
      code: `${ORIGIN} export class C { signal: AbortSignal; constructor(s: AbortSignal) { this.signal = s; } m() { origin(this.signal); } }`,
      errors: [{ messageId: 'origin', data: { origin: 'outside' } }],
    },
    {
      name: "a field initialised from the class's controller",
      code: `${ORIGIN} export class C { #ac = new AbortController(); signal = this.#ac.signal; m() { origin(this.signal); } }`,
      errors: [{ messageId: 'origin', data: { origin: 'own' } }],
    },
    {
      name: 'AbortSignal.timeout()',
      code: `${ORIGIN} origin(AbortSignal.timeout(10));`,
      errors: [{ messageId: 'origin', data: { origin: 'unknown' } }],
    },
    {
      name: 'a call',
      code: `${ORIGIN} declare function get(): AbortSignal; origin(get());`,
      errors: [{ messageId: 'origin', data: { origin: 'unknown' } }],
    },
  ],
});

tester.run('classClosePath', classProbe, {
  valid: [],
  invalid: [
    {
      name: 'an inferred owner class: close methods and the methods they call on this',
      code: `
        import type { FileHandle } from 'node:fs/promises';
        export class Log {
          constructor(private readonly fh: FileHandle) {}
          #stop = (): void => {};
          private flush(): void {}
          unrelated(): void {}
          async close(): Promise<void> { this.flush(); this.#stop(); await this.fh.close(); }
          async [Symbol.asyncDispose](): Promise<void> { await this.close(); }
        }
      `,
      errors: [
        {
          messageId: 'path',
          data: { owner: 'owner Log', close: 'close [Symbol.asyncDispose]', path: 'close [Symbol.asyncDispose] flush #stop' },
        },
      ],
    },
    {
      name: 'a tagged class with a configured-by-tag close method',
      code: `
        /** @nativeResource */
        export class Pty {
          /** @close */
          shutdown(): void {}
          close(): void {}
        }
      `,
      errors: [{ messageId: 'path', data: { owner: 'owner Pty', close: 'shutdown', path: 'shutdown' } }],
    },
    {
      name: 'a class that owns nothing: the conventional close names',
      code: 'export class Ticker { dispose(): void {} static close(): void {} }',
      errors: [{ messageId: 'path', data: { owner: 'not an owner', close: 'dispose', path: 'dispose' } }],
    },
  ],
});

tester.run('usesOwner and mentionsThis', usesProbe, {
  valid: [],
  invalid: [
    {
      name: 'owners, raw handles and this',
      code: `
        import type { FileHandle } from 'node:fs/promises';
        declare function uses(value: unknown): void;
        export class C {
          constructor(private readonly fh: FileHandle, private readonly name: string) {}
          m(other: FileHandle): void {
            uses(() => void other.close());
            uses(other.fd);
            uses({ fd: other.fd });
            uses(() => this.name);
            uses(() => this.fh);
            uses(function (this: unknown) { return this; });
            uses(() => console.log('x'));
          }
        }
      `,
      errors: [
        { messageId: 'uses', data: { owner: 'true', self: 'false' } },
        { messageId: 'uses', data: { owner: 'true', self: 'false' } },
        { messageId: 'uses', data: { owner: 'true', self: 'false' } },
        { messageId: 'uses', data: { owner: 'false', self: 'true' } },
        { messageId: 'uses', data: { owner: 'true', self: 'true' } },
        { messageId: 'uses', data: { owner: 'false', self: 'false' } },
        { messageId: 'uses', data: { owner: 'false', self: 'false' } },
      ],
    },
  ],
});
