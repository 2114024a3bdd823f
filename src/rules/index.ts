import noCleanupInExitHandler from './no-cleanup-in-exit-handler.js';
import noCloseWithPendingOps from './no-close-with-pending-ops.js';
import noUnguardedRawHandle from './no-unguarded-raw-handle.js';
import requireLifetimeGuard from './require-lifetime-guard.js';

/** Every rule of the plugin, by name (the file name of its source, doc and test). */
export const rules = {
  'no-cleanup-in-exit-handler': noCleanupInExitHandler,
  'no-close-with-pending-ops': noCloseWithPendingOps,
  'no-unguarded-raw-handle': noUnguardedRawHandle,
  'require-lifetime-guard': requireLifetimeGuard,
};
