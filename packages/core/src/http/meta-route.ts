/**
 * `GET {API_PREFIX}/meta` (docs/interop.md §8): who this service is and which contract it speaks, for
 * gateways and clients that check compatibility. Anonymous and cacheable; built once from the
 * settings, mounted only when `SERVICE_VERSION` is set.
 */
import type { InternalRoute } from '../plugin';
import type { ConsumerServiceSettings } from '../settings/consumer-settings';

/** The body of `/meta`. Unset contract fields are `null`. */
export interface ServiceMeta {
  readonly service: string;
  readonly version: string;
  readonly api_version: string;
  readonly contract: { readonly name: string; readonly version: string | null; readonly range: string | null };
}

type MetaSettings = Pick<
  ConsumerServiceSettings,
  'apiPrefix' | 'PROJECT_NAME' | 'SERVICE_VERSION' | 'API_VERSION' | 'CONTRACT_NAME' | 'CONTRACT_VERSION' | 'CONTRACT_RANGE'
>;

export function serviceMeta(settings: MetaSettings, serviceName: string): ServiceMeta | undefined {
  if (!settings.SERVICE_VERSION) return undefined;
  return {
    service: serviceName,
    version: settings.SERVICE_VERSION,
    api_version: settings.API_VERSION,
    contract: {
      name: settings.CONTRACT_NAME ?? settings.PROJECT_NAME,
      version: settings.CONTRACT_VERSION ?? null,
      range: settings.CONTRACT_RANGE ?? null,
    },
  };
}

/** The route, or undefined when `SERVICE_VERSION` is unset. */
export function metaRoute(settings: MetaSettings, serviceName: string): InternalRoute | undefined {
  const meta = serviceMeta(settings, serviceName);
  if (meta === undefined) return undefined;
  const body = JSON.stringify(meta);
  const path = `${settings.apiPrefix}/meta`;
  return {
    method: 'GET',
    paths: [path],
    template: path,
    handler(ctx) {
      ctx.set('Content-Type', 'application/json; charset=utf-8');
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.status = 200;
      ctx.body = body;
    },
  };
}
