/**
 * What the bench must undo however it ends (processes, sandboxes, databases), in reverse order. Each part registers
 * its own as it starts them, so a failure half-way leaves nothing running.
 */
const cleanups: Array<() => Promise<unknown>> = []

export function onCleanup(...fns: Array<() => Promise<unknown>>): void {
  cleanups.push(...fns)
}

/** Runs every cleanup, last registered first; one failing does not stop the others. */
export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch(() => {})
  }
}
