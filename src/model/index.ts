/**
 * The resource model's public surface: a plain re-export of its modules. No module under
 * `src/model/` imports this file (they import each other directly), so it cannot close an import
 * cycle; rules import from here.
 */
export * from './builtins.js';
export * from './callbacks.js';
export * from './classResources.js';
export * from './guards.js';
export * from './names.js';
export * from './node.js';
export * from './noNodeTypes.js';
export * from './owners.js';
export * from './ownership.js';
export * from './rawHandles.js';
export * from './registrations.js';
export * from './settings.js';
export * from './settingsCheck.js';
export * from './settingsReport.js';
export * from './tags.js';
export * from './values.js';
export * from './services.js';
