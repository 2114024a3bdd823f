import ts from '../util/typescript.cjs';
import type { BuiltinOwnerSpec } from './builtins.js';
import { nodeModuleOf } from './node.js';

/**
 * Built-in knowledge of popular native packages (docs/packages.md): their owner types, matched by
 * declaration like Node core's, with roles taken from each package's documentation and checked
 * against its source (docs/packages.md cites both, per role). Only behaviour the source confirms
 * is listed; a `resources` setting that matches the same type replaces the entry (see
 * `ResourceModel.ownerFromHierarchy`).
 */

/** A type a package declares: `{ package: 'zeromq', name: 'Socket' }`. */
export interface PackageSpecifier {
  /** The npm package that declares it (in its own `.d.ts` files, or in `declare module '<package>'`). */
  readonly package: string;
  readonly name: string | readonly string[];
  /**
   * The DefinitelyTyped package that declares it instead, when the package ships no types
   * (`@types/better-sqlite3`). Only this one: another major's `@types` package (`@types/zeromq`
   * describes zeromq 5) is another API.
   */
  readonly types?: string;
}

export interface PackageOwnerSpec extends Omit<BuiltinOwnerSpec, 'type'> {
  readonly type: PackageSpecifier;
  /** The version whose documentation and source the roles were checked against (docs/packages.md). */
  readonly checkedAt: string;
  /** A member that opens the closed owner again (`SerialPort#open()`), like a new owner in the variable. */
  readonly reopen?: string;
  /** Members whose call on a closed owner is no use (docs/resource-model.md#uses-and-teardown): its own listener registrations, a harmless teardown call. */
  readonly teardownSafe?: readonly string[];
}

/** zeromq's `close()` makes a pending `send()`/`receive()` fail at once (its poller fires them): it cancels as it closes. */
const ZEROMQ_CLOSE = { close: ['close'], cancel: ['close'], guard: ['closed'] } as const;
/** `@serialport/bindings-interface`: "in progress reads [and writes] must error when the port is closed" with `canceled: true`. */
const SERIAL_BINDING_CLOSE = { close: ['close'], cancel: ['close'] } as const;

/**
 * The package owner types. More specific types come first: the first entry that matches a type
 * or one of its base types wins (`LinuxPortBinding` before the `BindingPortInterface` it implements).
 */
export const PACKAGE_OWNERS: readonly PackageOwnerSpec[] = [
  {
    name: 'node-pty IPty',
    type: { package: 'node-pty', name: 'IPty' },
    checkedAt: 'node-pty@1.1.0',
    roles: { close: ['kill'] },
    // `onData`/`onExit` are listener registrations (they return an IDisposable); onExit fires after a kill.
    teardownSafe: ['onData', 'onExit'],
  },
  {
    name: 'zeromq Socket',
    type: { package: 'zeromq', name: 'Socket' },
    checkedAt: 'zeromq@6.8.0',
    roles: ZEROMQ_CLOSE,
  },
  {
    name: 'zeromq Observer',
    type: { package: 'zeromq', name: 'Observer' },
    checkedAt: 'zeromq@6.8.0',
    roles: ZEROMQ_CLOSE,
  },
  {
    name: 'SerialPort',
    type: { package: '@serialport/stream', name: 'SerialPortStream' },
    checkedAt: '@serialport/stream@13.0.0',
    roles: { close: ['close'] },
    reopen: 'open',
    // The stream's own destroy(): SerialPortStream has no _destroy, so it only marks the stream destroyed.
    teardownSafe: ['destroy'],
  },
  {
    name: 'serialport binding port',
    type: { package: '@serialport/bindings-cpp', name: ['LinuxPortBinding', 'DarwinPortBinding', 'WindowsPortBinding'] },
    checkedAt: '@serialport/bindings-cpp@13.0.1',
    roles: { rawHandle: ['fd'], ...SERIAL_BINDING_CLOSE },
  },
  {
    name: 'serialport binding port',
    type: { package: '@serialport/bindings-interface', name: 'BindingPortInterface' },
    checkedAt: '@serialport/bindings-interface@1.2.2',
    roles: SERIAL_BINDING_CLOSE,
  },
  {
    name: 'usb.Device',
    type: { package: 'usb', name: 'Device' },
    checkedAt: 'usb@2.17.0',
    roles: { close: ['close'] },
    reopen: 'open',
    // Each of these submits a libusb transfer or request that holds a reference on the device
    // until its callback runs; close() meanwhile throws "Can't close device with a pending request".
    pendingOps: {
      controlTransfer: {},
      setConfiguration: {},
      reset: {},
      getStringDescriptor: {},
      getBosDescriptor: {},
      getCapabilities: {},
    },
    noCancelAdvice:
      'usb.Device has no way to cancel a request, and its close() throws "Can\'t close device with a pending request" until the request\'s callback has run: close in that callback',
  },
  {
    name: 'better-sqlite3 Database',
    type: { package: 'better-sqlite3', name: 'Database', types: '@types/better-sqlite3' },
    checkedAt: 'better-sqlite3@12.11.1 (@types/better-sqlite3@9.6.0)',
    roles: { close: ['close'] },
  },
];

