/**
 * Keys held right now that change what a pointer drag does. Space held turns the brush into the hand; a Space press
 * that was used for panning must not also toggle playback on release.
 */
export const heldKeys = {
  isSpaceDown: false,
  /** Set by the canvas when a drag panned while Space was held. */
  didPanWithSpace: false,
};
