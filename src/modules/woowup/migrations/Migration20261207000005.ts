import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261207000005 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "woowup_identity_proof" ("id" text not null, "customer_id" text not null, "identifier" text null, "identity" text null, "method" text check ("method" in ('admin', 'email_code')) null, "proven_by" text null, "proven_at" timestamptz null, "revoked_by" text null, "revoked_at" timestamptz null, "code_hash" text null, "code_identity" text null, "code_expires_at" timestamptz null, "code_attempts" integer not null default 0, "code_sent_at" timestamptz null, "codes_sent" integer not null default 0, "codes_window_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "woowup_identity_proof_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_woowup_identity_proof_customer_id_unique" ON "woowup_identity_proof" ("customer_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_woowup_identity_proof_deleted_at" ON "woowup_identity_proof" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "woowup_identity_proof" cascade;`);
  }

}
