/**
 * Checks the web shell applies to every request: a secret token, and Host/Origin headers that name this server only.
 *
 * Why each check: binding to 127.0.0.1 keeps other machines out; the Host check defeats DNS rebinding (a foreign
 * site whose name resolves to 127.0.0.1 sends its own name as Host); the Origin check stops other pages in the
 * user's browser from opening the socket; the token stops other local processes and pages that guess the port.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh 192-bit secret, URL-safe (32 characters). */
export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Compares a presented token with the expected one in constant time. Both are hashed first so inputs of different
 * lengths take the same path and the expected length is not revealed.
 */
export function tokensMatch(presented: string | null | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The Host header values this server answers to: its own loopback address or `localhost`, with its port. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const value = host.toLowerCase();
  return value === `127.0.0.1:${port}` || value === `localhost:${port}`;
}

/**
 * The Origin policy. A present Origin must be this server's own page, `http://127.0.0.1:PORT` or
 * `http://localhost:PORT` (the same two names {@link isAllowedHost} accepts, so a user who typed either one can
 * connect). `null` (sandboxed frames, `file:` pages) and every other origin are refused. An absent Origin is allowed:
 * browsers always send one on WebSocket upgrades and cross-origin requests, so its absence means a non-browser client
 * (a test, a script), which still has to present the token.
 */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  const value = origin.toLowerCase();
  return value === `http://127.0.0.1:${port}` || value === `http://localhost:${port}`;
}
