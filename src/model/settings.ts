import type { TypeOrValueSpecifier } from '@typescript-eslint/type-utils';

/** The role fields a `resources` entry may carry (each a member name or a list of them). */
export const ROLE_FIELDS = ['rawHandle', 'addRef', 'release', 'close', 'cancel', 'guard', 'lease'] as const;
export type Role = (typeof ROLE_FIELDS)[number];

/** A type specifier in object form (the bare-string form matches by name alone and is refused). */
export type ObjectSpecifier = Exclude<TypeOrValueSpecifier, string>;

export interface ResourceSetting {
  readonly type: ObjectSpecifier;
  readonly roles: Partial<Record<Role, readonly string[]>>;
}

/**
 * An `exitHooks` entry: a function that registers an exit-time callback. With `eventArgument`
 * (the object form `{ hook, eventArgument }`), a helper that takes the event name as an argument
 * (`EventsHelper.addEventListener(process, 'exit', fn)`): only a call whose argument at that index
 * is `'exit'` registers an exit hook.
 */
export interface ExitHookSetting {
  readonly hook: ObjectSpecifier;
  readonly eventArgument?: number;
}

export interface NativeHandleSettings {
  readonly resources: readonly ResourceSetting[];
  readonly rawClose: readonly ObjectSpecifier[];
  readonly adopt: readonly ObjectSpecifier[];
  readonly exitHooks: readonly ExitHookSetting[];
}

export const SETTINGS_KEY = 'native-handle';

/**
 * Thrown for a malformed `settings['native-handle']`. The message starts with the path of the
 * offending key, so the first line says what to fix. Its stack has no frames: a mistake in the
 * configuration is not a fault of the plugin, and the frames would only hide the message (ESLint's
 * CLI prints `error.stack`). ESLint prefixes the message with the rule that happened to run first
 * (`Error while loading rule …`); the stack, fixed here, keeps that wrong blame out.
 */
export class NativeHandleSettingsError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`${key}: ${problem}`);
    this.name = 'NativeHandleSettingsError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** The settings key (`settings['native-handle'].rawClose[0]`) each parsed resource and specifier came from. */
const keys = new WeakMap<object, string>();

/** The key a parsed resource entry or type specifier was read from, for messages about it. */
export function settingKeyOf(value: ResourceSetting | ObjectSpecifier): string | undefined {
  return keys.get(value);
}

function keyed<T extends object>(value: T, key: string): T {
  keys.set(value, key);
  return value;
}

const EMPTY: NativeHandleSettings = { resources: [], rawClose: [], adopt: [], exitHooks: [] };
const TOP_LEVEL_KEYS = new Set(['resources', 'rawClose', 'adopt', 'exitHooks']);
const SPECIFIER_KEYS: Record<ObjectSpecifier['from'], ReadonlySet<string>> = {
  file: new Set(['from', 'name', 'path']),
  lib: new Set(['from', 'name']),
  package: new Set(['from', 'name', 'package']),
};
const SPECIFIER_SHAPE = "expected { from: 'file' | 'lib' | 'package', name, package? | path? }";

const cache = new WeakMap<object, NativeHandleSettings | NativeHandleSettingsError>();

/**
 * Reads and validates `settings['native-handle']`. The result (or the error) is cached per
 * settings object, so a configuration is validated once however many files are linted.
 */
export function readSettings(allSettings: Readonly<Record<string, unknown>> | undefined): NativeHandleSettings {
  const raw = allSettings?.[SETTINGS_KEY];
  if (raw === undefined) return EMPTY;
  if (typeof raw !== 'object' || raw === null) {
    throw new NativeHandleSettingsError(`settings['${SETTINGS_KEY}']`, `expected an object, got ${describe(raw)}`);
  }
  let parsed = cache.get(raw);
  if (parsed === undefined) {
    try {
      parsed = parseSettings(raw);
    } catch (error) {
      if (!(error instanceof NativeHandleSettingsError)) throw error;
      parsed = error;
    }
    cache.set(raw, parsed);
  }
  if (parsed instanceof NativeHandleSettingsError) throw parsed;
  return parsed;
}

/** Validates a raw settings value; throws {@link NativeHandleSettingsError} naming the bad key. */
export function parseSettings(raw: unknown): NativeHandleSettings {
  const root = `settings['${SETTINGS_KEY}']`;
  const record = expectRecord(raw, root);
  for (const key of Object.keys(record)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      throw new NativeHandleSettingsError(`${root}.${key}`, 'unknown key (expected one of resources, rawClose, adopt, exitHooks)');
    }
  }
  return {
    resources: parseResources(record.resources, `${root}.resources`),
    rawClose: parseSpecifierList(record.rawClose, `${root}.rawClose`),
    adopt: parseSpecifierList(record.adopt, `${root}.adopt`),
    exitHooks: parseExitHooks(record.exitHooks, `${root}.exitHooks`),
  };
}

/** `exitHooks`: one entry or an array; an entry is a value specifier or `{ hook, eventArgument }`. */
function parseExitHooks(value: unknown, key: string): ExitHookSetting[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map((item, index) => parseExitHook(item, `${key}[${index}]`));
  return [parseExitHook(value, key)];
}

