import noCleanupInExitHandler from './no-cleanup-in-exit-handler.js';
import noCloseWithPendingOps from './no-close-with-pending-ops.js';
import noHandleAdoption from './no-handle-adoption.js';
import noRawHandleClose from './no-raw-handle-close.js';
import noUnguardedRawHandle from './no-unguarded-raw-handle.js';
import noUseAfterClose from './no-use-after-close.js';
import requireLifetimeGuard from './require-lifetime-guard.js';
import requireUnregister from './require-unregister.js';

/** Every rule of the plugin, by name (the file name of its source, doc and test). */
export const rules = {
  'no-cleanup-in-exit-handler': noCleanupInExitHandler,
  'no-close-with-pending-ops': noCloseWithPendingOps,
  'no-handle-adoption': noHandleAdoption,
  'no-raw-handle-close': noRawHandleClose,
  'no-unguarded-raw-handle': noUnguardedRawHandle,
  'no-use-after-close': noUseAfterClose,
  'require-lifetime-guard': requireLifetimeGuard,
  'require-unregister': requireUnregister,
};
