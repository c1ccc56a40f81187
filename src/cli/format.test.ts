import { describe, expect, it } from 'vitest';
import type { TransferResult, Verdict } from '../core/index';
import { isDataTransfer, summaryLine } from './format';

const ok = (command: string): TransferResult => ({ client: 'c', command, ok: true, bytes: 1 });
const bad = (command: string): TransferResult => ({
  client: 'c',
  command,
  ok: false,
  bytes: 0,
  failure: { kind: 'ftp-error', step: 0, culprit: null, clientSees: [], explanation: '', fix: '' },
});
const verdict = (transfers: TransferResult[]): Verdict => ({ ok: transfers.every((t) => t.ok), transfers, budgetExhausted: false, endTime: 0, summary: 'from explain' });

describe('the CLI summary', () => {
  it('tells data transfers from the other script lines', () => {
    expect(['ls', 'dir /pub', 'get a.txt', 'put b.txt 10', 'append c.txt 5'].map((c) => isDataTransfer({ command: c }))).toEqual([true, true, true, true, true]);
    expect(['cd pub', 'pwd', 'mkdir x', 'rmdir x', 'delete a', 'rename a b'].some((c) => isDataTransfer({ command: c }))).toBe(false);
  });

  it('never counts a failed pwd as a transfer', () => {
    expect(summaryLine(verdict([bad('pwd'), ok('ls')]))).toBe('The transfer succeeded. 1 of 1 other command failed: pwd — ftp-error.');
    expect(summaryLine(verdict([ok('cd pub'), bad('get a.txt'), ok('get b.txt')]))).toBe('1 of 2 transfers failed: get a.txt — ftp-error. The other command succeeded.');
    expect(summaryLine(verdict([ok('cd pub'), bad('mkdir x')]))).toBe('No data transfer in the script. 1 of 2 commands failed: mkdir x — ftp-error.');
  });

  it("keeps the verdict's words when there is nothing to count", () => {
    expect(summaryLine(verdict([]))).toBe('from explain');
  });
});
