/**
 * Runs `fn` once the next frame has been painted: a timer queued from that frame's
 * animation-frame callback runs after the frame's style, layout and paint. Work that the
 * screen does not wait for (writing the URL, saving a copy) goes here, so it does not delay
 * the frame that shows a change. Where there are no animation frames (a hidden tab, unit
 * tests, tools) a plain timer runs it within `fallbackMs`. Returns a function that cancels it.
 */
export function afterPaint(fn: () => void, fallbackMs = 100): () => void {
  let done = false;
  let inner: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (done) return;
    cancel();
    fn();
  };
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => (inner = setTimeout(run, 0))) : 0;
  const fallback = setTimeout(run, fallbackMs);
  function cancel() {
    done = true;
    if (frame) cancelAnimationFrame(frame);
    clearTimeout(inner);
    clearTimeout(fallback);
  }
  return cancel;
}
