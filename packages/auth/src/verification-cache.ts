/**
 * Cache of verified users: clients repeat the same token for many requests, and a lookup costs
 * well under 1 µs against 4–100 µs for a signature and claims check.
 *
 * Safe by construction: only tokens that passed the signature *and* every claim check are stored;
 * an entry holds the whole token and a hit requires the very same string (a tampered token is never
 * a hit); every hit re-checks `exp` against the current clock; the size is bounded; revocation is not
 * cached here and still runs on every hit. The owner clears it when the key set changes.
 *
 * Three choices keep it cheap under churn (bench/README.md, *Cold tokens*):
 * - **Looked up by the token's last 43 characters** (all of an HS256 signature, the tail of an RS256
 *   or ES256 one), then compared whole: V8 hashes a request's fresh token string on every lookup,
 *   and hashing 400 characters twice per miss cost more than the rest of the lookup.
 * - **Admitted the second time it verifies.** A token used once (a flood of distinct tokens, many
 *   users each making one call) is never stored, so it neither evicts the tokens that are used again
 *   nor lives long enough to burden the garbage collector. First verifications are remembered in a
 *   bit set of `16 × capacity` bits, forgotten every `capacity` first verifications, so at most one
 *   bit in 16 is set: a collision (a one-off token stored after all) happens for at most 1 in 16.
 * - **Two generations** instead of one Map in exact LRU order: a hit in the young generation is one
 *   `get`; a hit in the old one moves the token to the young one; when the young one holds half the
 *   capacity it becomes the old one and the previous old one is dropped whole, so the least recently
 *   used still go first, half the capacity at a time. (Moving a key on every hit, `delete` + `set`,
 *   left holes in V8's ordered hash table that lookups then scanned: 10–30 µs per request.)
 */
import type { UserModel } from './user-model';

/** Characters of the token's end that key the maps: a base64url signature's tail, 258 random bits. */
const KEY_LENGTH = 43;

interface Entry {
  readonly token: string;
  readonly user: UserModel;
}

export class VerificationCache {
  private young = new Map<string, Entry>();
  private old = new Map<string, Entry>();
  /** Tokens per generation: two generations hold at most `capacity` tokens together. */
  private readonly generationSize: number;
  /** A capacity of 1 has room for one generation only. */
  private readonly keepsOld: boolean;
  /** Tokens verified once since the last reset, one bit each (hashed). */
  private readonly seen: Uint32Array;
  private readonly seenBits: number;
  private firstSightings = 0;

  /** `capacity`: most tokens kept (0 turns the cache off). */
  constructor(readonly capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
    this.keepsOld = capacity >= 2;
    this.seenBits = Math.max(64, capacity * 16);
    this.seen = new Uint32Array(Math.ceil(this.seenBits / 32));
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The user verified for exactly this token, if any. Does not check expiry: the caller does. */
  get(token: string): UserModel | undefined {
    const key = token.slice(-KEY_LENGTH);
    const entry = this.young.get(key);
    if (entry !== undefined) return entry.token === token ? entry.user : undefined;
    const older = this.old.get(key);
    if (older === undefined || older.token !== token) return undefined;
    // Used again: moved to the young generation, so a hot token survives a flood of one-off tokens.
    this.old.delete(key);
    this.insertYoung(key, older);
    return older.user;
  }

  /**
   * Offers a token that has just verified: stored if it verified before (since the last reset),
   * otherwise only remembered as seen. Returns whether it was stored.
   */
  offer(token: string, user: UserModel): boolean {
    if (this.capacity === 0 || this.firstSighting(token)) return false;
    const key = token.slice(-KEY_LENGTH);
    this.old.delete(key);
    this.insertYoung(key, { token, user });
    return true;
  }

  delete(token: string): void {
    const key = token.slice(-KEY_LENGTH);
    if (this.young.get(key)?.token === token) this.young.delete(key);
    if (this.old.get(key)?.token === token) this.old.delete(key);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.forgetSightings();
  }

  /** Marks `token` as seen; true if it was not marked already. FNV-1a over its last 8 characters. */
  private firstSighting(token: string): boolean {
    let hash = 0x811c9dc5;
    for (let i = Math.max(0, token.length - 8); i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
    const bit = (hash >>> 0) % this.seenBits;
    const word = bit >>> 5;
    const mask = 1 << (bit & 31);
    if ((this.seen[word]! & mask) !== 0) return false;
    if (this.firstSightings >= this.capacity) this.forgetSightings();
    this.firstSightings += 1;
    this.seen[word]! |= mask;
    return true;
  }

  private forgetSightings(): void {
    this.seen.fill(0);
    this.firstSightings = 0;
  }

  private insertYoung(key: string, entry: Entry): void {
    if (this.young.size >= this.generationSize) {
      this.old = this.keepsOld ? this.young : new Map();
      this.young = new Map();
    }
    this.young.set(key, entry);
  }
}