const EXIT_HOOK_SHAPE = 'expected { hook: <value specifier>, eventArgument: <argument index> }';

function parseExitHook(value: unknown, key: string): ExitHookSetting {
  const isObjectForm =
    typeof value === 'object' && value !== null && !Array.isArray(value) && ('hook' in value || 'eventArgument' in value);
  if (!isObjectForm) return { hook: parseSpecifier(value, key) };
  const record = value as Record<string, unknown>;
  for (const field of Object.keys(record)) {
    if (field !== 'hook' && field !== 'eventArgument') {
      throw new NativeHandleSettingsError(`${key}.${field}`, `unknown key; ${EXIT_HOOK_SHAPE}`);
    }
  }
  if (!('hook' in record)) throw new NativeHandleSettingsError(`${key}.hook`, `is required; ${EXIT_HOOK_SHAPE}`);
  const hook = parseSpecifier(record.hook, `${key}.hook`);
  const index = record.eventArgument;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
    throw new NativeHandleSettingsError(
      `${key}.eventArgument`,
      `expected the index of the argument that names the event (an integer, 0 or more), got ${describe(index)}`,
    );
  }
  return { hook, eventArgument: index };
}

function parseResources(value: unknown, key: string): ResourceSetting[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new NativeHandleSettingsError(key, `expected an array of { type, ...roles }, got ${describe(value)}`);
  }
  return value.map((entry, index) => parseResource(entry, `${key}[${index}]`));
}

function parseResource(value: unknown, key: string): ResourceSetting {
  const record = expectRecord(value, key);
  if (!('type' in record)) throw new NativeHandleSettingsError(`${key}.type`, `is required; ${SPECIFIER_SHAPE}`);
  const roles: Partial<Record<Role, readonly string[]>> = {};
  for (const [field, fieldValue] of Object.entries(record)) {
    if (field === 'type') continue;
    if (!(ROLE_FIELDS as readonly string[]).includes(field)) {
      throw new NativeHandleSettingsError(`${key}.${field}`, `unknown key (expected type or a role: ${ROLE_FIELDS.join(', ')})`);
    }
    roles[field as Role] = parseRoleNames(fieldValue, `${key}.${field}`);
  }
  return keyed({ type: parseSpecifier(record.type, `${key}.type`), roles }, key);
}

function parseSpecifierList(value: unknown, key: string): ObjectSpecifier[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map((item, index) => parseSpecifier(item, `${key}[${index}]`));
  return [parseSpecifier(value, key)];
}

function parseSpecifier(value: unknown, key: string): ObjectSpecifier {
  if (typeof value === 'string') {
    throw new NativeHandleSettingsError(
      key,
      `the bare-string form ('${value}') matches by name alone and is not accepted; ${SPECIFIER_SHAPE}`,
    );
  }
  const record = expectRecord(value, key, SPECIFIER_SHAPE);
  const from = record.from;
  if (from !== 'file' && from !== 'lib' && from !== 'package') {
    throw new NativeHandleSettingsError(`${key}.from`, `expected 'file', 'lib' or 'package', got ${describe(from)}`);
  }
  for (const field of Object.keys(record)) {
    if (!SPECIFIER_KEYS[from].has(field)) {
      throw new NativeHandleSettingsError(`${key}.${field}`, `unknown key for a { from: '${from}' } specifier`);
    }
  }
  const name = parseNameList(record.name, `${key}.name`);
  const single = name.length === 1 ? name[0]! : name;
  if (from === 'package') {
    if (typeof record.package !== 'string' || record.package === '') {
      throw new NativeHandleSettingsError(`${key}.package`, `expected a package name, got ${describe(record.package)}`);
    }
    return keyed({ from, name: single, package: record.package }, key);
  }
  if (from === 'file') {
    if (record.path !== undefined && typeof record.path !== 'string') {
      throw new NativeHandleSettingsError(`${key}.path`, `expected a file path, got ${describe(record.path)}`);
    }
    return keyed(record.path === undefined ? { from, name: single } : { from, name: single, path: record.path }, key);
  }
  return keyed({ from, name: single }, key);
}

/**
 * A role field: a member name or an array of them. An empty array is well-formed (a role given
 * explicitly replaces the conventional defaults, so `guard: []` says the type has no guard), but
 * it names no member, so it draws a warning (settingsShapeWarnings in settingsCheck.ts).
 */
function parseRoleNames(value: unknown, key: string): string[] {
  if (Array.isArray(value) && value.length === 0) return [];
  if (typeof value === 'string' && value !== '') return [value];
  if (Array.isArray(value) && value.every(item => typeof item === 'string' && item !== '')) return value as string[];
  throw new NativeHandleSettingsError(key, `expected a name or an array of names, got ${describe(value)}`);
}

/** A specifier's `name`: a name or a non-empty array of names. */
function parseNameList(value: unknown, key: string): string[] {
  if (typeof value === 'string' && value !== '') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every(item => typeof item === 'string' && item !== '')) {
    return value as string[];
  }
  throw new NativeHandleSettingsError(key, `expected a name or a non-empty array of names, got ${describe(value)}`);
}

function expectRecord(value: unknown, key: string, shape = 'expected an object'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NativeHandleSettingsError(key, `${shape}, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function'; // not its source text
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  return typeof value;
}
