import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';

/**
 * Messages lead with what is wrong, in a first sentence short enough to read in an editor's
 * hover or a CLI line (about 120 characters, with placeholders filled plausibly); the why and
 * the remedy follow it (issue 12).
 */
const FIRST_SENTENCE_LIMIT = 120;

/** Plausible values for every placeholder the messages use (a long-ish but real one each). */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  addRef: 'ref',
  adopter: 'fs.createReadStream',
  advice: 'a read already running in the thread pool still finishes first',
  call: 'controller.abort()',
  cancel: '`this.controller.abort()`',
  class: 'SessionLog',
  className: 'SessionLog',
  close: 'this.handle.close()',
  closer: 'fs.closeSync',
  field: 'handle',
  flag: 'closed',
  handle: 'this.handle.fd',
  holder: 'this.pendingRead',
  how: 'is passed to an asynchronous operation that keeps using it after this statement',
  line: '128',
  list: '`handle`',
  member: 'fd',
  method: 'dispose',
  name: 'handle',
  object: 'this.device',
  operation: 'this.handle.read()',
  project: 'packages/server/tsconfig.json',
  owner: 'FileHandle',
  ownerText: 'this.handle',
  registry: 'leakedHandles',
  release: 'unref',
  remedy: 'Close the object that adopted it instead.',
  replacement: 'await this.handle.close()',
  resolve: 'resolve',
  signal: 'options.signal',
  subject: '`SessionLog`',
  text: 'this.handle',
  timer: 'this.flushTimer',
  timers: 'this.pollTimers',
  token: 'this',
  type: 'http.Server',
  use: 'this.handle.fd',
};

/** The text up to the first full stop followed by a space (or the whole text); `e.g.` does not end it. */
export function firstSentence(message: string): string {
  const end = /(?<!\be\.g|\bi\.e)\.(?=\s)/.exec(message);
  return end ? message.slice(0, end.index + 1) : message;
}

function fill(message: string): string {
  return message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => {
    const value = PLACEHOLDERS[name];
    if (value === undefined) throw new Error(`no plausible value for the placeholder {{${name}}}`);
    return value;
  });
}

describe('rule messages', () => {
  it('firstSentence ends at a full stop followed by a space, not at e.g. or inside a name', () => {
    expect(firstSentence('`fs.closeSync` closes it. Close the owner.')).toBe('`fs.closeSync` closes it.');
    expect(firstSentence('Close it before, e.g. in a handler. Then exit.')).toBe('Close it before, e.g. in a handler.');
    expect(firstSentence('No full stop')).toBe('No full stop');
  });

  const messages = Object.entries(rules).flatMap(([rule, module]) =>
    Object.entries(module.meta.messages).map(([id, message]) => [`${rule}/${id}`, message] as const),
  );

  it.each(messages)(`%s: the first sentence says what is wrong in at most ${String(FIRST_SENTENCE_LIMIT)} characters`, (_id, message) => {
    const sentence = firstSentence(fill(message));
    expect(sentence.length, sentence).toBeLessThanOrEqual(FIRST_SENTENCE_LIMIT);
  });
});
