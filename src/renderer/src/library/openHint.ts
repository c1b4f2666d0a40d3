/** What the empty canvas suggests: dropping files works in the desktop app only (the web shell gets no paths). */
export function openHint(shell: 'electron' | 'web'): string {
  return shell === 'electron' ? 'Open pictures, clips or a folder from the library, or drop them on the window.' : 'Open pictures, clips or a folder with Open… in the library (Ctrl+O).';
}
