/** Hook classification is shared with the manifest rules of the hub and the renderer (@flotilla/core). */
export {
  ARGO_DELETE_POLICY,
  ARGO_HOOK,
  ARGO_SYNC_WAVE,
  classify,
  deletePolicies,
  HELM_DELETE_POLICY,
  HELM_HOOK,
  HELM_WEIGHT,
  HOOK_PHASE_ANNOTATION,
  HOOK_PHASES,
  hookWave,
  intAnnotation,
  isHookObject,
  type DeletePolicy,
  type HookPhase,
  type ObjectRole,
} from '@flotilla/core';
