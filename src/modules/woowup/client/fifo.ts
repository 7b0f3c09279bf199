/**
 * A first-in, first-out queue whose backing array shrinks as it is consumed. `Array#shift()` is O(n), and a head
 * index that only resets when the queue empties lets the array grow for as long as a backlog lasts (issue 13,
 * item 9: 185 MB after two days at the full rate). Here the consumed prefix is dropped once it is at least half
 * the array, so the array stays within about twice the items queued, whatever the total that went through.
 */
export class Fifo<T> {
  private items: Array<T | undefined> = []
  private head = 0

  /** Items queued. */
  get length(): number {
    return this.items.length - this.head
  }

  /** Length of the backing array (for tests: it stays bounded by about twice `length`). */
  get capacity(): number {
    return this.items.length
  }

  push(item: T): void {
    this.items.push(item)
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head]
    this.items[this.head] = undefined
    this.head++
    if (this.head === this.items.length) {
      this.items = []
      this.head = 0
    } else if (this.head >= 32 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }

  /** Empties the queue, returning what was in it, oldest first. */
  drain(): T[] {
    const rest = this.items.slice(this.head) as T[]
    this.items = []
    this.head = 0
    return rest
  }
}

/**
 * What a WoowUp call is for, most urgent first (the issue: "feeds share the account's limit in this order"):
 * `orders` (purchases and points adjustments: they move a customer's balance), `customers` (keeping profiles in
 * step), `products` (the catalog feed), `carts` (the abandoned-cart feed), `storefront` (a customer reading their
 * points; it has a cache). `products` and `carts` are background feeds and `storefront` reads: each of those has a
 * bounded share of the rate limit and of the connections (`lanes.ts`), so a catalog backfill never delays a purchase.
 * `history` (an import of the store's history) comes last of all: it takes whatever the others leave of the window.
 */
export const CALL_PRIORITIES = ["orders", "customers", "products", "carts", "storefront", "history"] as const
export type CallPriority = (typeof CALL_PRIORITIES)[number]

/** One FIFO per priority: the head is the oldest item of the most urgent priority that has one. */
export class PriorityQueue<T> {
  private readonly lanes = CALL_PRIORITIES.map(() => new Fifo<T>())

  get length(): number {
    return this.lanes.reduce((n, lane) => n + lane.length, 0)
  }

  push(item: T, priority: CallPriority = "orders"): void {
    this.lanes[CALL_PRIORITIES.indexOf(priority)].push(item)
  }

  peek(): T | undefined {
    return this.lane()?.peek()
  }

  shift(): T | undefined {
    return this.lane()?.shift()
  }

  /** The oldest item of `priority`'s lane. */
  peekLane(priority: CallPriority): T | undefined {
    return this.lanes[CALL_PRIORITIES.indexOf(priority)].peek()
  }

  shiftLane(priority: CallPriority): T | undefined {
    return this.lanes[CALL_PRIORITIES.indexOf(priority)].shift()
  }

  /** Empties the queue, most urgent first. */
  drain(): T[] {
    return this.lanes.flatMap((lane) => lane.drain())
  }

  private lane(): Fifo<T> | undefined {
    return this.lanes.find((lane) => lane.length > 0)
  }
}
