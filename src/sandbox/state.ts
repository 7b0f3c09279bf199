import { randomBytes } from "node:crypto"
import type { SandboxAbandonedCart, SandboxCustomer, SandboxProduct, SandboxPurchase, SandboxState, SandboxTransaction } from "./types"
import { IDENTITY_FIELDS, type Identity } from "./validation"

/** `YYYY-MM-DD HH:mm:ss` in UTC, WoowUp's date format. */
export const woowupTime = (ms: number = Date.now()): string => new Date(ms).toISOString().slice(0, 19).replace("T", " ")

const sameValue = (field: string, a: string, b: string): boolean =>
  field === "email" ? a.toLowerCase() === b.toLowerCase() : a === b

/**
 * The sandbox's data. The arrays are the live `sandbox.state` arrays: they are cleared in place, never
 * replaced, so references handed out stay valid after a reset.
 */
export class SandboxStore {
  readonly state: SandboxState = {
    customers: [],
    purchases: [],
    transactions: [],
    products: [],
    abandonedCarts: [],
    branches: [],
    integrationStats: [],
  }
  private seq = 0

  reset(): void {
    this.state.customers.length = 0
    this.state.purchases.length = 0
    this.state.transactions.length = 0
    this.state.products.length = 0
    this.state.abandonedCarts.length = 0
    this.state.branches.length = 0
    this.state.integrationStats.length = 0
    this.seq = 0
  }

  private nextId(): string {
    return String(++this.seq)
  }

  /** The first customer (by creation) with any given identity field equal to its own. */
  findCustomer(identity: Identity, except?: SandboxCustomer): SandboxCustomer | undefined {
    return this.state.customers.find(
      (c) =>
        c !== except &&
        IDENTITY_FIELDS.some((f) => {
          const want = identity[f]
          const have = c[f]
          return want !== undefined && have !== undefined && sameValue(f, want, have)
        })
    )
  }

  createCustomer(fields: Record<string, unknown>): SandboxCustomer {
    const now = woowupTime()
    const customer = {
      ...fields,
      service_uid: typeof fields.service_uid === "string" && fields.service_uid ? fields.service_uid : randomBytes(16).toString("hex"),
      points: 0,
      createtime: now,
      updatetime: now,
    } as SandboxCustomer
    this.state.customers.push(customer)
    return customer
  }

  updateCustomer(customer: SandboxCustomer, fields: Record<string, unknown>): SandboxCustomer {
    const { service_uid: _uid, points: _points, createtime: _c, updatetime: _u, ...rest } = fields
    Object.assign(customer, rest, { updatetime: woowupTime() })
    return customer
  }

  findPurchase(invoiceNumber: string): SandboxPurchase | undefined {
    return this.state.purchases.find((p) => p.invoice_number === invoiceNumber)
  }

  /** Stores the purchase and credits its `points` at once (the sandbox's assumption). */
  createPurchase(customer: SandboxCustomer, body: Record<string, unknown>): SandboxPurchase {
    const purchase = { ...body, id: this.nextId(), service_uid: customer.service_uid } as SandboxPurchase
    this.state.purchases.push(purchase)
    const points = typeof body.points === "number" ? body.points : 0
    if (points !== 0) this.addTransaction(customer, points, "purchase", purchase.invoice_number)
    return purchase
  }

  /** Merges the fields given; `id`, `service_uid` and `points` keep their values (points are credited once, at creation). */
  updatePurchase(purchase: SandboxPurchase, body: Record<string, unknown>): SandboxPurchase {
    const { id: _id, service_uid: _uid, points: _points, ...rest } = body
    Object.assign(purchase, rest)
    return purchase
  }

  findProduct(sku: string): SandboxProduct | undefined {
    return this.state.products.find((p) => p.sku === sku)
  }

  /** Stores the documented fields given (nulls left out). */
  createProduct(fields: Record<string, unknown>): SandboxProduct {
    const now = woowupTime()
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined))
    const product = { ...given, id: this.nextId(), createtime: now, updatetime: now } as SandboxProduct
    this.state.products.push(product)
    return product
  }

  /** Replaces the fields given and keeps the others; a `null` clears a field. The SKU never changes. */
  updateProduct(product: SandboxProduct, fields: Record<string, unknown>): SandboxProduct {
    const { sku: _sku, id: _id, createtime: _c, updatetime: _u, ...rest } = fields
    const record = product as unknown as Record<string, unknown>
    for (const [field, value] of Object.entries(rest)) {
      if (value === null) delete record[field]
      else if (value !== undefined) record[field] = value
    }
    product.updatetime = woowupTime()
    return product
  }

  /** Files the cart under the customer: its fields replace those last sent under the same `external_id`. */
  receiveAbandonedCart(customer: SandboxCustomer, body: Record<string, unknown>): SandboxAbandonedCart {
    const fields = ["email", "source", "createtime", "total_price", "recover_url", "recovered", "products"]
    const given = Object.fromEntries(fields.filter((f) => body[f] != null).map((f) => [f, body[f]]))
    const known = this.state.abandonedCarts.find((c) => c.external_id === body.external_id)
    if (known) {
      Object.assign(known, given, { times_received: known.times_received + 1, received_at: woowupTime() })
      return known
    }
    const cart = {
      ...given,
      external_id: body.external_id as string,
      service_uid: customer.service_uid,
      times_received: 1,
      received_at: woowupTime(),
    } as SandboxAbandonedCart
    this.state.abandonedCarts.push(cart)
    return cart
  }

  addTransaction(customer: SandboxCustomer, points: number, concept: string, description?: string): SandboxTransaction {
    const tx: SandboxTransaction = {
      id: this.nextId(),
      service_uid: customer.service_uid,
      points,
      concept,
      ...(description !== undefined ? { description } : {}),
      createtime: woowupTime(),
    }
    this.state.transactions.push(tx)
    customer.points += points
    customer.updatetime = tx.createtime
    return tx
  }

  /** A customer's transactions, newest first: by `createtime`, then by position in `state` (later = newer). */
  transactionsOf(customer: SandboxCustomer): SandboxTransaction[] {
    return this.state.transactions
      .map((tx, position) => ({ tx, position }))
      .filter(({ tx }) => tx.service_uid === customer.service_uid)
      .sort((a, b) =>
        a.tx.createtime === b.tx.createtime ? b.position - a.position : a.tx.createtime < b.tx.createtime ? 1 : -1
      )
      .map(({ tx }) => tx)
  }
}
