/** Icon shapes in a 16-unit box, drawn as SVG (emoji and symbol glyphs are missing from many projector fonts). drop: an hourglass (a DROP is silent: the sender waits for a time-out); reject: a no-entry sign (refused at once). */
export const ICON_PATHS = {
  start: 'M3 3h2v10H3zM13 3v10L6 8z',
  back: 'M12 3v10L5 8z',
  play: 'M4 3v10l9-5z',
  pause: 'M4 3h3v10H4zM9 3h3v10H9z',
  forward: 'M4 3v10l7-5z',
  end: 'M11 3h2v10h-2zM3 3v10l7-5z',
  restart: 'M8 2a6 6 0 1 0 6 6h-2a4 4 0 1 1-4-4v2l4-3-4-3z',
  drop: 'M3 1h10v1.5h-1v1.2c0 1.8-1.6 3.2-2.6 4.3 1 1.1 2.6 2.5 2.6 4.3v1.2h1V15H3v-1.5h1v-1.2c0-1.8 1.6-3.2 2.6-4.3C5.6 6.9 4 5.5 4 3.7V2.5H3zm2.5 1.5v1.2c0 .9.8 1.8 2.5 3.3 1.7-1.5 2.5-2.4 2.5-3.3V2.5zM8 9.6c-1.4 1.2-2.3 2-2.5 2.9h5c-.2-.9-1.1-1.7-2.5-2.9z',
  reject: 'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm0 2a5 5 0 1 1 0 10A5 5 0 0 1 8 3zM4.5 7h7v2h-7z',
} as const;
