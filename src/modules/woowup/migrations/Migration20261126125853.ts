import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261126125853 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "woowup_customer_sync" drop constraint if exists "woowup_customer_sync_customer_id_unique";`);
    this.addSql(`create table if not exists "woowup_customer_sync" ("id" text not null, "customer_id" text not null, "status" text check ("status" in ('pending', 'synced', 'skipped', 'failed')) not null default 'pending', "trigger" text check ("trigger" in ('customer_created', 'customer_updated', 'reconcile', 'resync')) not null, "reason" text null, "error_code" text null, "retryable" boolean not null default false, "identifier" text null, "identity" text null, "body_hash" text null, "customer_created" boolean not null default false, "dirty" boolean not null default false, "attempts" integer not null default 0, "failed_attempts" integer not null default 0, "last_attempt_at" timestamptz null, "heartbeat_at" timestamptz null, "next_attempt_at" timestamptz null, "synced_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_customer_sync_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_woowup_customer_sync_customer_id_unique" ON "woowup_customer_sync" ("customer_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_customer_sync_deleted_at" ON "woowup_customer_sync" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_customer_sync_status" ON "woowup_customer_sync" ("status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_customer_sync_status_next_attempt_at" ON "woowup_customer_sync" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "woowup_reconcile_run" add column if not exists "customer_ids" text[] null, add column if not exists "all_customers" boolean not null default false, add column if not exists "customers_found" integer not null default 0, add column if not exists "customers_sent" integer not null default 0, add column if not exists "customers_already_synced" integer not null default 0, add column if not exists "customers_skipped" integer not null default 0, add column if not exists "customers_failed" integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "woowup_customer_sync" cascade;`);

    this.addSql(`alter table if exists "woowup_reconcile_run" drop column if exists "customer_ids", drop column if exists "all_customers", drop column if exists "customers_found", drop column if exists "customers_sent", drop column if exists "customers_already_synced", drop column if exists "customers_skipped", drop column if exists "customers_failed";`);
  }

}
