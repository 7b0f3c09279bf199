import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261207045626 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "woowup_product_sync" drop constraint if exists "woowup_product_sync_variant_id_unique";`);
    this.addSql(`create table if not exists "woowup_product_sync" ("id" text not null, "variant_id" text not null, "product_id" text null, "status" text check ("status" in ('pending', 'synced', 'skipped', 'failed')) not null default 'pending', "trigger" text check ("trigger" in ('product_changed', 'reconcile', 'resync')) not null, "reason" text null, "error_code" text null, "retryable" boolean not null default false, "sku" text null, "available" boolean null, "body_hash" text null, "dirty" boolean not null default false, "attempts" integer not null default 0, "failed_attempts" integer not null default 0, "last_attempt_at" timestamptz null, "heartbeat_at" timestamptz null, "next_attempt_at" timestamptz null, "synced_at" timestamptz null, "account" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_product_sync_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_woowup_product_sync_variant_id_unique" ON "woowup_product_sync" ("variant_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_product_sync_deleted_at" ON "woowup_product_sync" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_product_sync_status" ON "woowup_product_sync" ("status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_product_sync_status_next_attempt_at" ON "woowup_product_sync" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_product_sync_product_id" ON "woowup_product_sync" ("product_id") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "woowup_reconcile_run" add column if not exists "product_ids" text[] null, add column if not exists "all_products" boolean not null default false, add column if not exists "products_found" integer not null default 0, add column if not exists "products_sent" integer not null default 0, add column if not exists "products_already_synced" integer not null default 0, add column if not exists "products_skipped" integer not null default 0, add column if not exists "products_failed" integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "woowup_product_sync" cascade;`);

    this.addSql(`alter table if exists "woowup_reconcile_run" drop column if exists "product_ids", drop column if exists "all_products", drop column if exists "products_found", drop column if exists "products_sent", drop column if exists "products_already_synced", drop column if exists "products_skipped", drop column if exists "products_failed";`);
  }

}
