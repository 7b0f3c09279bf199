export * from "./reward-order"
export * from "./reconcile-orders"
export * from "./steps"
export * from "./sync-customer"
