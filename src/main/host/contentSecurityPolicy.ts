/**
 * The page's Content-Security-Policy for both shells (DESIGN §10): nothing remote, scripts only from the bundle, no
 * plugins, no framing, no `<base>` tricks, no form posts. The only differences are where media and the RPC live:
 * Electron serves both over `app://`, the web shell over its own origin and a loopback WebSocket on the same port.
 */

/** Where the page is served from. */
export type CspShell = { shell: 'electron' } | { shell: 'web'; port: number };

/** The CSP header value for a shell. */
export function contentSecurityPolicyFor(target: CspShell): string {
  const self = target.shell === 'electron' ? "'self' app:" : "'self'";
  const connect = target.shell === 'electron' ? "'self' app:" : `'self' ws://127.0.0.1:${target.port}`;
  return [
    `default-src ${self}`,
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${self} data: blob:`,
    `media-src ${self} blob:`,
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Directives that must never widen, whatever the shell: checked by the tests of both shells. */
export function cspViolations(policy: string): string[] {
  const directives = new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).filter((words) => words[0]).map(([name, ...values]) => [name!, values]));
  const problems: string[] = [];
  for (const [name, values] of directives) {
    for (const value of values) {
      if (value === '*' || /^https?:$/.test(value) || value.startsWith('http') || value === "'unsafe-eval'") problems.push(`${name} allows ${value}`);
      if (value === "'unsafe-inline'" && name !== 'style-src') problems.push(`${name} allows 'unsafe-inline'`);
      if (value.startsWith('ws:') && !/^ws:\/\/127\.0\.0\.1:\d+$/.test(value)) problems.push(`${name} allows ${value}`);
    }
  }
  for (const required of ['default-src', 'script-src', 'object-src', 'base-uri', 'frame-ancestors']) if (!directives.has(required)) problems.push(`${required} missing`);
  if (directives.get('object-src')?.join(' ') !== "'none'") problems.push("object-src is not 'none'");
  if (directives.get('frame-ancestors')?.join(' ') !== "'none'") problems.push("frame-ancestors is not 'none'");
  if (directives.get('script-src')?.join(' ') !== "'self'") problems.push("script-src is not 'self'");
  return problems;
}
