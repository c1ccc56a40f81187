/**
 * What the current step shows on the canvas (device states, the packet on its link, which
 * connection is current), handed to the node and edge components through a Svelte context
 * instead of through xyflow's node and edge objects. The objects stay the same while
 * stepping, so xyflow neither re-adopts nor re-measures its nodes per step (that measuring
 * forced a layout of every node's ten handles each step); only the components that read the
 * step update. See docs/DECISIONS.md, "UI speed".
 */
import { getContext, setContext } from 'svelte';
import type { ConnState } from '../playback/context';
import type { DeviceData, PacketMark } from './graph';
import type { DeviceView, Orientation } from './layout';

export interface CanvasStep {
  /** What the step did at each device it touched (absent: idle). */
  readonly states: Map<string, Partial<DeviceData>>;
  /** The step's packet and the link it is drawn on. */
  readonly packet: { link: string; mark: PacketMark } | null;
  readonly orient: Orientation;
  /** A connection's state at this step (absent: not opened yet). */
  connState(id: string): ConnState | undefined;
  /**
   * What a device box shows (addresses, badges): an edit that adds a badge or an address
   * changes the box, not xyflow's node object (a new node object is re-measured from
   * scratch, and its edges are dropped until it is).
   */
  device(id: string): DeviceView | undefined;
}

const KEY = Symbol('canvas-step');

export function setCanvasStep(step: CanvasStep): void {
  setContext(KEY, step);
}

/** The canvas's step; null outside a Topology (a component rendered on its own). */
export function getCanvasStep(): CanvasStep | null {
  return getContext<CanvasStep | undefined>(KEY) ?? null;
}
