import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/** Points held on carts (issue 18, docs/redeem-points.md), and the adjustment causes that debit and give them back. */
export class Migration20261207150018 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "woowup_points_hold" ("id" text not null, "customer_id" text not null, "cart_id" text not null, "order_id" text null, "points" integer not null, "value" numeric not null, "currency_code" text not null, "status" text check ("status" in ('held', 'spent', 'released', 'lapsed')) not null default 'held', "expires_at" timestamptz not null, "identifier" text not null, "identity" text not null, "verified_balance" integer not null, "promotion_id" text null, "promotion_code" text null, "settled_on" text null, "account" text null, "raw_value" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_points_hold_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_points_hold_deleted_at" ON "woowup_points_hold" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_woowup_points_hold_cart_held" ON "woowup_points_hold" ("cart_id") WHERE deleted_at IS NULL AND status = 'held';`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_points_hold_customer_id_status" ON "woowup_points_hold" ("customer_id", "status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_points_hold_order_id" ON "woowup_points_hold" ("order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "woowup_points_adjustment" drop constraint if exists "woowup_points_adjustment_cause_check";`);

    this.addSql(`alter table if exists "woowup_points_adjustment" add constraint "woowup_points_adjustment_cause_check" check("cause" in ('capture', 'refund', 'cancel', 'redeem', 'redeem_return'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "woowup_points_hold" cascade;`);

    this.addSql(`alter table if exists "woowup_points_adjustment" drop constraint if exists "woowup_points_adjustment_cause_check";`);

    this.addSql(`alter table if exists "woowup_points_adjustment" add constraint "woowup_points_adjustment_cause_check" check("cause" in ('capture', 'refund', 'cancel'));`);
  }

}
