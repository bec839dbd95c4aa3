import type { ContestOption } from '@canvass/core';

/**
 * Colours of the ballot options (by ballot position; against-all is always grey). Each has at least 4.5:1 contrast
 * on white, so the same colour can mark text and bars.
 */
const PALETTE = ['#1f4e96', '#b4410c', '#1b7a3a', '#7a2fb5', '#8a5a00', '#b01d5e', '#0f6f7c', '#5a4fcf'];
const AGAINST_ALL = '#52525b';

export function optionColor(option: ContestOption, position: number): string {
  if (option.kind === 'against-all') return AGAINST_ALL;
  return PALETTE[position % PALETTE.length] ?? AGAINST_ALL;
}

/** `color` mixed with white: 0 = white, 1 = the colour itself. */
export function tint(color: string, amount: number): string {
  const value = Number.parseInt(color.slice(1), 16);
  const channel = (shift: number) => {
    const c = (value >> shift) & 0xff;
    return Math.round(255 + (c - 255) * amount)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(16)}${channel(8)}${channel(0)}`;
}

/** Turnout is shown in one colour of its own, so it is never mistaken for a candidate. */
export const TURNOUT_COLOR = '#4c1d95';
export const NO_DATA_COLOR = '#e4e4e7';
