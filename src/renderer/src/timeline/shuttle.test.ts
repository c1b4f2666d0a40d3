import { describe, expect, it } from 'vitest';
import { maximumShuttleSpeed, nextShuttleSpeed, playbackFrame, togglePlaySpeed } from './shuttle';

describe('nextShuttleSpeed', () => {
  it('L starts forward and doubles up to the maximum', () => {
    let speed = 0;
    const seen: number[] = [];
    for (let press = 0; press < 6; press++) seen.push((speed = nextShuttleSpeed(speed, 'l')));
    expect(seen).toEqual([1, 2, 4, 8, maximumShuttleSpeed, maximumShuttleSpeed]);
  });
  it('J goes backwards and doubles', () => {
    expect(nextShuttleSpeed(0, 'j')).toBe(-1);
    expect(nextShuttleSpeed(-1, 'j')).toBe(-2);
  });
  it('the opposite key drops to normal speed the other way', () => {
    expect(nextShuttleSpeed(4, 'j')).toBe(-1);
    expect(nextShuttleSpeed(-8, 'l')).toBe(1);
  });
  it('K stops', () => expect(nextShuttleSpeed(4, 'k')).toBe(0));
  it('Space toggles', () => {
    expect(togglePlaySpeed(0)).toBe(1);
    expect(togglePlaySpeed(-2)).toBe(0);
  });
});

describe('playbackFrame', () => {
  it('advances at fps × speed and wraps', () => {
    expect(playbackFrame(0, 1, 25, 1, 100)).toBe(25);
    expect(playbackFrame(90, 1, 25, 1, 100)).toBe(15);
    expect(playbackFrame(10, 1, 25, -1, 100)).toBe(85);
    expect(playbackFrame(10, 0.5, 25, 2, 100)).toBe(35);
  });
  it('stays at 0 for one frame', () => expect(playbackFrame(0, 3, 25, 1, 1)).toBe(0));
});
