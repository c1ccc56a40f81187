import { describe, expect, it } from 'vitest';
import { parsePortList } from './helperPorts';

describe('helper ports field', () => {
  it('reads commas or spaces and drops duplicates', () => {
    expect(parsePortList('21, 2121 21')).toEqual({ ok: true, ports: [21, 2121] });
  });
  it('names the bad word', () => {
    expect(parsePortList('21,x')).toEqual({ ok: false, message: '"x" is not a port 1–65535' });
    expect(parsePortList('70000')).toMatchObject({ ok: false });
    expect(parsePortList(' ')).toMatchObject({ ok: false, message: expect.stringMatching(/at least one/) });
  });
});
