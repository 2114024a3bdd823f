import { AST_NODE_TYPES, ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import { getNativeHandleServices } from '../../src/model/index.js';
import { isTransferableOwner, messageTargetOf, transferListAccepts } from '../../src/model/messaging.js';
import { createRuleTester } from '../ruleTester.js';

// Probe rules: report what the helpers answer, so the tests read the answers as lint messages.
const createProbe = ESLintUtils.RuleCreator.withoutDocs;

/** Reports `x.postMessage(…)` calls whose receiver is a thread endpoint, naming its kind. */
const targetProbe = createProbe({
  meta: { type: 'problem', schema: [], defaultOptions: [], messages: { target: '{{target}}' } },
  create(context) {
    const services = getNativeHandleServices(context);
    return {
      'CallExpression[callee.property.name="postMessage"]'(call: TSESTree.CallExpression) {
        if (call.callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const target = messageTargetOf(services, call.callee.object);
        if (target) context.report({ node: call, messageId: 'target', data: { target } });
      },
    };
  },
});

/**
 * Reports `probe(x)` calls: `transferable` when `x` is an owner a transfer list can move, and
 * `listable` when the `port.postMessage(x, …)` in the same file accepts `x` in its transfer list.
 */
const transferProbe = createProbe({
  meta: { type: 'problem', schema: [], defaultOptions: [], messages: { answer: '{{answer}}' } },
  create(context) {
    const services = getNativeHandleServices(context);
    let post: TSESTree.CallExpression | undefined;
    const probes: TSESTree.CallExpression[] = [];
    return {
      'CallExpression[callee.property.name="postMessage"]'(call: TSESTree.CallExpression) {
        post = call;
      },
      'CallExpression[callee.name="probe"]'(call: TSESTree.CallExpression) {
        probes.push(call);
      },
      'Program:exit'() {
        for (const call of probes) {
          const arg = call.arguments[0];
          if (!arg) continue;
          const owner = services.ownerOf(arg);
          const answers = [
            owner && isTransferableOwner(owner) ? 'transferable' : undefined,
            post && transferListAccepts(services, post, arg) ? 'listable' : undefined,
          ].filter(answer => answer !== undefined);
          if (answers.length > 0) context.report({ node: call, messageId: 'answer', data: { answer: answers.join(' ') } });
        }
      },
    };
  },
});

const PRELUDE = `import type { FileHandle } from 'node:fs/promises';
import * as wt from 'node:worker_threads';
declare function probe(value: unknown): void;
`;
const line = PRELUDE.split('\n').length;

createRuleTester().run('messageTargetOf', targetProbe, {
  valid: [
    { name: 'a window-like object', code: `${PRELUDE}declare const w: { postMessage(m: unknown): void }; w.postMessage(1);` },
    { name: 'any', code: `${PRELUDE}declare const w: any; w.postMessage(1);` },
    {
      name: 'a cluster worker has no postMessage but is not a thread endpoint',
      code: `${PRELUDE}import type { Worker } from 'node:cluster'; declare const w: Worker & { postMessage(m: unknown): void }; w.postMessage(1);`,
    },
    {
      name: 'a union of an endpoint and something else',
      code: `${PRELUDE}declare const w: wt.BroadcastChannel | { postMessage(m: unknown): void }; w.postMessage(1);`,
    },
    { name: 'another owner', code: `${PRELUDE}declare const fh: FileHandle & { postMessage(m: unknown): void }; fh.postMessage(1);` },
  ],
  invalid: [
    {
      name: 'a Worker, a MessagePort (also nullable, and a subclass) and a BroadcastChannel (also the global one, nullable, a subclass)',
      code: `${PRELUDE}declare const w: wt.Worker; w.postMessage(1);
wt.parentPort?.postMessage(1);
class MyPort extends wt.MessagePort {}
declare const p: MyPort; p.postMessage(1);
new wt.BroadcastChannel('x').postMessage(1);
declare const b: wt.BroadcastChannel | undefined; b?.postMessage(1);
class Channel extends wt.BroadcastChannel {}
new Channel('c').postMessage(1);`,
      errors: [
        { messageId: 'target', data: { target: 'Worker' }, line },
        { messageId: 'target', data: { target: 'MessagePort' }, line: line + 1 },
        { messageId: 'target', data: { target: 'MessagePort' }, line: line + 3 },
        { messageId: 'target', data: { target: 'BroadcastChannel' }, line: line + 4 },
        { messageId: 'target', data: { target: 'BroadcastChannel' }, line: line + 5 },
        { messageId: 'target', data: { target: 'BroadcastChannel' }, line: line + 7 },
      ],
    },
  ],
});

createRuleTester().run('transferables', transferProbe, {
  valid: [
    {
      name: 'a net.Socket, a Device and a number',
      code: `${PRELUDE}import type { Socket } from 'node:net';
import type { Device } from 'native-addon-stub';
declare const s: Socket; declare const d: Device;
declare const port: wt.MessagePort; port.postMessage(1);
probe(s); probe(d); probe(3);`,
    },
  ],
  invalid: [
    {
      name: 'a FileHandle and a MessagePort are transferable and listable; an ArrayBuffer only listable; FileHandle | undefined not listable',
      code: `${PRELUDE}declare const fh: FileHandle; declare const other: wt.MessagePort; declare const buffer: ArrayBuffer;
declare const maybe: FileHandle | undefined;
declare const port: wt.MessagePort; port.postMessage(1);
probe(fh);
probe(other);
probe(buffer);
probe(maybe);`,
      errors: [
        { messageId: 'answer', data: { answer: 'transferable listable' }, line: line + 3 },
        { messageId: 'answer', data: { answer: 'transferable listable' }, line: line + 4 },
        { messageId: 'answer', data: { answer: 'listable' }, line: line + 5 },
        { messageId: 'answer', data: { answer: 'transferable' }, line: line + 6 },
      ],
    },
  ],
});
