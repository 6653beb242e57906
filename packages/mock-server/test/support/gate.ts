/**
 * A gate shared between the test's main thread and worker threads, over a `SharedArrayBuffer`: a worker that
 * reaches it is counted, then blocks in `Atomics.wait` until the test opens the gate. It lets a test prove
 * structure without a clock: "the job runs on another thread" (the main thread keeps running while the worker is
 * held), "two jobs overlap" (both are inside at once), "at most N run at once" (the most ever inside).
 */

// Cell layout of the shared Int32Array.
const ENTERED = 0;
const INSIDE = 1;
const MOST_INSIDE = 2;
const OPEN = 3;
const CELLS = 4;

// Atomics.waitAsync is in Node 16+, typed from lib ES2024 on; the repo targets ES2023.
type WaitAsync = (
  cells: Int32Array,
  index: number,
  value: number,
) => { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** The main thread's side of a gate. Pass {@link Gate.buffer} to workers with the task. */
export interface Gate {
  readonly buffer: SharedArrayBuffer;
  /** Resolves once `count` workers have reached the gate (in total, since it was made). */
  entered(count: number): Promise<void>;
  /** Workers inside the gate now (reached it, not yet let through). */
  inside(): number;
  /** The most workers ever inside the gate at once. */
  mostInside(): number;
  /** Lets every held worker through, and every later one without stopping. */
  open(): void;
}

/**
 * Makes a closed gate.
 *
 * @example
 * const gate = createGate();
 * const job = pool.run({ kind: "gated", gate: gate.buffer });
 * await gate.entered(1); // the worker is now held inside, on its own thread
 * gate.open();
 * await job;
 */
export function createGate(): Gate {
  const buffer = new SharedArrayBuffer(CELLS * Int32Array.BYTES_PER_ELEMENT);
  const cells = new Int32Array(buffer);
  return {
    buffer,
    async entered(count) {
      for (;;) {
        const seen = Atomics.load(cells, ENTERED);
        if (seen >= count) return;
        const wait = waitAsync(cells, ENTERED, seen);
        if (wait.async) await wait.value;
      }
    },
    inside: () => Atomics.load(cells, INSIDE),
    mostInside: () => Atomics.load(cells, MOST_INSIDE),
    open() {
      Atomics.store(cells, OPEN, 1);
      Atomics.notify(cells, OPEN);
    },
  };
}

/**
 * The worker's side: counts this thread in, blocks it (a real block of the thread, as CPU-bound work would) until
 * the gate opens, then counts it out.
 */
export function passGate(buffer: SharedArrayBuffer): void {
  const cells = new Int32Array(buffer);
  const inside = Atomics.add(cells, INSIDE, 1) + 1;
  for (;;) {
    const most = Atomics.load(cells, MOST_INSIDE);
    if (inside <= most || Atomics.compareExchange(cells, MOST_INSIDE, most, inside) === most) break;
  }
  Atomics.add(cells, ENTERED, 1);
  Atomics.notify(cells, ENTERED);
  while (Atomics.load(cells, OPEN) === 0) Atomics.wait(cells, OPEN, 0);
  Atomics.sub(cells, INSIDE, 1);
}

/** Resolves after `count` turns of the event loop: proof that the main thread is free to run callbacks. */
export async function turnsOfTheEventLoop(count: number): Promise<number> {
  let turns = 0;
  while (turns < count) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    turns += 1;
  }
  return turns;
}
