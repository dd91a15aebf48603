/**
 * Per-app telemetry events. Producers (auth, health) emit; consumers (metrics, logs) listen.
 * A plain typed hub rather than `diagnostics_channel`, because several apps may live in one
 * process (tests, multi-tenant hosts) and each must see only its own events. Emitting with no
 * listener costs one array lookup.
 */

/** Why a token was refused (the `reason` label of the auth metrics). */
export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'bad_signature'
  | 'wrong_algorithm'
  | 'expired'
  | 'not_yet_valid'
  | 'invalid_claims'
  | 'unknown_key'
  | 'revoked'
  | 'revocation_unavailable'
  | 'inactive'
  | 'forbidden';

export type RevocationResult = 'active' | 'revoked' | 'unverifiable' | 'fail_open';

/** How a service-token exchange with the issuer ended. */
export type ServiceTokenExchangeResult = 'success' | 'failure';

export interface M8EventMap {
  'auth.failure': { readonly reason: AuthFailureReason };
  'auth.revocation': { readonly result: RevocationResult; readonly seconds: number };
  'auth.revocation_cache': { readonly hit: boolean };
  'auth.service_token': { readonly result: ServiceTokenExchangeResult };
  'health.check': { readonly name: string; readonly status: string; readonly latencyMs: number };
}

export type M8EventName = keyof M8EventMap;
type Listener<K extends M8EventName> = (event: M8EventMap[K]) => void;

export class AppEvents {
  private readonly listeners = new Map<M8EventName, Listener<M8EventName>[]>();

  on<K extends M8EventName>(name: K, listener: Listener<K>): () => void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener as Listener<M8EventName>);
    this.listeners.set(name, list);
    return () => {
      const index = list.indexOf(listener as Listener<M8EventName>);
      if (index >= 0) list.splice(index, 1);
    };
  }

  /** True when someone listens: lets producers skip building an event (e.g. timing) nobody reads. */
  has(name: M8EventName): boolean {
    const list = this.listeners.get(name);
    return list !== undefined && list.length > 0;
  }

  emit<K extends M8EventName>(name: K, event: M8EventMap[K]): void {
    const list = this.listeners.get(name);
    if (list === undefined) return;
    // A listener's bug must never break the request that emitted the event.
    for (const listener of list) {
      try {
        listener(event);
      } catch {
        /* ignored on purpose */
      }
    }
  }
}
