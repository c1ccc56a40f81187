/**
 * Every built-in challenge, judged by the checker: its broken scenario fails for its reason,
 * at least one correct fix passes, and wrong or over-broad fixes fail with the reason a
 * learner needs to hear. Fixes are scenario edits as a learner would make them.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_CHALLENGES } from './challenges/index';
import { loadChallenge } from './challenge';
import { challenge, check, Edit, failures } from './testkit';

const RAW = ['PREROUTING', 'OUTPUT'];
const attach = (rule: string) => [rule];

async function judged(id: string, edit: (e: Edit) => Edit) {
  const ch = challenge(id);
  return check(ch, edit(new Edit(ch)).file);
}

describe('the built-in challenges', () => {
  it('all load, have distinct ids, and none of their titles names a cause', () => {
    const ids = BUILTIN_CHALLENGES.map((c) => {
      const r = loadChallenge(c);
      expect(r.ok ? [] : r.errors).toEqual([]);
      return r.ok ? r.challenge : null;
    });
    expect(new Set(ids.map((c) => c!.id)).size).toBe(13);
    for (const c of ids) expect(c!.title).not.toMatch(/helper|pasv|passive|active|NAT|firewall|DROP|REJECT|range|TLS|kernel/i);
  });
});

describe('seed-incident: 3001–3300 behind a firewall opening 3001–3100', () => {
  const id = 'seed-incident';
  const rule = '-A FORWARD -d 203.0.113.10/32 -i eth1 -p tcp -m state --state NEW -m tcp --dport 3001:3100 -j ACCEPT';
  const open = (range: string) => (e: Edit) => e.replaceRule('server-edge', rule, rule.replace('3001:3100', range));

  it('the broken scenario fails for some seeds only', async () => {
    const r = await check(challenge(id), challenge(id).scenarioFile);
    expect(r.solved).toBe(false);
    expect(failures(r)).toMatch(/^\[goal\] Fails in 13 of 20 runs .*data connection to 203\.0\.113\.10:3\d\d\d got no answer/);
    // A count a learner is shown comes with the arithmetic that made it.
    const closed = r.items.find((i) => i.kind === 'constraint' && i.detail.includes('stay closed'));
    expect(closed?.detail).toBe('65,434 ports of 203.0.113.10 stay closed to new connections from the internet (65,535 ports in all − 101 open).');
  });
  it('accepts opening exactly 3001:3300, or narrowing the server to 3001–3100, or the helper', async () => {
    expect((await judged(id, open('3001:3300'))).solved).toBe(true);
    expect((await judged(id, (e) => e.vsftpd((ls) => ls.map((l) => l.replace('pasv_max_port=3300', 'pasv_max_port=3100'))))).solved).toBe(true);
    expect((await judged(id, (e) => e.addRules('server-edge', 'raw', RAW, attach('-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp')))).solved).toBe(true);
  });
  it('rejects 1024:65535 for the ports it exposes', async () => {
    const r = await judged(id, open('1024:65535'));
    expect(r.solved).toBe(false);
    expect(r.items.find((i) => i.kind === 'goal')!.ok).toBe(true);
    expect(failures(r)).toMatch(
      /64,513 ports of 203\.0\.113\.10 accept a new connection .* 64,212 more than the 301 allowed: rule 4 of FORWARD .* opens ports 1024–65535 \(64,512 ports\)/,
    );
  });
  it('rejects 3001:3200: it misses the top of the range and works only for some seeds', async () => {
    const r = await judged(id, open('3001:3200'));
    expect(r.solved).toBe(false);
    expect(failures(r)).toMatch(/^\[goal\] Fails in [1-9] of 20 runs/);
    expect(failures(r)).toMatch(/203\.0\.113\.10:3(2\d\d|300) got no answer/);
  });
  it('rejects a rule accepting every NEW connection', async () => {
    const r = await judged(id, (e) => e.replaceRule('server-edge', rule, '-A FORWARD -m state --state NEW -j ACCEPT'));
    expect(r.solved).toBe(false);
    expect(failures(r)).toMatch(/Rule 4 of FORWARD \(`-A FORWARD -m state --state NEW -j ACCEPT`\) accepts every new connection to 203\.0\.113\.10: 65,535 ports exposed/);
  });
});

describe('silent-hang: a DROP that looks like a hang', () => {
  const id = 'silent-hang';
  it('the broken scenario fails: SYNs unanswered', async () => {
    const r = await check(challenge(id), challenge(id).scenarioFile);
    expect(failures(r)).toMatch(/Fails in every run.*got no answer/);
  });
  it('accepts the helper, or the passive range opened', async () => {
    expect((await judged(id, (e) => e.addRules('server', 'raw', RAW, attach('-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp')))).solved).toBe(true);
    expect(
      (
        await judged(id, (e) =>
          e
            .replaceRule('server', '-A INPUT -j DROP', '-A INPUT -p tcp -m state --state NEW -m tcp --dport 50000:50100 -j ACCEPT')
            .iptables('server', (ls) => [...ls.slice(0, -1), '-A INPUT -j DROP', 'COMMIT']),
        )
      ).solved,
    ).toBe(true);
  });
  it('rejects turning DROP into REJECT: fails faster, still fails', async () => {
    const r = await judged(id, (e) => e.replaceRule('server', '-A INPUT -j DROP', '-A INPUT -j REJECT'));
    expect(r.solved).toBe(false);
    expect(failures(r)).toMatch(/Fails in every run.*answered by an ICMP "destination unreachable"/);
  });
  it('rejects opening 1024:65535', async () => {
    const r = await judged(id, (e) => e.replaceRule('server', '-A INPUT -j DROP', '-A INPUT -p tcp -m tcp --dport 1024:65535 -j ACCEPT\n-A INPUT -j DROP'));
    expect(r.solved).toBe(false);
    expect(failures(r)).toMatch(/64,514 ports .* more than the 103 allowed/);
  });
});

describe("mode-choice: the answer is the client's mode", () => {
  const id = 'mode-choice';
  it('the broken scenario fails with 425', async () => {
    expect(failures(await check(challenge(id), challenge(id).scenarioFile))).toMatch(/425 Failed to establish connection/);
  });
  it('accepts passive mode (and PASV alone)', async () => {
    expect((await judged(id, (e) => e.client({ mode: 'passive' }))).solved).toBe(true);
    expect((await judged(id, (e) => e.client({ mode: 'pasv' }))).solved).toBe(true);
  });
  it("rejects opening the branch firewall, which is not the learner's", async () => {
    const r = await judged(id, (e) => e.replaceRule('client-edge', ':FORWARD DROP [0:0]', ':FORWARD ACCEPT [0:0]'));
    expect(r.solved).toBe(false);
    expect(r.items.find((i) => i.kind === 'goal')!.ok).toBe(true);
    expect(failures(r)).toMatch(/You changed the firewall or FTP helper of .*client-edge.*not yours to change/);
  });
  it('rejects staying active with another data port', async () => {
    const r = await judged(id, (e) => e.client({ dataPort: 'control+1' }));
    expect(failures(r)).toMatch(/Fails in every run/);
  });
});

describe("host-firewall-active: the client's own firewall blocks active mode", () => {
  const id = 'host-firewall-active';
  it('the broken scenario fails with 425', async () => {
    expect(failures(await check(challenge(id), challenge(id).scenarioFile))).toMatch(/data connection to 192\.168\.1\.100:\d+ got no answer: .*until its opener gave up.*425/);
  });
  it('accepts the helper attached to the outgoing control connection', async () => {
    expect((await judged(id, (e) => e.addRules('client', 'raw', RAW, attach('-A OUTPUT -p tcp -m tcp --dport 21 -j CT --helper ftp')))).solved).toBe(true);
  });
  it('rejects opening 1024:65535 on the workstation', async () => {
    const r = await judged(id, (e) => e.iptables('client', (ls) => [...ls.slice(0, -1), '-A INPUT -p tcp -m tcp --dport 1024:65535 -j ACCEPT', 'COMMIT']));
    expect(r.solved).toBe(false);
    expect(failures(r)).toMatch(/64,512 ports of 192\.168\.1\.100 accept a new connection .* more than the 0 allowed/);
  });
  it('rejects switching to passive mode', async () => {
    const r = await judged(id, (e) => e.client({ mode: 'passive' }));
    expect(failures(r)).toMatch(/\[constraint\] The client is set to mode "passive", not active/);
  });
  it('rejects a policy ACCEPT', async () => {
    const r = await judged(id, (e) => e.replaceRule('client', ':INPUT DROP [0:0]', ':INPUT ACCEPT [0:0]'));
    expect(failures(r)).toMatch(/The INPUT chain's policy ACCEPT accepts every new connection to 192\.168\.1\.100: 65,535 ports exposed/);
  });
});

describe('over-broad: a working fix that exposes too much', () => {
  const id = 'over-broad';
  const rule = '-A FORWARD -d 203.0.113.10/32 -i eth1 -p tcp -m state --state NEW -m tcp --dport 1024:65535 -j ACCEPT';
  const open = (range: string) => (e: Edit) => e.replaceRule('server-edge', rule, rule.replace('1024:65535', range));
  it('the broken scenario works but breaks the exposure constraint', async () => {
    const r = await check(challenge(id), challenge(id).scenarioFile);
    expect(r.items.find((i) => i.kind === 'goal')!.ok).toBe(true);
    expect(failures(r)).toMatch(/^\[constraint\] 64,513 ports/);
  });
  it('accepts exactly the passive range', async () => {
    expect((await judged(id, open('3001:3300'))).solved).toBe(true);
  });
  it('rejects a range that misses the top: works only for some seeds', async () => {
    expect(failures(await judged(id, open('3001:3100')))).toMatch(/^\[goal\] Fails in 13 of 20 runs/);
  });
  it('rejects a range one port too wide', async () => {
    expect(failures(await judged(id, open('3000:3300')))).toMatch(/302 ports .* 1 more than the 301 allowed/);
  });
});

describe('kernel-upgrade: the helper no longer attached automatically', () => {
  const id = 'kernel-upgrade';
  it('the broken scenario is rejected at once', async () => {
    expect(failures(await check(challenge(id), challenge(id).scenarioFile))).toMatch(/administratively prohibited/);
  });
  it('accepts the CT --helper ftp rule', async () => {
    expect((await judged(id, (e) => e.addRules('server', 'raw', RAW, attach('-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp')))).solved).toBe(true);
  });
  it('rejects loading the module with its ports but no rule attaching it', async () => {
    expect(failures(await judged(id, (e) => e.helper('server', [21])))).toMatch(/Fails in every run/);
  });
  it('rejects opening the passive range (the policy allows two ports)', async () => {
    const r = await judged(id, (e) =>
      e.replaceRule(
        'server',
        '-A INPUT -m state --state NEW -m tcp -p tcp --dport 22 -j ACCEPT',
        '-A INPUT -m state --state NEW -m tcp -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 50000:50100 -j ACCEPT',
      ),
    );
    expect(r.items.find((i) => i.kind === 'goal')!.ok).toBe(true);
    expect(failures(r)).toMatch(/103 ports .* 101 more than the 2 allowed/);
  });
  it('rejects removing the REJECT rule', async () => {
    const r = await judged(id, (e) => e.iptables('server', (ls) => ls.filter((l) => !l.includes('-j REJECT'))));
    expect(failures(r)).toMatch(/policy ACCEPT accepts every new connection to 203\.0\.113\.10: 65,535 ports exposed/);
  });
});

describe('nat-private-address: a server behind NAT without pasv_address', () => {
  const id = 'nat-private-address';
  it('the broken scenario fails for the classic client only', async () => {
    const r = await check(challenge(id), challenge(id).scenarioFile);
    expect(r.items.filter((i) => i.kind === 'goal').map((i) => i.ok)).toEqual([false, true]);
    expect(failures(r)).toMatch(/data connection to 10\.0\.0\.10:\d+ got no answer/);
  });
  it('accepts pasv_address=203.0.113.1', async () => {
    expect((await judged(id, (e) => e.vsftpd((ls) => [...ls, 'pasv_address=203.0.113.1']))).solved).toBe(true);
  });
  it('rejects pasv_address set to the private address', async () => {
    expect(failures(await judged(id, (e) => e.vsftpd((ls) => [...ls, 'pasv_address=10.0.0.10'])))).toMatch(/10\.0\.0\.10:\d+ got no answer/);
  });
  it('rejects changing the client to curl', async () => {
    const r = await judged(id, (e) => e.client({ profile: 'curl' }));
    expect(failures(r)).toMatch(/You changed the client: profile "classic" → "curl"/);
  });
  it('rejects forwarding 1024:65535', async () => {
    const r = await judged(id, (e) =>
      e.vsftpd((ls) => [...ls, 'pasv_address=203.0.113.1']).iptables('server-edge', (ls) => ls.map((l) => l.replace('--dport 50000:50100', '--dport 1024:65535'))),
    );
    expect(failures(r)).toMatch(/64,513 ports of 203\.0\.113\.1 accept/);
  });
});

describe('active-behind-nat: active mode from behind MASQUERADE', () => {
  const id = 'active-behind-nat';
  it('the broken scenario fails with 500 Illegal PORT command', async () => {
    expect(failures(await check(challenge(id), challenge(id).scenarioFile))).toMatch(/500 Illegal PORT command/);
  });
  it('accepts the helper attached on the client router', async () => {
    expect((await judged(id, (e) => e.addRules('client-edge', 'raw', RAW, attach('-A PREROUTING -i eth0 -p tcp -m tcp --dport 21 -j CT --helper ftp')))).solved).toBe(true);
  });
  it("rejects port_promiscuous on the server (not the learner's)", async () => {
    const r = await judged(id, (e) => e.vsftpd((ls) => [...ls, 'port_promiscuous=YES']));
    expect(failures(r)).toMatch(/You changed the server's settings \(port_promiscuous NO → YES\)/);
  });
  it('rejects switching to passive mode', async () => {
    expect(failures(await judged(id, (e) => e.client({ mode: 'passive' })))).toMatch(/mode "passive", not active/);
  });
  it('rejects forwarding every high port to the laptop', async () => {
    const r = await judged(id, (e) =>
      e.addRules('client-edge', 'nat', [], ['-A PREROUTING -d 198.51.100.1/32 -i eth1 -p tcp -m tcp --dport 1024:65535 -j DNAT --to-destination 192.168.1.100']),
    );
    expect(failures(r)).toMatch(/64,512 ports of 198\.51\.100\.1 accept a new connection .* more than the 0 allowed/);
  });
});

describe('port-3069: a server on port 3069 behind a helper-only firewall', () => {
  const id = 'port-3069';
  const ct = '-A PREROUTING -d 203.0.113.10/32 -i eth1 -p tcp -m tcp --dport 21 -j CT --helper ftp';
  it('the broken scenario times out', async () => {
    expect(failures(await check(challenge(id), challenge(id).scenarioFile))).toMatch(/Fails in every run.*got no answer/);
  });
  it('accepts the helper attached to 3069 and loaded with ports=21,3069', async () => {
    expect((await judged(id, (e) => e.replaceRule('server-edge', ct, ct.replace('--dport 21', '--dport 3069')).helper('server-edge', [21, 3069]))).solved).toBe(true);
  });
  it('rejects the module told about 3069 but the rule still on 21', async () => {
    expect(failures(await judged(id, (e) => e.helper('server-edge', [21, 3069])))).toMatch(/Fails in every run/);
  });
  it('rejects opening the passive range (one port allowed)', async () => {
    const r = await judged(id, (e) =>
      e.iptables('server-edge', (ls) => [...ls.slice(0, -1), '-A FORWARD -d 203.0.113.10/32 -i eth1 -p tcp -m tcp --dport 50000:50100 -j ACCEPT', 'COMMIT']),
    );
    expect(failures(r)).toMatch(/102 ports .* 101 more than the 1 allowed/);
  });
});

describe('ftps-helper: FTPS through a helper-only firewall', () => {
  const id = 'ftps-helper';
  const add = (range: string) => (e: Edit) =>
    e.iptables('server-edge', (ls) => [...ls.slice(0, -1), `-A FORWARD -d 203.0.113.10/32 -i eth1 -p tcp -m state --state NEW -m tcp --dport ${range} -j ACCEPT`, 'COMMIT']);
  it('the broken scenario times out', async () => {
    expect(failures(await check(challenge(id), challenge(id).scenarioFile))).toMatch(/Fails in every run.*got no answer/);
  });
  it('accepts the passive range opened', async () => {
    expect((await judged(id, add('50000:50100'))).solved).toBe(true);
  });
  it('rejects turning TLS off', async () => {
    expect(failures(await judged(id, (e) => e.client({ tls: false })))).toMatch(/You turned TLS off for client/);
  });
  it('rejects half the range (some seeds) and 1024:65535 (exposure)', async () => {
    expect(failures(await judged(id, add('50000:50050')))).toMatch(/^\[goal\] Fails in [1-9] of 10 runs/);
    expect(failures(await judged(id, add('1024:65535')))).toMatch(/64,513 ports .* more than the 102 allowed/);
  });
});

describe('two-faults: pasv_address missing and half the range forwarded', () => {
  const id = 'two-faults';
  const addr = (e: Edit) => e.vsftpd((ls) => [...ls, 'pasv_address=203.0.113.1']);
  const range = (to: string) => (e: Edit) => e.iptables('server-edge', (ls) => ls.map((l) => l.replace('--dport 50000:50050', `--dport ${to}`)));
  it('the broken scenario fails in every run', async () => {
    expect(failures(await check(challenge(id), challenge(id).scenarioFile))).toMatch(/Fails in every run.*10\.0\.0\.10/);
  });
  it('accepts both faults fixed', async () => {
    expect((await judged(id, (e) => range('50000:50100')(addr(e)))).solved).toBe(true);
  });
  it('rejects fixing only the address: works for some seeds', async () => {
    expect(failures(await judged(id, addr))).toMatch(/^\[goal\] Fails in \d+ of 20 runs .*203\.0\.113\.1:500(5[1-9]|[6-9]\d|100) was refused/);
  });
  it('rejects fixing only the forward, and forwarding everything', async () => {
    expect(failures(await judged(id, range('50000:50100')))).toMatch(/Fails in every run.*10\.0\.0\.10/);
    expect(failures(await judged(id, (e) => range('1024:65535')(addr(e))))).toMatch(/64,513 ports .* more than the 102 allowed/);
  });
});

describe('helper-and-pasv-address: the helper ignores a 227 it did not expect', () => {
  const id = 'helper-and-pasv-address';
  it('the broken scenario fails for the classic client', async () => {
    expect(failures(await check(challenge(id), challenge(id).scenarioFile))).toMatch(/203\.0\.113\.1:\d+ was refused/);
  });
  it('accepts removing pasv_address', async () => {
    expect((await judged(id, (e) => e.vsftpd((ls) => ls.filter((l) => !l.startsWith('pasv_address'))))).solved).toBe(true);
  });
  it('rejects removing the helper', async () => {
    expect(failures(await judged(id, (e) => e.iptables('server-edge', (ls) => ls.filter((l) => !l.includes('CT --helper')))))).toMatch(/Fails in every run/);
  });
  it('rejects forwarding the passive range (one port allowed)', async () => {
    const r = await judged(id, (e) =>
      e.iptables('server-edge', (ls) =>
        ls.flatMap((l) =>
          l.includes('--dport 21 -j DNAT')
            ? [l, l.replace('--dport 21', '--dport 50000:50100')]
            : l.includes('--ctstate NEW -m tcp --dport 21 -j ACCEPT')
              ? [l, l.replace('--dport 21', '--dport 50000:50100')]
              : [l],
        ),
      ),
    );
    expect(r.items.find((i) => i.kind === 'goal')!.ok).toBe(true);
    expect(failures(r)).toMatch(/102 ports of 203\.0\.113\.1 .* 101 more than the 1 allowed/);
  });
});

describe('upload-553: a folder the user may not write to', () => {
  const id = 'upload-553';
  const files = (f: (files: Record<string, any>) => void) => (e: Edit) => {
    f(e.file.server.files as Record<string, any>);
    return e;
  };

  it('the broken scenario fails with 553 Could not create file.', async () => {
    const r = await check(challenge(id), challenge(id).scenarioFile);
    expect(r.solved).toBe(false);
    expect(failures(r)).toMatch(/^\[goal\] Fails in every run\. .*`put upload\/wedding-001\.jpg`.*553 Could not create file\./);
  });
  it('accepts upload/ given to maria, or made writable for her', async () => {
    expect(
      (
        await judged(
          id,
          files((f) => (f['/home/maria/upload'].owner = 'maria')),
        )
      ).solved,
    ).toBe(true);
    expect(
      (
        await judged(
          id,
          files((f) => (f['/home/maria/upload'].mode = '777')),
        )
      ).solved,
    ).toBe(true);
  });
  it('rejects opening firewall ports: the 553 stays, and the exposure breaks the rule', async () => {
    const rule = '-A FORWARD -d 203.0.113.10/32 -i eth0 -p tcp -m state --state NEW -m tcp --dport 50000:50100 -j ACCEPT';
    const r = await judged(id, (e) => e.replaceRule('server-edge', rule, rule.replace('50000:50100', '1024:65535')));
    expect(r.solved).toBe(false);
    expect(failures(r)).toMatch(/\[goal\] Fails in every run\..*553 Could not create file\./);
    expect(failures(r)).toMatch(/\[constraint\]/);
  });
  it('rejects making her home writable: vsftpd then refuses the chroot at login', async () => {
    const r = await judged(
      id,
      files((f) => (f['/home/maria'].mode = '755')),
    );
    expect(r.solved).toBe(false);
    expect(failures(r)).toMatch(/500 OOPS: vsftpd: refusing to run with writable root inside chroot\(\)/);
  });
  it("rejects turning the chroot off: upload/ is still root's", async () => {
    const r = await judged(id, (e) => e.vsftpd((ls) => ls.filter((l) => l !== 'chroot_local_user=YES')));
    expect(r.solved).toBe(false);
    expect(failures(r)).toMatch(/553 Could not create file\./);
  });
});
