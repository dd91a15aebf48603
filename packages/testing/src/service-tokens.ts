/**
 * The fake issuer's service tokens (docs/interop.md §8): the exchange endpoint's rules and the set of
 * tokens it issued. A restart forgets them all, as a real issuer that rotates its signing key does.
 */
import { randomBytes } from 'node:crypto';
import type { IssuerAnswer, IssuerRequest } from './fake-issuer';

export interface ServiceTokenRules {
  /** `PRIVATE_API_SECRET` the exchange must present (`X-Internal-Token`); unset = any. */
  readonly secret?: string;
  /** `INTERNAL_CLIENT_ID` the exchange must present; unset = any non-empty one. */
  readonly clientId?: string;
  /** `expires_in` of issued tokens, in seconds. */
  readonly ttlSeconds: number;
}

export class ServiceTokens {
  /** token → expiry in ms. */
  private readonly issued = new Map<string, number>();

  constructor(private readonly rules: ServiceTokenRules) {}

  /** The answer to `POST {serviceTokenUrl}`: a new token for the right bootstrap headers, else 401. */
  exchange(request: IssuerRequest): IssuerAnswer {
    const { secret, clientId, ttlSeconds } = this.rules;
    const client = header(request, 'x-internal-client');
    if (client === '' || (clientId !== undefined && client !== clientId)) return unauthorised('Unknown internal client');
    if (secret !== undefined && header(request, 'x-internal-token') !== secret) return unauthorised('Invalid internal token');
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { status: 422, json: { detail: 'Expected a JSON object' } };
    const scopes = (body as { scopes?: unknown }).scopes;
    if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
      return { status: 422, json: { detail: 'scopes must be a list of strings' } };
    }
    const token = randomBytes(24).toString('base64url');
    this.issued.set(token, Date.now() + ttlSeconds * 1000);
    return { json: { access_token: token, token_type: 'bearer', expires_in: ttlSeconds } };
  }

  /** True when `request` carries `Authorization: Bearer <a live token this issuer issued>`. */
  accepts(request: IssuerRequest): boolean {
    const match = /^Bearer (\S+)$/.exec(header(request, 'authorization'));
    const expiry = match ? this.issued.get(match[1]!) : undefined;
    return expiry !== undefined && expiry > Date.now();
  }

  /** Every token issued so far stops working (a restart, a key rotation). */
  forget(): void {
    this.issued.clear();
  }
}

function header(request: IssuerRequest, name: string): string {
  const value = request.headers[name];
  return typeof value === 'string' ? value : '';
}

function unauthorised(detail: string): IssuerAnswer {
  return { status: 401, json: { detail } };
}
