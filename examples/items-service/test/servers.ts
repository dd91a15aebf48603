/** Which database servers of this machine answer; tests that need an absent one say so and are skipped. */
import { connect } from 'node:net';

export function answers(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const postgresUp = await answers(5432);
export const mariadbUp = await answers(3306);
if (!postgresUp) console.warn('PostgreSQL does not answer on 127.0.0.1:5432: its example tests are SKIPPED (start it, see STACK/README).');
if (!mariadbUp) console.warn('MariaDB does not answer on 127.0.0.1:3306: its example tests are SKIPPED (start it, see STACK/README).');
