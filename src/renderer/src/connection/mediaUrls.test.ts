import { describe, expect, it } from 'vitest';
import { createMediaUrlResolver, readTokenFromHash, rpcSocketUrl } from './mediaUrls';

describe('createMediaUrlResolver', () => {
  it('uses the app protocol in Electron', () => {
    const toUrl = createMediaUrlResolver({ kind: 'electron' });
    expect(toUrl('/media/thumb/a%20b')).toBe('app://media/media/thumb/a%20b');
  });
  it('adds the token in the web shell', () => {
    const toUrl = createMediaUrlResolver({ kind: 'web', origin: 'http://127.0.0.1:5000', token: 'a+b/c' });
    expect(toUrl('/media/thumb/x')).toBe('http://127.0.0.1:5000/media/thumb/x?token=a%2Bb%2Fc');
    expect(toUrl('/media/frame/x/3?maxSide=512')).toBe('http://127.0.0.1:5000/media/frame/x/3?maxSide=512&token=a%2Bb%2Fc');
  });
  it('leaves full URLs alone', () => {
    const toUrl = createMediaUrlResolver({ kind: 'web', origin: 'http://h', token: 't' });
    expect(toUrl('app://media/x')).toBe('app://media/x');
    expect(toUrl('data:image/png;base64,AA')).toBe('data:image/png;base64,AA');
  });
});

describe('token and socket', () => {
  it('reads the token from the fragment', () => {
    expect(readTokenFromHash('#token=abc')).toBe('abc');
    expect(readTokenFromHash('#x=1&token=abc')).toBe('abc');
    expect(readTokenFromHash('')).toBeNull();
  });
  it('builds the socket URL', () => {
    expect(rpcSocketUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 't/1')).toBe('ws://127.0.0.1:8080/rpc?token=t%2F1');
    expect(rpcSocketUrl({ protocol: 'https:', host: 'h' }, 't')).toBe('wss://h/rpc?token=t');
  });
});
