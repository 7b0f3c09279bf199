export * from "./claim-woowup-reward"
export * from "./plan-woowup-reward"
export * from "./record-woowup-reward-skip"
export * from "./send-woowup-purchase"
