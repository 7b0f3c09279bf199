export * from "./reward-order"
export * from "./get-woowup-customer-points"
export * from "./preview-woowup-cart-points"
export * from "./steps"
