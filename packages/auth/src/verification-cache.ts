/**
 * Exact-token cache of verified users: clients repeat the same token for many requests,
 * and a Map lookup costs ~1 µs against 5–100 µs for a signature check.
 *
 * Safe by construction: only tokens that passed the signature *and* every claim check are stored,
 * keyed by the whole token string (a tampered token is another key); every hit re-checks `exp`
 * against the current clock; the size is bounded (least recently used evicted first); revocation
 * is not cached here and still runs on every hit. The owner clears it when the key set changes.
 *
 * Two generations instead of one Map kept in exact LRU order: moving a key on every hit
 * (`delete` + `set`) and evicting through `keys().next()` made V8's ordered hash table scan the
 * holes those deletions leave, 10–30 µs per request once the cache was full and tokens churned
 * (bench/README.md, *Cold tokens*). Here a hit in the young generation is one `get`; a hit in the
 * old one moves the token to the young one; when the young one holds half the capacity it becomes
 * the old one and the previous old one is dropped whole. Every dropped token was used less recently
 * than every kept one, so the least recently used still go first, half the capacity at a time.
 */
import type { UserModel } from './user-model';

export class VerificationCache {
  private young = new Map<string, UserModel>();
  private old = new Map<string, UserModel>();
  /** Tokens per generation: two generations hold at most `capacity` tokens together. */
  private readonly generationSize: number;
  /** A capacity of 1 has room for one generation only. */
  private readonly keepsOld: boolean;

  /** `capacity`: most tokens kept (0 turns the cache off). */
  constructor(readonly capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
    this.keepsOld = capacity >= 2;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The user verified for exactly this token, if any. Does not check expiry: the caller does. */
  get(token: string): UserModel | undefined {
    const user = this.young.get(token);
    if (user !== undefined) return user;
    const older = this.old.get(token);
    if (older !== undefined) {
      // Used again: moved to the young generation, so a hot token survives a flood of one-off tokens.
      this.old.delete(token);
      this.insertYoung(token, older);
    }
    return older;
  }

  set(token: string, user: UserModel): void {
    if (this.capacity === 0) return;
    this.old.delete(token);
    if (!this.young.has(token)) this.insertYoung(token, user);
    else this.young.set(token, user);
  }

  delete(token: string): void {
    this.young.delete(token);
    this.old.delete(token);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }

  private insertYoung(token: string, user: UserModel): void {
    if (this.young.size >= this.generationSize) {
      this.old = this.keepsOld ? this.young : new Map();
      this.young = new Map();
    }
    this.young.set(token, user);
  }
}
