/**
 * Prints the core's verdict for every built-in scenario as JSON, so the e2e tests compare
 * what the app shows against the core itself (not a hand-written list). Run with tsx:
 * Playwright's TypeScript loader cannot import the scenarios' JSON modules.
 */
import { BUILTIN_SCENARIOS } from '../../src/scenarios/index';
import { loadScenario, runScenario } from '../../src/core/index';
import { packetSteps } from '../../src/ui/playback/steps';

const out: Record<string, unknown> = {};
for (const s of BUILTIN_SCENARIOS) {
  const loaded = loadScenario(s.json, `${s.id}.json`);
  if (!loaded.ok) {
    out[s.id] = { error: loaded.errors.map((e) => e.message) };
    continue;
  }
  const { trace, verdict } = runScenario(loaded.scenario);
  out[s.id] = {
    ok: verdict.ok,
    summary: verdict.summary,
    transfers: verdict.transfers.map((t) => ({ command: t.command, ok: t.ok })),
    steps: packetSteps(trace).length,
    connections: trace.connections.map((c) => ({ role: c.role, opener: c.opener, acceptor: c.acceptor })),
    clientHosts: [...new Set(loaded.scenario.clients.map((c) => c.host))],
  };
}
process.stdout.write(JSON.stringify(out));
