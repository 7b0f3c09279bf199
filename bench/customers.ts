/** The customers the bench's orders belong to, and putting the ones WoowUp should already know into the sandbox. */
import type { WoowupSandbox } from "../src/sandbox"
import { woowupTime } from "../src/sandbox/state"
import type { BenchCustomer } from "./types"

/** Customers for the missed orders: one per 10 orders, the first half of them already known to WoowUp. */
export function missedOrderCustomers(orders: number): { customers: BenchCustomer[]; known: BenchCustomer[] } {
  const count = Math.max(10, Math.round(orders / 10))
  const stamp = Date.now().toString(36)
  const customers = Array.from({ length: count }, (_, i) => ({
    email: `missed.${i}.${stamp}@example.com`,
    first_name: "Missed",
    last_name: `Order ${i}`,
    phone: `+5698${String(i).padStart(7, "0")}`,
  }))
  return { customers, known: customers.slice(0, Math.ceil(count / 2)) }
}

/** One customer per capture pair, for the orders only authorized (the capture route's). */
export function captureCustomers(pairs: number): BenchCustomer[] {
  return Array.from({ length: pairs }, (_, i) => ({
    email: `capture.${i}.${Date.now().toString(36)}@example.com`,
    first_name: "Capture",
    last_name: `Pair ${i}`,
    phone: `+5697${String(i).padStart(7, "0")}`,
  }))
}

/** Puts `known` into the sandbox's WoowUp, as customers synced before. */
export function addKnownCustomers(sandbox: WoowupSandbox, known: BenchCustomer[]) {
  const now = woowupTime()
  for (const c of known) {
    sandbox.state.customers.push({
      service_uid: `uid-${c.email}`,
      email: c.email,
      first_name: c.first_name,
      last_name: c.last_name,
      points: 0,
      createtime: now,
      updatetime: now,
    })
  }
}
