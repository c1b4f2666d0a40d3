/**
 * The window's keyboard handler: maps keys through the shortcut table to commands. Keys typed into text fields stay
 * there; a focused slider keeps its arrow keys. Space is a held modifier (pan) and toggles playback on release when
 * no pan happened; Alt/Option held inverts the brush in hand. While a modal dialog is open only Escape reaches the dialog
 * (the dialog handles it), so studio keys never act behind it.
 */
import { useEffect } from 'react';
import { runCommand } from '../app/commands';
import type { StudioServices } from '../app/studioServices';
import { createHeldBrushInversion } from './heldBrushInversion';
import { heldKeys } from './keyState';
import { commandForKey, isMacPlatform, studioCommands, type StudioCommand } from './shortcuts';

const sliderKeys = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button', 'color', 'file'].includes(target.type);
}

/** While a modal dialog is open, keys belong to it (its own Escape and Tab handling), never to the studio behind. */
const isModalOpen = () => document.querySelector('[role="dialog"][aria-modal="true"]') !== null;

const isSlider = (target: EventTarget | null) => target instanceof HTMLInputElement && target.type === 'range';
const isToggleInput = (target: EventTarget | null) => target instanceof HTMLInputElement && ['checkbox', 'radio'].includes(target.type);

/** Installs the handler for the life of the component. */
export function useKeyboardShortcuts(services: StudioServices): void {
  useEffect(() => {
    const isMac = isMacPlatform(navigator.platform || navigator.userAgent);
    const inversion = createHeldBrushInversion(services.store, () => services.ui.getState().tool);
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Alt') {
        // Held, not pressed: no default (Chromium on Windows would focus the menu bar on release).
        if (!isTextEntry(event.target) && !isModalOpen()) inversion.press();
        event.preventDefault();
        return;
      }
      if (event.defaultPrevented || isTextEntry(event.target) || isModalOpen()) return;
      if (event.key === ' ' && !event.ctrlKey && !event.metaKey && !event.altKey) {
        // Space is the transport key everywhere (as in editing tools), even on a focused button (Enter still
        // activates buttons); only check boxes keep it.
        if (isToggleInput(event.target)) return;
        event.preventDefault();
        if (!event.repeat) {
          heldKeys.isSpaceDown = true;
          heldKeys.didPanWithSpace = false;
        }
        return;
      }
      if (isSlider(event.target) && sliderKeys.has(event.key)) return;
      const command = commandForKey(event, isMac);
      if (command && runCommand(services, command)) event.preventDefault();
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.key === 'Alt') inversion.release();
      if (event.key !== ' ' || !heldKeys.isSpaceDown) return;
      heldKeys.isSpaceDown = false;
      if (!heldKeys.didPanWithSpace && !isTextEntry(event.target)) runCommand(services, 'togglePlay');
    };
    const onBlur = () => {
      heldKeys.isSpaceDown = false;
      inversion.release();
    };
    const unsubscribeMenu = services.connection.bridge?.onMenuCommand?.((name) => {
      if ((studioCommands as readonly string[]).includes(name)) runCommand(services, name as StudioCommand);
    });
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
      inversion.release();
      unsubscribeMenu?.();
    };
  }, [services]);
}
