// Who may use a scope: shared by client writes (self-service API) and the token endpoint.
import { type EmulatorState, type Scope } from "../core/state.js";

/**
 * An org may put an (active) scope on a client and get tokens for it when it owns the scope, holds an APPROVED
 * access record, or the scope is open to all. Delegation-source scopes need a per-token Altinn delegation,
 * which the token endpoint checks separately.
 */
export function orgHasAccess(state: EmulatorState, orgNumber: string, scope: Scope): boolean {
  if (scope.owner_orgno === orgNumber || scope.accessible_for_all) return true;
  return state.accesses.some((a) => a.scope === scope.name && a.consumer_orgno === orgNumber && a.state === "APPROVED");
}

/** Empty `allowed_integration_types` means any. */
export function allowsIntegrationType(scope: Scope, integrationType: string): boolean {
  return scope.allowed_integration_types.length === 0 || scope.allowed_integration_types.includes(integrationType);
}
