export { startWoowupSandbox, API_BASE, CONTROL_BASE, DEFAULT_API_KEY } from "./server"
export { SKU_PATTERN } from "./validation"
export type {
  SandboxCustomer,
  SandboxFault,
  SandboxFaults,
  SandboxFaultStep,
  SandboxOptions,
  SandboxProduct,
  SandboxAbandonedCart,
  SandboxPurchase,
  SandboxRequest,
  SandboxState,
  SandboxTransaction,
  WoowupSandbox,
} from "./types"
