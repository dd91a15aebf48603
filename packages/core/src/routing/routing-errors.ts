/** Start-up failures of the routing stage. */
import { M8Error } from '../m8-error';

/** A controller cannot be mounted as declared (e.g. `@Authorized()` without an auth provider). */
export class RoutingSetupError extends M8Error {
  static override readonly code = 'ERR_M8_ROUTING_SETUP';
  override readonly code = RoutingSetupError.code;
}
