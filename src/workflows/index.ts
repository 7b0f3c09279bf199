export * from "./reward-order"
export * from "./steps"
