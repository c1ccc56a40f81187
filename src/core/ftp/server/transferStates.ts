/**
 * The data-transfer states both servers' session machines share, once the data connection is
 * up: `sending` (a listing or a download: write it all, close, wait for the peer's end),
 * `receiving` (an upload: count bytes until the peer closes) and `finishing` (the upload's
 * own close). vsftpd and FileZilla Server differ only in where they go afterwards, where a
 * fatal time-out goes, and what they answer when the data connection breaks (vsftpd's
 * "426 Failure writing/reading network stream.", FileZilla's "426 Connection closed;
 * aborted transfer of …") — the arguments.
 *
 * The machine's setup must define the actions sendPayload, countBytes, finishUpload,
 * replyDone, replyDataTimeout, endTransfer and `broke`, the guards currentXfer and
 * dataTimeoutOn, and the delay dataTimeout. State names are part of the trace: keep them.
 */
export function dataTransferStates<Broke extends string>(o: {
  /** The state a finished or failed transfer returns to ("#ftpServer.ready"). */
  idle: string;
  /** The final state a data time-out ends in ("#ftpServer.closed"). */
  closed: string;
  /** The action answering a data connection that broke under the transfer. */
  broke: Broke;
}) {
  const back = (actions: readonly ['replyDone' | Broke, 'endTransfer']) => ({ guard: 'currentXfer', target: o.idle, actions }) as const;
  const timeout = { dataTimeout: { guard: 'dataTimeoutOn', target: o.closed, actions: 'replyDataTimeout' } } as const;
  const done = back(['replyDone', 'endTransfer']);
  const broke = back([o.broke, 'endTransfer']);
  return {
    sending: {
      entry: 'sendPayload',
      after: timeout,
      // vsftpd's lingering close returns once the client has everything; the client's own FIN
      // (it closes on end of data) is the closest event the socket offers.
      on: { DATA_EOF: done, DATA_CLOSED: done, DATA_FAILED: broke },
    },
    receiving: {
      after: timeout,
      on: {
        DATA_BYTES: { guard: 'currentXfer', target: 'receiving', reenter: true, actions: 'countBytes' },
        DATA_EOF: { guard: 'currentXfer', target: 'finishing', actions: 'finishUpload' },
        DATA_CLOSED: { guard: 'currentXfer', target: 'finishing', actions: 'finishUpload' },
        DATA_FAILED: broke,
      },
    },
    finishing: {
      always: {
        guard: ({ context }: { context: { xfer: { sock: { state: string } | null } | null } }) => context.xfer?.sock?.state === 'CLOSED',
        target: o.idle,
        actions: done.actions,
      },
      on: { DATA_CLOSED: done, DATA_FAILED: done },
    },
  } as const;
}
