/** Typed DI tokens for what core registers. Symbols, never bare strings (no collisions across packages). */
import type { InjectionToken } from 'tsyringe';
import type { Context } from 'koa';
import type { ConsumerServiceSettings } from '../settings/consumer-settings';
import type { Logger } from '../logger';
import type { AppEvents } from '../events';
import type { ClusterMember } from '../cluster/member';

/** The app's settings (also registered under their own class and `ConsumerServiceSettings`). */
export const SETTINGS: InjectionToken<ConsumerServiceSettings> = Symbol.for('m8.settings');
export const LOGGER: InjectionToken<Logger> = Symbol.for('m8.logger');
export const APP_EVENTS: InjectionToken<AppEvents> = Symbol.for('m8.events');
/** Request-scoped: the Koa context of the current request (only in `ctx.state.container`). */
export const KOA_CONTEXT: InjectionToken<Context> = Symbol.for('m8.koa-context');
/** Request-scoped: the request id. */
export const REQUEST_ID: InjectionToken<string> = Symbol.for('m8.request-id');

/**
 * In a worker of a `WORKERS` > 1 service: its `ClusterMember` (the view of every worker, and the
 * gather channel `/metrics` uses). Not registered in a single process.
 */
export const CLUSTER_MEMBER: InjectionToken<ClusterMember> = Symbol.for('m8.cluster-member');
