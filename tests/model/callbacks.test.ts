import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import type { NativeHandleServices } from '../../src/model/index.js';
import { isFunction, walk } from '../../src/util/ast.js';
import { typedFile } from './parse.js';

// ------------------------------------------------------------------------------------------
// Helpers

/**
 * The services a rule gets for `code` (compiled as `fixtures/file.ts`), and a lookup of the
 * functions in it by the name of their first parameter (`(now1) => …`).
 */
function servicesFor(code: string): { services: NativeHandleServices; fn: (label: string) => TSESTree.Node } {
  const { ast, visitorKeys, services } = typedFile(code);
  const functions = new Map<string, TSESTree.Node>();
  walk(ast, visitorKeys, node => {
    const first = isFunction(node) ? node.params[0] : undefined;
    if (first?.type === AST_NODE_TYPES.Identifier) functions.set(first.name, node);
  });
  return {
    services,
    fn: label => {
      const found = functions.get(label);
      if (!found) throw new Error(`no function with parameter ${label}`);
      return found;
    },
  };
}

/** `now`, `later:<via>` or `unknown`, for readable expectations. */
function timing(services: NativeHandleServices, fn: TSESTree.Node): string {
  const result = services.callbackTiming(fn);
  if (!result) return 'unknown';
  return result.when === 'now' ? 'now' : `later:${result.via}`;
}

// ------------------------------------------------------------------------------------------

describe('callbackTiming', () => {
  it('runs now: IIFEs, the Promise executor, callbacks of strings, arrays, maps, sets and Array.from', () => {
    const { services, fn } = servicesFor(`
      declare const list: number[] | undefined;
      declare const map: Map<string, number>;
      declare const set: ReadonlySet<number>;
      declare const text: string;
      ((iife) => iife)(1);
      new Promise((executor) => executor(1));
      list?.map((mapped) => mapped);
      map.forEach((entry) => entry);
      set.forEach((member) => member);
      text.replace(/x/g, (match) => match);
      Array.from([1], (item) => item);
      [3, 1].sort((left, right) => left - right);
    `);
    for (const label of ['iife', 'executor', 'mapped', 'entry', 'member', 'match', 'item', 'left']) {
      expect(timing(services, fn(label)), label).toBe('now');
    }
  });

  it('async functions and generators never run to completion now', () => {
    const { services, fn } = servicesFor(`
      declare const list: number[];
      (async (asyncIife) => asyncIife)(1);
      list.map(async (asyncMapped) => asyncMapped);
      new Promise(async (asyncExecutor) => asyncExecutor(1));
      list.forEach(function* (generator: number) { yield generator; });
    `);
    for (const label of ['asyncIife', 'asyncMapped', 'asyncExecutor', 'generator']) {
      expect(timing(services, fn(label)), label).toBe('unknown');
    }
  });

  it('runs later: timers, process.nextTick, listeners and promise callbacks', () => {
    const { services, fn } = servicesFor(`
      import { EventEmitter } from 'node:events';
      declare const emitter: EventEmitter;
      declare const done: Promise<number>;
      setTimeout((timeout) => timeout, 1);
      setImmediate((immediate) => immediate);
      globalThis.setInterval((interval) => interval, 1);
      process.nextTick((tick) => tick);
      emitter.on('data', (listener) => listener);
      emitter.once('end', (once) => once);
      done.then((fulfilled) => fulfilled);
      done.catch((rejected) => rejected);
    `);
    expect(timing(services, fn('timeout'))).toBe('later:timer');
    expect(timing(services, fn('immediate'))).toBe('later:timer');
    expect(timing(services, fn('interval'))).toBe('later:timer');
    expect(timing(services, fn('tick'))).toBe('later:nextTick');
    expect(timing(services, fn('listener'))).toBe('later:listener');
    expect(timing(services, fn('once'))).toBe('later:listener');
    expect(timing(services, fn('fulfilled'))).toBe('later:promise');
    expect(timing(services, fn('rejected'))).toBe('later:promise');
  });

  it('gives the call a later callback is passed to', () => {
    const { services, fn } = servicesFor(`
      import { EventEmitter } from 'node:events';
      declare const emitter: EventEmitter;
      emitter.on('data', (listener) => listener);
    `);
    const result = services.callbackTiming(fn('listener'));
    expect(result?.when === 'later' ? result.call.callee.type : undefined).toBe(AST_NODE_TYPES.MemberExpression);
  });

  it('unknown: look-alikes, local functions, non-thenables and functions that are not passed to a call', () => {
    const { services, fn } = servicesFor(`
      class Bag { map(callback: (value: number) => number): void {} catch(callback: () => void): void {} }
      declare const bag: Bag;
      function setTimeout(callback: (value: number) => void): void {}
      const tick = { nextTick(callback: () => void): void {} };
      function run(callback: (value: number) => void): void {}
      bag.map((bagged) => bagged);
      bag.catch((notThenable) => notThenable);
      setTimeout((localTimer) => localTimer);
      tick.nextTick((notProcess) => notProcess);
      run((plain) => plain);
      const stored = (kept: number) => kept;
    `);
    for (const label of ['bagged', 'notThenable', 'localTimer', 'notProcess', 'plain', 'kept']) {
      expect(timing(services, fn(label)), label).toBe('unknown');
    }
  });
});
