import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261207000002 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "woowup_reward" add column if not exists "account" text null;`);
    this.addSql(`alter table if exists "woowup_points_adjustment" add column if not exists "account" text null;`);
    this.addSql(`alter table if exists "woowup_customer_sync" add column if not exists "account" text null;`);
    this.addSql(`alter table if exists "woowup_reconcile_run" add column if not exists "busy" integer not null default 0, add column if not exists "other_account" boolean not null default false;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_reward_work" ON "woowup_reward" ("order_id") WHERE deleted_at IS NULL AND (status IN ('pending', 'failed') OR points_unknown);`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_reward_account" ON "woowup_reward" ("account") WHERE deleted_at IS NULL AND account IS NOT NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_points_adjustment_pending" ON "woowup_points_adjustment" ("order_id") WHERE deleted_at IS NULL AND status = 'pending';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_woowup_points_adjustment_pending";`);
    this.addSql(`drop index if exists "IDX_woowup_reward_account";`);
    this.addSql(`drop index if exists "IDX_woowup_reward_work";`);
    this.addSql(`alter table if exists "woowup_reconcile_run" drop column if exists "busy", drop column if exists "other_account";`);
    this.addSql(`alter table if exists "woowup_points_adjustment" drop column if exists "account";`);
    this.addSql(`alter table if exists "woowup_customer_sync" drop column if exists "account";`);
    this.addSql(`alter table if exists "woowup_reward" drop column if exists "account";`);
  }

}
