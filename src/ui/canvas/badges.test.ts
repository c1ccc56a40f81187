import { describe, expect, it } from 'vitest';
import { badgesOf } from './badges';

const save = (...lines: string[]) => [...lines, ''].join('\n');

describe('badgesOf', () => {
  it('no text, no badge; an all-ACCEPT filter table with no rules is no filter', () => {
    expect(badgesOf(null)).toEqual([]);
    expect(badgesOf(save('*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', 'COMMIT'))).toEqual([]);
  });

  it('a DROP policy or a rule in *filter is a filter; rules in *nat are NAT; a CT --helper ftp rule is the FTP helper', () => {
    expect(badgesOf(save('*filter', ':FORWARD DROP [0:0]', 'COMMIT'))).toEqual(['filter']);
    expect(
      badgesOf(
        save(
          '*raw',
          ':PREROUTING ACCEPT [0:0]',
          '-A PREROUTING -p tcp --dport 21 -j CT --helper ftp',
          'COMMIT',
          '*nat',
          ':POSTROUTING ACCEPT [0:0]',
          '-A POSTROUTING -o eth1 -j MASQUERADE',
          'COMMIT',
        ),
      ),
    ).toEqual(['NAT', 'FTP helper']);
    expect(badgesOf(save('*raw', ':PREROUTING ACCEPT [0:0]', '-A PREROUTING -s 10.0.0.0/8 -j DROP', 'COMMIT'))).toEqual(['filter']);
  });

  it('words inside a quoted --comment are not options', () => {
    const text = save('*raw', ':PREROUTING ACCEPT [0:0]', "-A PREROUTING -m comment --comment 'no -j CT --helper ftp here, no -j DROP' -j ACCEPT", 'COMMIT');
    expect(badgesOf(text)).toEqual([]);
  });
});
