/** Small line icons drawn as SVG, so the chrome does not depend on emoji or symbol fonts being installed. */

const paths = {
  brush: 'M14.5 3.5l6 6-8.5 8.5-6-6zM5.5 13.5l5 5c-1 2-3 3-6 3 .5-2 0-4 1-8z',
  /** Three loose strands of hair: the Refine Edge brush. */
  refineEdge: 'M5 21c2-6 1.5-11-1-17M11 21c1-6 .5-12 3-17M16 21c0-5 1.5-9 5-13',
  hand: 'M8 12V5.5a1.5 1.5 0 013 0V11m0-6.5v-1a1.5 1.5 0 013 0V11m0-6a1.5 1.5 0 013 0v6m0-4a1.5 1.5 0 013 0V14c0 4-3 7-7 7h-1c-3 0-4.5-1.5-6-4l-2.5-4.5a1.5 1.5 0 012.5-1.5L8 14',
  undo: 'M9 14L4 9l5-5M4 9h10a6 6 0 010 12h-3',
  redo: 'M15 14l5-5-5-5M20 9H10a6 6 0 000 12h3',
  plus: 'M12 5v14M5 12h14',
  minus: 'M5 12h14',
  first: 'M5 5h2.5v14H5zM19 5l-10 7 10 7z',
  last: 'M16.5 5H19v14h-2.5zM5 5l10 7-10 7z',
  back: 'M16 5l-9 7 9 7z',
  forward: 'M8 5l9 7-9 7z',
  play: 'M7 4l13 8-13 8z',
  pause: 'M7 5h3v14H7zM14 5h3v14h-3z',
  close: 'M6 6l12 12M18 6L6 18',
  up: 'M12 19V5M5 12l7-7 7 7',
} as const;

/** An icon name. */
export type IconName = keyof typeof paths;

/** A 16 px icon in the current text colour. */
export function Icon({ name, size = 16 }: { name: IconName; size?: number }) {
  const isFilled = ['first', 'last', 'back', 'forward', 'play', 'pause'].includes(name);
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden focusable="false" fill={isFilled ? 'currentColor' : 'none'} stroke="currentColor" strokeWidth={isFilled ? 0 : 2} strokeLinecap="round" strokeLinejoin="round">
      <path d={paths[name]} />
    </svg>
  );
}
