import { describe, expect, it } from 'vitest';
import { commandForKey, isMacPlatform, shortcutLabel, steppedBrushSize } from './shortcuts';

const key = (value: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: value,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...modifiers,
});

describe('commandForKey', () => {
  it('maps undo and redo on Windows/Linux', () => {
    expect(commandForKey(key('z', { ctrlKey: true }), false)).toBe('undo');
    expect(commandForKey(key('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo');
    expect(commandForKey(key('y', { ctrlKey: true }), false)).toBe('redo');
    expect(commandForKey(key('z', { metaKey: true }), false)).toBeNull();
  });
  it('maps undo and redo on macOS', () => {
    expect(commandForKey(key('z', { metaKey: true }), true)).toBe('undo');
    expect(commandForKey(key('z', { metaKey: true, shiftKey: true }), true)).toBe('redo');
    expect(commandForKey(key('z', { ctrlKey: true }), true)).toBeNull();
  });
  it('maps brush and timeline keys', () => {
    expect(commandForKey(key('['), false)).toBe('brushSmaller');
    expect(commandForKey(key(']'), false)).toBe('brushLarger');
    expect(commandForKey(key('X'), false)).toBe('swapBrushMode');
    expect(commandForKey(key('b'), false)).toBe('selectBrush');
    expect(commandForKey(key('ArrowLeft'), false)).toBe('frameBack');
    expect(commandForKey(key('ArrowRight'), false)).toBe('frameForward');
    expect(commandForKey(key('j'), false)).toBe('shuttleBack');
    expect(commandForKey(key('k'), false)).toBe('shuttleStop');
    expect(commandForKey(key('l'), false)).toBe('shuttleForward');
    expect(commandForKey(key('Escape'), false)).toBe('cancel');
  });
  it('ignores unknown keys and Alt chords', () => {
    expect(commandForKey(key('q'), false)).toBeNull();
    expect(commandForKey(key('z', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(commandForKey(key('b', { shiftKey: true }), false)).toBeNull();
  });
  it('maps zoom chords', () => {
    expect(commandForKey(key('0', { ctrlKey: true }), false)).toBe('zoomFit');
    expect(commandForKey(key('1', { ctrlKey: true }), false)).toBe('zoomActual');
    expect(commandForKey(key('+', { ctrlKey: true, shiftKey: true }), false)).toBe('zoomIn');
  });
});

describe('labels and helpers', () => {
  it('labels per platform', () => {
    expect(shortcutLabel('undo', false)).toBe('Ctrl+Z');
    expect(shortcutLabel('redo', true)).toBe('⇧⌘Z');
  });
  it('detects macOS', () => {
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
  });
  it('steps brush sizes', () => {
    expect(steppedBrushSize(40, 1)).toBe(44);
    expect(steppedBrushSize(3, -1)).toBe(2);
    expect(steppedBrushSize(1, -1)).toBe(1);
  });
});
