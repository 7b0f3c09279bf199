import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261126050433 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "woowup_reward" drop constraint if exists "woowup_reward_order_id_unique";`);
    this.addSql(`alter table if exists "woowup_points_adjustment" drop constraint if exists "woowup_points_adjustment_order_id_token_unique";`);
    this.addSql(`create table if not exists "woowup_points_adjustment" ("id" text not null, "order_id" text not null, "cause" text check ("cause" in ('capture')) not null, "token" text not null, "points" integer not null, "status" text check ("status" in ('pending', 'applied', 'failed')) not null default 'pending', "identifier" text not null, "identity" text not null, "description" text not null, "reason" text null, "error_code" text null, "attempts" integer not null default 0, "last_attempt_at" timestamptz null, "applied_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_points_adjustment_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_points_adjustment_deleted_at" ON "woowup_points_adjustment" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_woowup_points_adjustment_order_id_token_unique" ON "woowup_points_adjustment" ("order_id", "token") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_points_adjustment_status" ON "woowup_points_adjustment" ("status") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "woowup_reward" ("id" text not null, "order_id" text not null, "status" text check ("status" in ('pending', 'synced', 'skipped', 'failed')) not null default 'pending', "reason" text null, "error_code" text null, "retryable" boolean not null default false, "trigger" text check ("trigger" in ('payment_captured', 'order_placed', 'reconcile', 'resync')) not null, "invoice_number" text null, "identifier" text null, "identity" text null, "customer_created" boolean not null default false, "points" integer null, "amount" numeric null, "currency_code" text null, "attempts" integer not null default 0, "last_attempt_at" timestamptz null, "synced_at" timestamptz null, "raw_amount" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_reward_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_woowup_reward_order_id_unique" ON "woowup_reward" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_reward_deleted_at" ON "woowup_reward" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_reward_status" ON "woowup_reward" ("status") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "woowup_points_adjustment" cascade;`);

    this.addSql(`drop table if exists "woowup_reward" cascade;`);
  }

}
