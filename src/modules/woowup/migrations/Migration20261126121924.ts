import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261126121924 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "woowup_reconcile_run" ("id" text not null, "kind" text check ("kind" in ('job', 'resync')) not null, "status" text check ("status" in ('queued', 'running', 'done', 'failed')) not null default 'queued', "window_from" timestamptz null, "window_to" timestamptz null, "order_ids" text[] null, "only_failed" boolean not null default false, "dry_run" boolean not null default false, "found" integer not null default 0, "sent" integer not null default 0, "already_synced" integer not null default 0, "skipped" integer not null default 0, "failed" integer not null default 0, "started_at" timestamptz null, "finished_at" timestamptz null, "duration_ms" integer null, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_reconcile_run_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_reconcile_run_deleted_at" ON "woowup_reconcile_run" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "woowup_points_adjustment" drop constraint if exists "woowup_points_adjustment_cause_check";`);

    this.addSql(`alter table if exists "woowup_reward" drop constraint if exists "woowup_reward_trigger_check";`);

    this.addSql(`alter table if exists "woowup_points_adjustment" add column if not exists "heartbeat_at" timestamptz null, add column if not exists "sent_at" timestamptz null, add column if not exists "next_attempt_at" timestamptz null;`);
    this.addSql(`alter table if exists "woowup_points_adjustment" add constraint "woowup_points_adjustment_cause_check" check("cause" in ('capture', 'refund', 'cancel'));`);

    this.addSql(`alter table if exists "woowup_reward" add column if not exists "heartbeat_at" timestamptz null, add column if not exists "next_attempt_at" timestamptz null, add column if not exists "points_unknown" boolean not null default false, add column if not exists "captured_amount" numeric null, add column if not exists "refunded_amount" numeric null, add column if not exists "canceled" boolean not null default false, add column if not exists "raw_captured_amount" jsonb null, add column if not exists "raw_refunded_amount" jsonb null;`);
    this.addSql(`alter table if exists "woowup_reward" add constraint "woowup_reward_trigger_check" check("trigger" in ('payment_captured', 'order_placed', 'payment_refunded', 'order_canceled', 'reconcile', 'resync'));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_reward_status_next_attempt_at" ON "woowup_reward" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "woowup_reconcile_run" cascade;`);

    this.addSql(`alter table if exists "woowup_points_adjustment" drop constraint if exists "woowup_points_adjustment_cause_check";`);

    this.addSql(`alter table if exists "woowup_reward" drop constraint if exists "woowup_reward_trigger_check";`);

    this.addSql(`alter table if exists "woowup_points_adjustment" drop column if exists "heartbeat_at", drop column if exists "sent_at", drop column if exists "next_attempt_at";`);

    this.addSql(`alter table if exists "woowup_points_adjustment" add constraint "woowup_points_adjustment_cause_check" check("cause" in ('capture'));`);

    this.addSql(`drop index if exists "IDX_woowup_reward_status_next_attempt_at";`);
    this.addSql(`alter table if exists "woowup_reward" drop column if exists "heartbeat_at", drop column if exists "next_attempt_at", drop column if exists "points_unknown", drop column if exists "captured_amount", drop column if exists "refunded_amount", drop column if exists "canceled", drop column if exists "raw_captured_amount", drop column if exists "raw_refunded_amount";`);

    this.addSql(`alter table if exists "woowup_reward" add constraint "woowup_reward_trigger_check" check("trigger" in ('payment_captured', 'order_placed', 'reconcile', 'resync'));`);
  }

}
