/**
 * FileZilla Server 0.9.60's autoban (source/autobanmanager.cpp, CAutoBanManager):
 *  - RegisterAttempt(ip) on every failed PASS: the first failure starts a count, each further
 *    one adds to it and re-dates it; when the count reaches `attempts` the address is banned
 *    (and the count forgotten). Returns true also when the address is already banned.
 *  - PurgeOutdated runs on a 60-second timer (Server.cpp, SetTimer 1235, 60000): a ban older
 *    than the ban time is lifted, and a count whose last failure is older than the ban time
 *    is forgotten — the window for the failures is the ban time itself.
 *  - A banned address that connects gets "550 No connections allowed from your IP" and is
 *    closed (CListenSocket::OnAccept → AccessAllowed → IsBanned).
 * Time is simulated seconds; the purge ticks at 60, 120, … s after the server started.
 */
import type { FzAutoban } from './settings';

export const PURGE_INTERVAL_S = 60;

export class FzAutobanState {
  private bans = new Map<number, number>();
  private attempts = new Map<number, { count: number; lastS: number }>();
  private purgedAt = 0;

  constructor(private readonly conf: FzAutoban) {}

  private purge(nowS: number): void {
    const tick = Math.floor(nowS / PURGE_INTERVAL_S) * PURGE_INTERVAL_S;
    if (tick <= this.purgedAt) return;
    this.purgedAt = tick;
    const banS = this.conf.banHours * 3600;
    for (const [ip, t] of this.bans) if (tick - t > banS) this.bans.delete(ip);
    for (const [ip, a] of this.attempts) if (tick - a.lastS > banS) this.attempts.delete(ip);
  }

  isBanned(ip: number, nowS: number): boolean {
    if (!this.conf.enabled) return false;
    this.purge(nowS);
    return this.bans.has(ip);
  }

  /** A failed login from `ip`: true when the address is (now) banned. */
  registerAttempt(ip: number, nowS: number): boolean {
    if (!this.conf.enabled) return false;
    this.purge(nowS);
    if (this.bans.has(ip)) return true;
    const a = this.attempts.get(ip);
    if (!a) {
      this.attempts.set(ip, { count: 1, lastS: nowS });
      // A limit of 1 only bans on the second failure: the first only creates the record.
      return false;
    }
    a.count += 1;
    if (a.count >= this.conf.attempts) {
      this.attempts.delete(ip);
      this.bans.set(ip, nowS);
      return true;
    }
    a.lastS = nowS;
    return false;
  }

  /** Failures counted so far for `ip` (for the teaching view). */
  failures(ip: number): number {
    return this.attempts.get(ip)?.count ?? 0;
  }

  /** When the ban on `ip` ends (the first purge after the ban time), or null. */
  banEndsS(ip: number): number | null {
    const t = this.bans.get(ip);
    if (t === undefined) return null;
    const banS = this.conf.banHours * 3600;
    return (Math.floor((t + banS) / PURGE_INTERVAL_S) + 1) * PURGE_INTERVAL_S;
  }
}
