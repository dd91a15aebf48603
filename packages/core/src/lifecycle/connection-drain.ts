/**
 * `ConnectionDrain`: closes an HTTP server without losing a request.
 *
 * HTTP/1.1 gives a server no way to tell a keep-alive client "stop" except closing the socket, and
 * a socket closed while the client is writing its next request loses that request (the client sees
 * ECONNRESET for a request it did send, and must not retry a POST). So, from `begin()` on:
 * - every response carries `Connection: close`: the client learns, with the answer, that the socket
 *   ends there, and sends its next request on a new connection (Node closes the socket after it);
 * - a socket with no request in progress is closed only once it has been quiet for `quietMs`: a
 *   client that is using a connection sends on it well within that, and then gets `Connection: close`;
 *   a connection that has not carried a request yet gets at least a second (it was opened to send one);
 * - the listener keeps accepting until `stopAccepting()` (stragglers sent while load balancers and
 *   Kubernetes endpoints still point here are served, not refused).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

interface SocketState {
  active: number;
  /** Requests seen on it: a connection that has carried none was opened to send one. */
  served: number;
  /** `performance.now()` of the connection, or of the end of its last response. */
  idleSince: number;
}

interface RequestInfo {
  readonly req: IncomingMessage;
  readonly started: number;
}

/** A request still running, as the shutdown-timeout log line names it. */
export interface OpenRequest {
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  readonly ageMs: number;
}

const SWEEP_INTERVAL_MS = 50;
/** A connection that has not sent its first request yet is given this long to send it. */
const FIRST_REQUEST_GRACE_MS = 1_000;

export class ConnectionDrain {
  private readonly sockets = new Map<Socket, SocketState>();
  private readonly requests = new Map<ServerResponse, RequestInfo>();
  private draining = false;
  private quietMs = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private accepting = true;
  private drained: (() => void) | undefined;
  private finished = false;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.set(socket, { active: 0, served: 0, idleSince: performance.now() });
      socket.once('close', () => {
        this.sockets.delete(socket);
        this.checkDrained();
      });
    });
    // Before Koa's listener: the header must be set before anything can send the response head.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
  }

  /** Connections still open. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Requests still running, oldest first. */
  openRequests(): OpenRequest[] {
    const now = performance.now();
    return [...this.requests.values()].map(({ req, started }) => ({
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] as string,
      ageMs: Math.round(now - started),
    }));
  }

  /** From now on every response closes its connection, and quiet idle sockets are closed. */
  begin(quietMs: number): void {
    if (this.draining) return;
    this.draining = true;
    this.quietMs = quietMs;
    for (const res of this.requests.keys()) closeAfter(res);
    this.sweep();
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  /**
   * Stops accepting connections and resolves once every connection is closed (each after its last
   * response, or once quiet). Bound it from outside; `cutAll()` ends what is left.
   */
  stopAccepting(): Promise<void> {
    this.begin(this.quietMs);
    const done = new Promise<void>((resolve) => (this.drained = resolve));
    if (this.accepting && this.server.listening) {
      this.accepting = false;
      // net.Server's close, not http.Server's: the latter also closes every idle connection at once,
      // including one whose client is sending a request right now (the ECONNRESET this class avoids).
      NetServer.prototype.close.call(this.server);
    }
    this.accepting = false;
    this.checkDrained();
    return done;
  }

  /** Destroys every connection still open (the shutdown deadline passed). */
  cutAll(): void {
    for (const socket of this.sockets.keys()) socket.destroy();
    this.finish();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    const state = this.sockets.get(socket);
    if (state) {
      state.active += 1;
      state.served += 1;
    }
    // Only the request and its start: method and path are read at the deadline, not per request.
    this.requests.set(res, { req, started: performance.now() });
    if (this.draining) closeAfter(res);
    res.once('close', () => {
      this.requests.delete(res);
      if (state) {
        state.active -= 1;
        state.idleSince = performance.now();
      }
    });
  }

  private sweep(): void {
    const now = performance.now();
    for (const [socket, state] of this.sockets) {
      const quiet = state.served === 0 ? Math.max(this.quietMs, FIRST_REQUEST_GRACE_MS) : this.quietMs;
      if (state.active === 0 && now - state.idleSince >= quiet) socket.destroy();
    }
  }

  private checkDrained(): void {
    if (!this.accepting && this.sockets.size === 0) this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    // http.Server's close now: it stops Node's connection-timeout checker (no connection is left).
    this.server.close(() => undefined);
    this.drained?.();
  }
}

function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