const PACKAGE_TYPE_NAMES: ReadonlySet<string> = new Set(
  PACKAGE_OWNERS.flatMap(spec => (typeof spec.type.name === 'string' ? [spec.type.name] : spec.type.name)),
);

function names(specifier: PackageSpecifier): readonly string[] {
  return typeof specifier.name === 'string' ? [specifier.name] : specifier.name;
}

/**
 * Whether a declaration is the package's: in a declaration file inside the package's folder (or
 * the folder of its `types` package) under some `node_modules`, or inside `declare module '<package>'`.
 */
export function isPackageDeclaration(declaration: ts.Node, specifier: Pick<PackageSpecifier, 'package' | 'types'>): boolean {
  const file = declaration.getSourceFile();
  if (!file.isDeclarationFile) return false;
  if (nodeModuleOf(declaration) === specifier.package) return true;
  const fileName = file.fileName.replace(/\\/g, '/');
  const folders = specifier.types === undefined ? [specifier.package] : [specifier.package, specifier.types];
  return folders.some(folder => fileName.includes(`/node_modules/${folder}/`));
}

/** Whether the symbol is the specifier's: one of its names, with a declaration that is the package's. */
export function symbolIsPackages(symbol: ts.Symbol | undefined, specifier: PackageSpecifier): boolean {
  if (!symbol || !names(specifier).includes(symbol.name)) return false;
  return (symbol.declarations ?? []).some(declaration => isPackageDeclaration(declaration, specifier));
}

/** The package owner spec one of the types (a type and its bases, most specific first) is declared as, if any. */
export function findPackageOwner(hierarchy: readonly ts.Type[]): PackageOwnerSpec | undefined {
  for (const candidate of hierarchy) {
    const symbol = candidate.getSymbol() ?? candidate.aliasSymbol;
    if (!symbol || !PACKAGE_TYPE_NAMES.has(symbol.name)) continue;
    const spec = PACKAGE_OWNERS.find(entry => symbolIsPackages(symbol, entry.type));
    if (spec) return spec;
  }
  return undefined;
}

/** The member a call of which opens a closed package owner again, by owner name. */
export function packageReopener(ownerName: string): string | undefined {
  return PACKAGE_OWNERS.find(spec => spec.name === ownerName)?.reopen;
}

/** Whether calling member `name` of a closed package owner is no use (its `teardownSafe` list), by owner name. */
export function isPackageTeardownSafe(ownerName: string, name: string): boolean {
  return PACKAGE_OWNERS.some(spec => spec.name === ownerName && spec.teardownSafe?.includes(name) === true);
}
