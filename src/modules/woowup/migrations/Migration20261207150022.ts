import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261207150022 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "woowup_reconcile_run" drop constraint if exists "woowup_reconcile_run_kind_check";`);
    this.addSql(`alter table if exists "woowup_reconcile_run" drop constraint if exists "woowup_reconcile_run_status_check";`);
    this.addSql(`alter table if exists "woowup_reconcile_run" add constraint "woowup_reconcile_run_kind_check" check ("kind" in ('job', 'resync', 'import'));`);
    this.addSql(`alter table if exists "woowup_reconcile_run" add constraint "woowup_reconcile_run_status_check" check ("status" in ('queued', 'running', 'paused', 'done', 'canceled', 'failed'));`);
    this.addSql(`alter table if exists "woowup_reconcile_run" add column if not exists "award_points" boolean not null default true, add column if not exists "with_customers" boolean not null default false, add column if not exists "total" integer null, add column if not exists "processed" integer not null default 0, add column if not exists "last_order_id" text null, add column if not exists "runner" text null, add column if not exists "heartbeat_at" timestamptz null, add column if not exists "resumed_at" timestamptz null, add column if not exists "processed_at_resume" integer not null default 0, add column if not exists "estimate" jsonb null;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_woowup_reconcile_run_one_import" ON "woowup_reconcile_run" ("kind") WHERE deleted_at IS NULL AND kind = 'import' AND status IN ('queued', 'running', 'paused');`);

    this.addSql(`create table if not exists "woowup_run_failure" ("id" text not null, "run_id" text not null, "order_id" text not null, "reason" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_run_failure_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_run_failure_deleted_at" ON "woowup_run_failure" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_run_failure_run_id_order_id" ON "woowup_run_failure" ("run_id", "order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "woowup_installation" ("id" text not null, "installed_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_installation_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_installation_deleted_at" ON "woowup_installation" ("deleted_at") WHERE deleted_at IS NULL;`);
    // Installed when its first record was written (a store upgrading from an earlier version), else now.
    this.addSql(`insert into "woowup_installation" ("id", "installed_at")
      select 'wuinst_first', least(now(), (select min(created_at) from "woowup_reward"), (select min(created_at) from "woowup_reconcile_run"), (select min(created_at) from "woowup_customer_sync"))
      where not exists (select 1 from "woowup_installation");`);

    this.addSql(`alter table if exists "woowup_reward" drop constraint if exists "woowup_reward_trigger_check";`);
    this.addSql(`alter table if exists "woowup_reward" add constraint "woowup_reward_trigger_check" check ("trigger" in ('payment_captured', 'order_placed', 'payment_refunded', 'order_canceled', 'reconcile', 'resync', 'import'));`);
    this.addSql(`alter table if exists "woowup_reward" add column if not exists "historical" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "woowup_run_failure" cascade;`);
    this.addSql(`drop table if exists "woowup_installation" cascade;`);
    this.addSql(`DROP INDEX IF EXISTS "IDX_woowup_reconcile_run_one_import";`);
    this.addSql(`alter table if exists "woowup_reconcile_run" drop column if exists "award_points", drop column if exists "with_customers", drop column if exists "total", drop column if exists "processed", drop column if exists "last_order_id", drop column if exists "runner", drop column if exists "heartbeat_at", drop column if exists "resumed_at", drop column if exists "processed_at_resume", drop column if exists "estimate";`);
    this.addSql(`alter table if exists "woowup_reward" drop column if exists "historical";`);
    this.addSql(`alter table if exists "woowup_reconcile_run" drop constraint if exists "woowup_reconcile_run_kind_check";`);
    this.addSql(`alter table if exists "woowup_reconcile_run" drop constraint if exists "woowup_reconcile_run_status_check";`);
    this.addSql(`alter table if exists "woowup_reconcile_run" add constraint "woowup_reconcile_run_kind_check" check ("kind" in ('job', 'resync'));`);
    this.addSql(`alter table if exists "woowup_reconcile_run" add constraint "woowup_reconcile_run_status_check" check ("status" in ('queued', 'running', 'done', 'failed'));`);
  }

}
