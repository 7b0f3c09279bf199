import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261207100021 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "woowup_cart_sync" drop constraint if exists "woowup_cart_sync_cart_id_unique";`);
    this.addSql(`alter table if exists "woowup_cart_activity" drop constraint if exists "woowup_cart_activity_cart_id_unique";`);
    this.addSql(`create table if not exists "woowup_cart_activity" ("id" text not null, "cart_id" text not null, "changed_at" timestamptz not null, "completed_at" timestamptz null, "taken_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_cart_activity_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_woowup_cart_activity_cart_id_unique" ON "woowup_cart_activity" ("cart_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_cart_activity_deleted_at" ON "woowup_cart_activity" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_cart_activity_open_changed_at" ON "woowup_cart_activity" ("changed_at", "cart_id") WHERE deleted_at IS NULL AND completed_at IS NULL AND (taken_at IS NULL OR changed_at > taken_at);`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_cart_activity_completed_untaken" ON "woowup_cart_activity" ("completed_at", "cart_id") WHERE deleted_at IS NULL AND completed_at IS NOT NULL AND (taken_at IS NULL OR completed_at > taken_at);`);

    this.addSql(`create table if not exists "woowup_cart_sync" ("id" text not null, "cart_id" text not null, "identity" text null, "recovered" boolean not null default false, "customer_created" boolean not null default false, "status" text check ("status" in ('pending', 'synced', 'skipped', 'failed')) not null default 'pending', "trigger" text check ("trigger" in ('cart_completed', 'reconcile', 'resync')) not null, "reason" text null, "error_code" text null, "retryable" boolean not null default false, "body_hash" text null, "dirty" boolean not null default false, "attempts" integer not null default 0, "failed_attempts" integer not null default 0, "last_attempt_at" timestamptz null, "heartbeat_at" timestamptz null, "next_attempt_at" timestamptz null, "synced_at" timestamptz null, "account" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_cart_sync_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_woowup_cart_sync_cart_id_unique" ON "woowup_cart_sync" ("cart_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_cart_sync_deleted_at" ON "woowup_cart_sync" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_cart_sync_status" ON "woowup_cart_sync" ("status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_cart_sync_status_next_attempt_at" ON "woowup_cart_sync" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "woowup_reconcile_run" add column if not exists "carts_found" integer not null default 0, add column if not exists "carts_sent" integer not null default 0, add column if not exists "carts_already_synced" integer not null default 0, add column if not exists "carts_skipped" integer not null default 0, add column if not exists "carts_failed" integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "woowup_cart_activity" cascade;`);

    this.addSql(`drop table if exists "woowup_cart_sync" cascade;`);

    this.addSql(`alter table if exists "woowup_reconcile_run" drop column if exists "carts_found", drop column if exists "carts_sent", drop column if exists "carts_already_synced", drop column if exists "carts_skipped", drop column if exists "carts_failed";`);
  }

}
