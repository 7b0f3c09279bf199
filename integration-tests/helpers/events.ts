import type { IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

export type RecordedEvent = { name: string; data: any }

export type EventRecorder = {
  /** Every event released since `recordEvents` (or the last `clear`), in order. */
  events: RecordedEvent[]
  names(): string[]
  /** The `data` of each recorded event with this name. */
  of(name: string): any[]
  clear(): void
  stop(): void
}

let recorders = 0

/**
 * Records every event the app's event bus releases (a `*` subscriber), to tell which events an action emitted
 * and, as important here, which it did not. Events are released asynchronously after the workflow commits:
 * wait for a known event of the same action (`TestEventUtils.waitSubscribersExecution`) before asserting on
 * the absence of another. Works with the local event bus (tests, the demo).
 */
export function recordEvents(container: MedusaContainer): EventRecorder {
  const bus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  const subscriberId = `woowup-test-event-recorder-${++recorders}`
  const events: RecordedEvent[] = []
  const subscriber = async (event: { name: string; data: any }) => {
    events.push({ name: event.name, data: event.data })
  }
  bus.subscribe("*", subscriber, { subscriberId })
  return {
    events,
    names: () => events.map((e) => e.name),
    of: (name) => events.filter((e) => e.name === name).map((e) => e.data),
    clear: () => {
      events.length = 0
    },
    stop: () => {
      bus.unsubscribe("*", subscriber, { subscriberId })
    },
  }
}
