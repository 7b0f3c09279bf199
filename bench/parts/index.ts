/**
 * The bench's parts, in the order they measure and their rows appear in the table. `--only` takes their names.
 * A new part: a file in this folder exporting a `BenchPart` (./part.ts), and its line here.
 */
import { callsPart } from "./calls"
import { cartsPart } from "./carts"
import { capturePart } from "./capture"
import { catalogPart } from "./catalog"
import { catchupPart } from "./catchup"
import { clusterPart } from "./cluster"
import { importPart } from "./import"
import type { BenchPart } from "./part"
import { queryPart } from "./query"
import { redeemPart } from "./redeem"

export const PARTS: BenchPart[] = [callsPart, catchupPart, clusterPart, capturePart, queryPart, catalogPart, cartsPart, redeemPart, importPart]

export type { BenchPart } from "./part"
