import type { FeedName } from "../../modules/woowup/service"
import type { Feed } from "../engine/feed"
import { cartsFeed } from "./carts"
import { customersFeed } from "./customers"
import { productsFeed } from "./products"

/** Every feed on the sync engine, in the order a run takes them (after its orders). */
export const FEEDS: Record<FeedName, Feed> = {
  customers: customersFeed,
  products: productsFeed,
  carts: cartsFeed,
}
