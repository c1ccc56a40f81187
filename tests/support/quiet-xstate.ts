/**
 * Vitest setup: silences one XState development warning that is about XState itself, not our
 * machines. A device's TCP or FTP session actor is created while another actor's action runs (a
 * SYN accepted, a data connection opened); creating an actor computes its initial context with
 * XState's own assign(), which development builds then report as "Custom actions should not call
 * assign() directly" (xstate dist assign(): executingCustomAction); the stacks traced
 * (vsftpd server.ts onAccept, hostStack.ts start) are all actor creation. The warning printed about
 * 150 times per built-in test file and hid real output. Every other warning is printed as before.
 */
const QUIET = Symbol.for('fttw.quiet-xstate');
// Test files share a worker's globals (vite.config.ts, isolate: false): wrap console.warn once.
if (!(QUIET in console.warn)) {
  const warn = console.warn.bind(console);
  console.warn = Object.assign(
    (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('Custom actions should not call `assign()` directly')) return;
      warn(...args);
    },
    { [QUIET]: true },
  );
}
