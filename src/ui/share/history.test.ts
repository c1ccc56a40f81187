import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { History } from './history.svelte';

describe('History', () => {
  it('undoes and redoes in order and reports the bounds', () => {
    const h = new History('a');
    expect(h.canUndo).toBe(false);
    expect(h.undo()).toBeUndefined();
    h.push('b');
    h.push('c');
    expect(h.current).toBe('c');
    expect(h.undo()).toBe('b');
    expect(h.undo()).toBe('a');
    expect(h.undo()).toBeUndefined();
    expect(h.current).toBe('a');
    expect(h.canRedo).toBe(true);
    expect(h.redo()).toBe('b');
    h.push('d'); // a new edit drops the redo branch ("c")
    expect(h.canRedo).toBe(false);
    expect(h.redo()).toBeUndefined();
    expect(h.undo()).toBe('b');
  });

  it('keeps at most the limit, dropping the oldest', () => {
    const h = new History(0, 100);
    for (let i = 1; i <= 250; i++) h.push(i);
    let undos = 0;
    while (h.undo() !== undefined) undos++;
    expect(undos).toBe(99);
    expect(h.current).toBe(151);
  });

  it('matches a simple list model for any sequence of operations', () => {
    const op = fc.oneof(
      fc.integer().map((n) => ({ k: 'push' as const, n })),
      fc.constant({ k: 'undo' as const }),
      fc.constant({ k: 'redo' as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (ops, limit) => {
        const h = new History(-1, limit);
        let list = [-1];
        let i = 0;
        for (const o of ops) {
          if (o.k === 'push') {
            list = [...list.slice(0, i + 1), o.n].slice(-limit);
            i = list.length - 1;
            h.push(o.n);
          } else if (o.k === 'undo') {
            expect(h.undo()).toBe(i > 0 ? list[--i] : undefined);
          } else {
            expect(h.redo()).toBe(i < list.length - 1 ? list[++i] : undefined);
          }
          expect(h.current).toBe(list[i]);
          expect(h.canUndo).toBe(i > 0);
          expect(h.canRedo).toBe(i < list.length - 1);
        }
      }),
    );
  });
});

describe('grouped pushes (a burst of typing)', () => {
  it('keystrokes within a second are one undo step; a pause starts a new one', () => {
    const h = new History<string>('3300');
    h.pushGrouped('330', 0);
    h.pushGrouped('33', 200);
    h.pushGrouped('31', 400);
    h.pushGrouped('310', 600);
    h.pushGrouped('3100', 900);
    expect(h.current).toBe('3100');
    expect(h.undo()).toBe('3300');
    expect(h.canUndo).toBe(false);
    expect(h.redo()).toBe('3100');
    h.pushGrouped('3101', 5000);
    h.pushGrouped('3102', 5300);
    expect(h.undo()).toBe('3100');
  });
  it('an undo ends the burst: the next keystroke is a new step', () => {
    const h = new History<string>('a');
    h.pushGrouped('ab', 0);
    h.undo();
    h.pushGrouped('ac', 100);
    expect(h.undo()).toBe('a');
  });
});
