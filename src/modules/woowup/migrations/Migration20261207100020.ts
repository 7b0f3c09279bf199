import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261207100020 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "woowup_branch" ("id" text not null, "name" text not null, "is_web" boolean not null default true, "account" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_branch_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_branch_deleted_at" ON "woowup_branch" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_woowup_branch_account_name" ON "woowup_branch" ("account", "name") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "woowup_reconcile_run" add column if not exists "stats_until" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "woowup_branch" cascade;`);

    this.addSql(`alter table if exists "woowup_reconcile_run" drop column if exists "stats_until";`);
  }

}
